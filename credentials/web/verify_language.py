"""What the verifier read of one of our credentials, in the reader's language.

A credential is signed in its badge's language of issue. When the verifier confirmed that one
of this platform's institutions signed it (a genuine verdict, the platform vouching for the
issuer), and the badge has an edition in the reader's language, the page shows the edition's
words: from our own records, never from anything inside the document, and with the words as
signed one line away. Anyone else's credential shows exactly what it says.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from credentials.issuing import openbadges3
from credentials.services.verifications import our_award
from credentials.verify.results import Summary, VerificationResult
from credentials.verify.summary import summary_ob3

# Verdicts where the signature was genuine: the words are the issuer's.
GENUINE = frozenset(
    {"valid", "not_recipient", "revoked", "expired", "not_yet_valid", "status_unknown"}
)


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
    if language == badge.language or language not in badge.editions_by_language():
        return None
    document = copy.deepcopy(award.ob3_credential)
    edition = openbadges3.edition_document(badge, language)
    edition.pop("@context", None)
    document["credentialSubject"]["achievement"] = edition
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
        "signed_language": badge.language,
        "signed_name": summary.badge.get("name", ""),
    }
