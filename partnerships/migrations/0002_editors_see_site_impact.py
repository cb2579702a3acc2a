from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CODENAMES = ["view_site_impact", "add_partnership", "change_partnership", "view_partnership"]


def grant(apps, schema_editor):
    """Editors see the site-wide impact dashboard and look after partnerships in the admin."""
    # Permissions are otherwise created after the last migration; a migration's app config
    # is a stub create_permissions accepts once it looks like an app with models.
    config = apps.get_app_config("partnerships")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="partnerships", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("cms", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
