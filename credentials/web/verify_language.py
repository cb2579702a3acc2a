"""What the verifier read of one of our credentials, in the reader's language.

A credential is signed in its badge's language of issue. When the verifier confirmed that one
of this platform's institutions signed it (a genuine verdict, the platform vouching for the
issuer), and the badge has an edition in the reader's language that translates exactly the
words the credential was signed with, the page shows the edition's words in their place: the
translations from our own records, never from anything inside the document; every number,
level, date and link stays the signed one, and the signed title is one line away. Anyone
else's credential, and ours once its badge's words have changed since it was signed, shows
exactly what it says.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from typing import Any

from credentials.issuing import openbadges3
from credentials.services.verifications import our_award
from credentials.verify.results import Summary, VerificationResult
from credentials.verify.summary import summary_ob3

# Verdicts where the signature was genuine: the words are the issuer's.
GENUINE = frozenset(
    {"valid", "not_recipient", "revoked", "expired", "not_yet_valid", "status_unknown"}
)
# Keys of an achievement that are not words: its identity, its links to other editions.
_NOT_WORDS = frozenset({"id", "related", "inLanguage", "endorsement", "@context"})

Path = tuple[Any, ...]


def _word_changes(original: Any, edition: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """(where, the edition's value) of every value the edition words differently from the
    original, both built from today's badge: what a translation changes, nothing else."""
    if isinstance(original, dict) and isinstance(edition, dict):
        for key in original.keys() | edition.keys():
            if key not in _NOT_WORDS:
                yield from _word_changes(original.get(key), edition.get(key), (*path, key))
    elif (
        isinstance(original, list)
        and isinstance(edition, list)
        and len(original) == len(edition)
        and all(isinstance(item, dict) for item in original + edition)
    ):
        for n, (mine, theirs) in enumerate(zip(original, edition, strict=True)):
            yield from _word_changes(mine, theirs, (*path, n))
    elif original != edition:
        yield path, edition


def _at(document: Any, path: Path) -> Any:
    for step in path:
        try:
            document = document[step]
        except (KeyError, IndexError, TypeError):
            return None
    return document


def _put(document: Any, path: Path, value: Any) -> None:
    *inner, last = path
    for step in inner:
        document = document[step]
    document[last] = value


def translated_achievement(signed: dict, badge, language: str) -> dict | None:
    """``signed`` (an achievement as we signed it) with the words of ``badge``'s edition in
    ``language``; None when the edition does not translate exactly the signed words (the
    badge's words changed since, or the edition is out of date)."""
    edition = badge.editions_by_language().get(language)
    if edition is None or edition.is_outdated:
        return None
    original = openbadges3.achievement(badge, endorsements=False)
    translated = openbadges3.edition_document(badge, language)
    shown = copy.deepcopy(signed)
    for path, value in _word_changes(original, translated):
        if _at(signed, path) != _at(original, path):
            return None  # signed with other words than the ones this edition translates
        try:
            _put(shown, path, value)
        except (KeyError, IndexError, TypeError):
            return None
    shown["inLanguage"] = language
    return shown


def in_reader_language(result: VerificationResult, language: str) -> dict[str, Any] | None:
    """``summary`` (the credential's summary in the ``language`` edition), ``language``,
    ``signed_language`` and ``signed_name``; None where the page shows what was signed."""
    summary = result.summary
    trust = result.issuer_trust or {}
    if summary is None or result.verdict not in GENUINE or trust.get("kind") != "platform":
        return None
    award = our_award(summary.credential_id, summary.issuer.get("id", ""))
    if award is None or not award.ob3_credential:
        return None
    badge = award.badge_class
    signed = award.ob3_credential["credentialSubject"]["achievement"]
    signed_language = str(signed.get("inLanguage") or "")
    if language == signed_language:
        return None
    achievement = translated_achievement(signed, badge, language)
    if achievement is None:
        return None
    document = copy.deepcopy(award.ob3_credential)
    document["credentialSubject"]["achievement"] = achievement
    read = summary_ob3(document)
    shown: Summary = dataclasses.replace(
        summary,
        badge={**read.badge, "image": summary.badge.get("image", "")},
        eu_elements=read.eu_elements,
        language=language,
    )
    return {
        "summary": shown,
        "language": language,
        "signed_language": signed_language,
        "signed_name": str(signed.get("name") or ""),
    }
