from django.db import migrations, models

import mentoring.timezones


def untouched_defaults_follow_the_browser(apps, schema_editor):
    # Until the site was translated, "en" was only the default nobody could meaningfully choose.
    apps.get_model("cms", "User").objects.filter(language="en").update(language="")


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_roles")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="display_name",
            field=models.CharField(
                blank=True,
                help_text="How your name appears to mentors and on badges.",
                max_length=150,
                verbose_name="display name",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="time_zone",
            field=models.CharField(
                default="UTC",
                help_text="Your IANA time zone, for example Europe/Berlin. Session times use it.",
                max_length=64,
                validators=[mentoring.timezones.validate_time_zone],
                verbose_name="time zone",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Same as my browser"),
                    ("en", "English"),
                    ("de", "Deutsch"),
                    ("es", "Español"),
                    ("fr", "Français"),
                    ("it", "Italiano"),
                    ("nl", "Nederlands"),
                    ("pl", "Polski"),
                    ("pt", "Português"),
                    ("fi", "Suomi"),
                ],
                default="",
                help_text="Pages and e-mails are shown in this language.",
                max_length=8,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(untouched_defaults_follow_the_browser, migrations.RunPython.noop),
    ]
