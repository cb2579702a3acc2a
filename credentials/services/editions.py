"""A badge class in the reader's language: its language editions.

The badge class holds the words of its language of issue, which credentials are signed in; a
:class:`~credentials.models.BadgeEdition` holds them in one other language. Staff of the issuer
write editions (:func:`save_edition`, :func:`delete_edition`); pages, the PDF, e-mails and the
verifier show a badge through :func:`in_language`, a read-only copy with the edition's words.
An edition translates every word the original has (but a criteria page), so a reader never sees
half of a badge in one language and half in another.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from credentials.models import BadgeClass, BadgeEdition
from credentials.models.editions import (
    OPTIONAL_WORDS,
    WORDS,
    in_language,
    in_language_many,
    signed_title,
    source_digest,
)
from credentials.services.issuers import can_act_for
from lib.i18n import supported

__all__ = [
    "EditionError",
    "delete_edition",
    "editions_of",
    "in_language",
    "in_language_many",
    "languages_open",
    "missing_words",
    "save_edition",
    "signed_title",
]


class EditionError(ValueError):
    """An edition cannot be saved; ``errors`` maps a field (or ``None``) to what is wrong."""

    def __init__(self, errors: Mapping[str | None, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


def missing_words(badge_class: BadgeClass, words: Mapping[str, str]) -> list[str]:
    """The fields the original has words in and ``words`` leaves empty."""
    return [
        name
        for name in WORDS
        if name not in OPTIONAL_WORDS
        and str(getattr(badge_class, name) or "").strip()
        and not str(words.get(name) or "").strip()
    ]


def languages_open(badge_class: BadgeClass) -> list[tuple[str, str]]:
    """(code, name) of every language an edition may be written in: all but the language of
    issue."""
    return [(code, name) for code, name in settings.LANGUAGES if code != badge_class.language]


def _check_language(badge_class: BadgeClass, language: str) -> str:
    code = supported(language)
    if code is None or code != language:
        raise EditionError({"language": _("This site does not offer that language.")})
    if code == badge_class.language:
        raise EditionError(
            {"language": _("This is the badge's language of issue: change its own words instead.")}
        )
    return code


@transaction.atomic
def save_edition(
    badge_class: BadgeClass, language: str, words: Mapping[str, str], by
) -> BadgeEdition:
    """Write (or rewrite) the ``language`` edition of ``badge_class`` on behalf of ``by``.

    Refuses a person who does not act for the issuer, the language of issue, a language the
    site does not offer, and an edition that leaves out a word the original has. Saving the
    same words twice changes nothing but the record of who saved it last.
    """
    if not can_act_for(by, badge_class.issuer):
        raise PermissionError(_("You do not act for this institution."))
    _check_language(badge_class, language)
    # The original as it is now, locked: its language and words decide (the language of issue
    # may have changed since the caller read it).
    original = BadgeClass.objects.select_for_update().get(pk=badge_class.pk)
    code = _check_language(original, language)
    missing = missing_words(original, words)
    if missing:
        raise EditionError(
            {name: _("The original has this; translate it too.") for name in missing}
        )
    values = {name: str(words.get(name) or "").strip() for name in WORDS}
    if not original.criteria_url:
        values["criteria_url"] = ""  # a criteria page no signed credential links
    values["source_digest"] = source_digest(original)
    values["updated_by"] = by
    edition, _created = BadgeEdition.objects.update_or_create(
        badge_class=original, language=code, defaults=values
    )
    return edition


@transaction.atomic
def delete_edition(badge_class: BadgeClass, language: str, by) -> bool:
    """Remove the ``language`` edition; False if there was none (a second click)."""
    if not can_act_for(by, badge_class.issuer):
        raise PermissionError(_("You do not act for this institution."))
    found = BadgeEdition.objects.filter(badge_class=badge_class, language=language)
    deleted, _rows = found.delete()
    return bool(deleted)


def editions_of(badge_class: BadgeClass) -> dict[str, BadgeEdition]:
    """The badge's editions by language."""
    return badge_class.editions_by_language()
