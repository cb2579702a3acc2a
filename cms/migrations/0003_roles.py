from django.db import migrations

ROLES = ["Learners", "Mentors", "Issuer staff", "Editors"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_pages"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
