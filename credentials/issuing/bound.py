"""An award's OB 3.0 credential bound to a wallet's key: ``credentialSubject.id`` = its DID.

Made fresh for each wallet from ``openbadges3.credential(award)`` and signed with the
issuer's active keys, like the award's own documents; those stored documents are untouched.
The credential keeps the award's id, status entry and identifiers (the learner's hashed
e-mail), so the verifier and the status list treat it as the award itself.
"""

from __future__ import annotations

from typing import Any

from credentials.issuing import openbadges3
from credentials.models import Award


def unsigned(award: Award, holder: str) -> dict[str, Any]:
    """The award's unsigned credential with ``holder`` (a DID) as the subject's id."""
    document = openbadges3.credential(award)
    document["credentialSubject"]["id"] = holder
    return document


def ldp_vc(award: Award, holder: str) -> dict[str, Any]:
    """The bound credential with its ``eddsa-rdfc-2022`` Data Integrity proof."""
    return openbadges3.sign_credential(unsigned(award, holder), award.badge_class.issuer)


def jwt_vc_json(award: Award, holder: str) -> str:
    """The bound credential as a VC-JWT (RS256; ``sub`` is the holder's DID)."""
    return openbadges3.encode_jwt(unsigned(award, holder), award.badge_class.issuer)
