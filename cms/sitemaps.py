"""The sitemap (/sitemap.xml): every page a visitor can read, once per language.

Wagtail's sitemap (wagtail.contrib.sitemaps) lists the live, public pages of the site's tree —
the default language's, which holds every page (lib/translations.py). Django's sitemap
framework adds the languages: each page at its address in every language, with the others and
``x-default`` (the bare, English address) as its alternates. A page behind a view restriction
(its own or an ancestor's: a login, a password, groups) is left out in every language, and a
language whose own copy is restricted is left out for that page. Lessons open only to their
enrolled learners (a visitor is sent to the course), so they are not listed; credentials are a
person's, never listed either.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page

from cms.i18n import same_for_everyone
from learning.models import LessonPage
from lib import translations
from lib.i18n import with_prefix


class PageSitemap(WagtailSitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return translations.in_source_tree(super().items().not_type(LessonPage))

    def location(self, page: Page) -> str:
        """The page's path in the active language (Django activates each in turn)."""
        path = page.get_url_parts(self.request)[2]
        return with_prefix(path, translation.get_language() or settings.LANGUAGE_CODE)

    def get_languages_for_item(self, page: Page) -> list[str]:
        withheld = self._withheld().get(page.translation_key, set())
        return [code for code in self._languages() if code not in withheld]

    def _withheld(self) -> dict:
        """{translation key: languages whose own copy is behind a view restriction}."""
        if not hasattr(self, "_withheld_keys"):
            self._withheld_keys = {}
            default = translations.default_locale_id()
            restricted = Page.objects.not_public().exclude(locale_id=default)
            for key, code in restricted.values_list("translation_key", "locale__language_code"):
                self._withheld_keys.setdefault(key, set()).add(code)
        return self._withheld_keys

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        """Our public address (``SITE_URL``), whatever host the request named."""
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/") if parts.netloc else super().get_domain(site)

    # Django's, not Wagtail's: Wagtail's asks each page for its own URLs, in one language.
    _urls = DjangoSitemap._urls


@same_for_everyone
def page_sitemap(request):
    return sitemap(request, {"pages": PageSitemap})
