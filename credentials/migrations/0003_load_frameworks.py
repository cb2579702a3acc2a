from django.db import migrations


def load(apps, schema_editor):
    from credentials.frameworks import load_frameworks

    load_frameworks(apps.get_model("credentials", "Framework"), apps.get_model("credentials", "Competency"))


class Migration(migrations.Migration):
    dependencies = [("credentials", "0002_frameworks")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
