"""A badge class's words in another language: its language editions.

The badge class holds the words of its language of issue (``BadgeClass.language``): credentials
are signed in it. An edition holds the same words in one other language. It is published as an
Open Badges 3.0 ``Achievement`` of its own, which every credential of the badge links as a
``related`` achievement with its ``inLanguage``; our pages, the verifier and the PDF show it to
a reader of that language. Editions are never signed into a credential: the signed words stay
the ones of the language of issue.
"""

import copy
import hashlib
import json
from collections.abc import Iterable
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from credentials.models.badges import BadgeClass
from lib.i18n import supported

B = TypeVar("B", bound=BadgeClass)

# The badge class's fields whose words an edition carries: the name, the description, the
# criteria and the EU micro-credential elements written in words. Numbers, levels and choices
# (workload, ECTS, EQF, form of participation) are the same in every language.
WORDS: tuple[str, ...] = (
    "name",
    "description",
    "criteria_narrative",
    "criteria_url",
    "learning_outcomes",
    "assessment_type",
    "quality_assurance",
    "prerequisites",
    "supervision_and_identity",
    "grade_scheme",
    "integration",
    "further_information",
)
# Words an edition may leave empty although the original has them: a criteria page in the
# edition's language may not exist, so the original's is linked.
OPTIONAL_WORDS: frozenset[str] = frozenset({"criteria_url"})


def source_digest(badge_class: BadgeClass) -> str:
    """A digest of the original words an edition translates: when it changes, an edition made
    before needs a translator's look."""
    words = {name: getattr(badge_class, name) or "" for name in WORDS}
    return hashlib.sha256(json.dumps(words, sort_keys=True).encode()).hexdigest()


def _word(name: str) -> models.Field:
    """The badge class's field ``name``, for an edition: the same kind, length and label."""
    field = BadgeClass._meta.get_field(name).clone()
    field.blank = True
    return field


class BadgeEdition(models.Model):
    """The words of one badge class in one language other than its language of issue."""

    badge_class = models.ForeignKey(BadgeClass, on_delete=models.CASCADE, related_name="editions")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = _word("name")
    description = _word("description")
    criteria_narrative = _word("criteria_narrative")
    criteria_url = _word("criteria_url")
    learning_outcomes = _word("learning_outcomes")
    assessment_type = _word("assessment_type")
    quality_assurance = _word("quality_assurance")
    prerequisites = _word("prerequisites")
    supervision_and_identity = _word("supervision_and_identity")
    grade_scheme = _word("grade_scheme")
    integration = _word("integration")
    further_information = _word("further_information")
    # The digest of the original's words when this edition was last saved.
    source_digest = models.CharField(max_length=64, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("language edition")
        verbose_name_plural = _("language editions")
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "language"], name="one_edition_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.badge_class} ({self.language})"

    @property
    def is_outdated(self) -> bool:
        """Has the original changed its words since this edition was saved?"""
        return self.source_digest != source_digest(self.badge_class)


def _refuse(*args, **kwargs):
    raise RuntimeError("A badge class shown in a reader's language is a copy: never saved.")


def _shown(badge_class: B, edition: BadgeEdition | None) -> B:
    """A copy of ``badge_class`` with ``edition``'s words; ``shown_language`` says which
    language its words are in, ``edition`` is None where they are the original's, and
    ``original`` is the badge class with the words its credentials are signed in."""
    shown = copy.copy(badge_class)
    shown.save = shown.delete = _refuse
    if edition is not None:
        for name in WORDS:
            value = getattr(edition, name)
            if value:
                setattr(shown, name, value)
    shown.edition = edition
    shown.original = badge_class
    shown.shown_language = edition.language if edition else badge_class.language
    return shown


def in_language(badge_class: B, language: str | None = None) -> B:
    """A read-only copy of ``badge_class`` with the words of its edition in ``language`` (the
    active language by default), or its own words where it has none."""
    language = supported(language or translation.get_language()) or settings.LANGUAGE_CODE
    if language == badge_class.language or not badge_class.pk:
        return _shown(badge_class, None)
    return _shown(badge_class, badge_class.editions_by_language().get(language))


def in_language_many(badges: Iterable[B], language: str | None = None) -> list[B]:
    """:func:`in_language` for many badge classes, in one query."""
    badges = list(badges)
    language = supported(language or translation.get_language()) or settings.LANGUAGE_CODE
    wanted = [b.pk for b in badges if b.pk and b.language != language]
    found = {
        e.badge_class_id: e
        for e in BadgeEdition.objects.filter(badge_class_id__in=wanted, language=language)
    }
    return [_shown(b, found.get(b.pk) if b.language != language else None) for b in badges]


def signed_title(award) -> tuple[str, str]:
    """(title, language) ``award``'s credential was signed with: read from its signed OB 3.0
    document, since the badge may have been renamed or its language changed since; the
    badge's own before it is signed."""
    signed = (award.ob3_credential or {}).get("credentialSubject", {}).get("achievement", {})
    badge = getattr(award.badge_class, "original", award.badge_class)
    name = signed.get("name") if isinstance(signed, dict) else None
    language = signed.get("inLanguage") if isinstance(signed, dict) else None
    return str(name or badge.name), str(language or badge.language)
