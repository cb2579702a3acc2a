"""What tests of pages in other languages share: the untranslated-page notice as a reader of
a language sees it, and a page's address in the default language."""

from django.conf import settings
from django.utils import translation


def notice(language: str) -> str:
    """The notice on a page shown in its original language, in ``language``."""
    with translation.override(language):
        return translation.gettext(
            "This page is not translated into your language yet, so it is shown in its "
            "original language."
        )


def english_path(page) -> str:
    """``page``'s address in the default language (a request leaves its own active)."""
    with translation.override(settings.LANGUAGE_CODE):
        return page.url
