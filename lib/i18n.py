"""The language a person reads, for anything made outside their own request.

E-mails, calendar files and PDFs are rendered by tasks and by other people's requests, so the
active language is not the recipient's. Render them inside ``in_language_of(recipient)``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def supported(code: str | None) -> str | None:
    """The site's own code for ``code`` (``"fr-BE"`` → ``"fr"``), or None if we do not offer it."""
    if not code:
        return None
    offered = {c for c, _ in settings.LANGUAGES}
    code = str(code).strip().lower().replace("_", "-")
    if code in offered:
        return code
    base = code.split("-", 1)[0]
    return base if base in offered else None


def language_of(person: object | None, fallback: str | None = None) -> str:
    """The person's chosen language, else ``fallback``, else the site's default."""
    return (
        supported(getattr(person, "language", None))
        or supported(fallback)
        or settings.LANGUAGE_CODE
    )


def in_language_of(person: object | None, fallback: str | None = None):
    """A context manager: everything rendered inside it is in the person's language."""
    return translation.override(language_of(person, fallback))


def without_prefix(url: str) -> str:
    """``url`` (a path, maybe with a query) with any language prefix taken off."""
    language = translation.get_language_from_path(url.split("?", 1)[0])
    if not language:
        return url
    # One leading slash, whatever followed the prefix: "/fr//evil.example" must not become
    # "//evil.example", an address on another site.
    return "/" + url[len(language) + 1 :].lstrip("/\\")


def with_prefix(url: str, language: str) -> str:
    """``url`` under ``language``'s prefix (none for the default), whatever prefix it had: the
    site's addresses are the same path in every language (cms/urls.py, i18n_patterns)."""
    url = without_prefix(url)
    return url if language == settings.LANGUAGE_CODE else f"/{language}{url}"
