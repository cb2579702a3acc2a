"""A Wagtail locale for each of the site's languages, so editors can translate any page.

Translating a page (wagtail-localize: the translator's editor, PO export and import, machine
translation off) makes its copy in that language's tree, with aliases of its untranslated
parents. Where a page has no translation, its language's address shows the original, marked as
such (lib/translations.py, cms.models.HomePage.route). An editor may also synchronise a whole
locale from English (Settings → Locales), which gives every page an alias there at once.
"""

from django.conf import settings
from django.db import migrations


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_user_language_follows_browser"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
