"""Pages in the reader's language, with one page holding everything else.

Each page of the default language's tree is the one thing that enrolments, progress, quiz
attempts and awards point at, whatever language a person reads. Its translations (made with
wagtail-localize: synchronised trees, the translator's editor, PO export and import) are pages
of the other languages' trees that hold only words. ``in_language`` shows the source page with
the words of its live translation into the active language; where there is none, with its own
words, marked as such (``is_fallback``, ``content_language``). ``InReadersLanguage`` gives a page
its address in the active language (the same path under the language's prefix).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

from django.conf import settings
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Page

from lib.i18n import supported, with_prefix

P = TypeVar("P", bound=Page)

# The words of each page type; everything else (badge, competences, rules) is the source's.
WORDS = ("title", "seo_title", "search_description", "intro", "summary", "module", "body")
WORDS += ("learning_outcomes",)


@lru_cache(maxsize=1)
def default_locale_id() -> int | None:
    """The default language's locale (cached; a locale saved, deleted or migrated clears it)."""
    return (
        Locale.objects.filter(language_code=settings.LANGUAGE_CODE)
        .values_list("pk", flat=True)
        .first()
    )


def in_source_tree(queryset):
    """Only the default language's pages: a translation is words for a page, not another one
    (a course listed once in the catalogue, reported once, whatever its translations)."""
    default = default_locale_id()
    return queryset if default is None else queryset.filter(locale=default)


def is_restricted(page: Page) -> bool:
    """Behind a view restriction: its own or its ancestors', or its source's (another
    language's copy carries none of its own)."""
    if page.get_view_restrictions().exists():
        return True
    source = source_of(page)
    return source.pk != page.pk and source.get_view_restrictions().exists()


def route_in_source(page: Page, path_components: list, models: dict) -> Page | None:
    """The live page of the default language's tree at this path below ``page``'s source
    (``models``: the page type at each depth), whatever language's tree ``page`` is in. Never
    another language's own copy: a page withdrawn in English stays withdrawn at /fr/ too."""
    model = models.get(len(path_components))
    if model is None:
        return None
    source = source_of(page)
    url_path = source.url_path + "/".join(path_components) + "/"
    found = model.objects.live().filter(url_path=url_path).first()
    if found is None and source.pk != page.pk:
        raise Http404
    return found


def forget_locales(**kwargs) -> None:
    """Connected by cms/receivers.py: a locale saved, deleted or migrated."""
    default_locale_id.cache_clear()


def source_of(page: P) -> P:
    """The page of the default language's tree that ``page`` translates (``page`` if it is one)."""
    default = default_locale_id()
    if default is None or page.locale_id == default:
        return page
    source = (
        type(page).objects.filter(translation_key=page.translation_key, locale_id=default).first()
    )
    return source or page


def _shape(value):
    """A stream's structure without its words: block types and ids, flags, numbers."""
    if hasattr(value, "raw_data"):
        return _shape(list(value.raw_data))
    if isinstance(value, dict):
        return {key: item if key in ("id", "type") else _shape(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_shape(item) for item in value]
    return "" if isinstance(value, str) else value


def _refuse_save(*args, **kwargs):
    raise RuntimeError("A page shown in another language is a copy for display: never saved.")


def _shown(page: P, translated: Page | None, language: str) -> P:
    if translated is not None and translated.alias_of_id is not None:
        translated = None  # an alias only repeats its source's words: no translation
    shown = copy.copy(page)
    shown.save = _refuse_save
    behind = False
    if translated is not None:
        for field in WORDS:
            if hasattr(translated, field) and hasattr(page, field):
                mine, theirs = getattr(page, field), getattr(translated, field)
                if hasattr(mine, "raw_data") and _shape(mine) != _shape(theirs):
                    # A translation behind its source (blocks added, a quiz's answers or rules
                    # changed): its words would not match what is graded; show the source's.
                    behind = True
                    continue
                setattr(shown, field, theirs)
    shown.is_fallback = (translated is None or behind) and language != settings.LANGUAGE_CODE
    shown.content_language = language if translated is not None else settings.LANGUAGE_CODE
    shown.is_translation_of = page.pk
    return shown


def in_language(page: P, language: str | None = None) -> P:
    """A read-only copy of ``page`` with the words of its live translation into ``language``
    (the active language by default); its own words, marked ``is_fallback``, without one."""
    return in_language_many([page], language)[0]


def in_language_many(pages: Iterable[P], language: str | None = None) -> list[P]:
    """``in_language`` for many pages of one type, in one query."""
    pages = list(pages)
    language = supported(language or translation.get_language()) or settings.LANGUAGE_CODE
    if not pages:
        return []
    translated: dict = {}
    if language != settings.LANGUAGE_CODE:
        model = type(pages[0])
        found = model.objects.live().filter(
            translation_key__in=[p.translation_key for p in pages],
            locale__language_code=language,
            alias_of__isnull=True,  # an alias only repeats the source's words
        )
        translated = {t.translation_key: t for t in found}
    return [_shown(p, translated.get(p.translation_key), language) for p in pages]


def is_fallback(page: Page, language: str) -> bool:
    """Whether ``page`` shows words of another language than ``language`` (no translation)."""
    marked = getattr(page, "is_fallback", None)
    if marked is not None:
        return marked
    if language == settings.LANGUAGE_CODE:
        return False
    # Served as it is: a page of the default language's tree (nobody translated it), or an
    # alias (it only repeats its source's words).
    return page.alias_of_id is not None or page.locale_id == default_locale_id()


def words_language(page: Page, language: str) -> str | None:
    """The language of the words ``page`` shows a reader of ``language`` when they are not
    in it (``is_fallback``): its source's, the default language's tree. None when they are."""
    return settings.LANGUAGE_CODE if is_fallback(page, language) else None


def display_pair(page: P) -> tuple[P, P]:
    """(source, shown): the page that holds the learning, and what the reader sees. A
    translation handed in (the admin's preview of a draft) shows its own words."""
    source = source_of(page)
    if source.pk != page.pk:
        language = Locale.objects.get(pk=page.locale_id).language_code
        return source, _shown(source, page, language)
    return source, in_language(source)


class InReadersLanguage:
    """A page's address under the active language's prefix, so links keep the language.

    Pages of every language's tree have the same path (synchronised trees copy the slugs), and
    the site routes each language's address (cms/urls.py, i18n_patterns).
    """

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        language = supported(translation.get_language())
        if not parts or parts[2] is None or language is None:
            return parts
        site_id, root_url, path = parts
        return site_id, root_url, with_prefix(path, language)


def keep_slugs(*models) -> None:
    """Translators translate a page's words, never its slug: every language's address is the
    English path under its prefix, which the switch, hreflang links and routing rely on."""
    from wagtail_localize.fields import SynchronizedField, get_translatable_fields

    for model in models:
        fields = get_translatable_fields(model)
        model.translatable_fields = [
            SynchronizedField("slug") if field.field_name == "slug" else field for field in fields
        ]
