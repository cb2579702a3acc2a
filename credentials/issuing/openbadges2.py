"""Open Badges 2.0 documents: Issuer, BadgeClass, Assertion, RevocationList, CryptographicKey.

Hosted verification: each document is served at its ``id`` (credentials.web.views_public). Signed
verification: the Assertion as a compact JWS (RS256) whose ``verification.creator`` is the
issuer's published RSA key. Recipients are always the salted ``sha256$`` hash of the e-mail.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from credentials.issuing import keystore, links
from credentials.issuing.endorsements import active
from credentials.models import Award, BadgeClass, Endorsement, Issuer, IssuerKey
from credentials.standards.jws import sign_ob2_assertion

CONTEXT = "https://w3id.org/openbadges/v2"
CONTENT_TYPE = "application/ld+json"


def timestamp(value: datetime) -> str:
    """ISO 8601 in UTC with a Z, whole seconds."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def issuer_document(issuer: Issuer) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": links.issuer_ob2_url(issuer),
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.description:
        document["description"] = issuer.description
    if issuer.image:
        document["image"] = links.issuer_image_url(issuer)
    rsa_keys = [
        k for k in keystore.published_keys(issuer) if k.algorithm == IssuerKey.Algorithm.RSA
    ]
    if rsa_keys:
        document["publicKey"] = [links.issuer_key_url(k) for k in rsa_keys]
    document["revocationList"] = links.revocation_list_url(issuer)
    # Hosted verification policy: only our credential URLs are this issuer's assertions, not
    # anything else served from the site's origin (an uploaded document, say).
    document["verification"] = {"startsWith": _award_prefix()}
    return document


def _award_prefix() -> str:
    """``SITE_URL`` + the path under which every award's documents live."""
    sample = uuid.UUID(int=0)
    url = links.absolute("award", public_id=sample)
    return url[: url.index(str(sample))]


def key_document(key: IssuerKey) -> dict[str, Any]:
    """An RSA key as an OB 2.0 CryptographicKey."""
    return {
        "@context": CONTEXT,
        "type": "CryptographicKey",
        "id": links.issuer_key_url(key),
        "owner": links.issuer_ob2_url(key.issuer),
        "publicKeyPem": key.public_key,
    }


def alignment(competency) -> dict[str, Any]:
    framework = competency.framework
    return {
        "targetName": competency.name,
        "targetUrl": competency.uri,
        "targetDescription": competency.description or competency.name,
        "targetFramework": str(framework),
        "targetCode": competency.code,
    }


def badge_document(badge: BadgeClass) -> dict[str, Any]:
    criteria: dict[str, Any] = {"narrative": badge.criteria_narrative}
    if badge.criteria_url:
        criteria["id"] = badge.criteria_url
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": links.badge_url(badge),
        "name": badge.name,
        "description": badge.description,
        "image": links.badge_image_url(badge),
        "criteria": criteria,
        "issuer": links.issuer_ob2_url(badge.issuer),
    }
    alignments = [alignment(c) for c in badge.competences()]
    if alignments:
        document["alignment"] = alignments
    if badge.tags:
        document["tags"] = [str(tag) for tag in badge.tags]

    endorsements = active(badge)
    if endorsements:
        document["endorsement"] = [
            links.absolute("endorsement_ob2", public_id=e.public_id) for e in endorsements
        ]
    return document


def _assertion_body(award: Award, assertion_id: str, verification: dict) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": award.identity_hash,
        },
        "badge": links.badge_url(award.badge_class),
        "issuedOn": timestamp(award.issued_on),
        "verification": verification,
    }
    if award.valid_until:
        document["expires"] = timestamp(award.valid_until)
    if award.evidence:
        evidence = []
        for item in award.evidence:
            entry: dict[str, Any] = {"type": "Evidence"}
            if item.get("url"):
                entry["id"] = item["url"]
            if item.get("name"):
                entry["name"] = item["name"]
            if item.get("narrative"):
                entry["narrative"] = item["narrative"]
            evidence.append(entry)
        document["evidence"] = evidence
    return document


def assertion_document(award: Award) -> dict[str, Any]:
    """The hosted Assertion, served at its ``id`` — the award's one public URL."""
    return _assertion_body(award, links.award_url(award), {"type": "HostedBadge"})


def revoked_assertion_document(award: Award) -> dict[str, Any]:
    """What a revoked hosted assertion answers (with HTTP 410 Gone)."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": links.award_url(award),
        "revoked": True,
        "revocationReason": award.revocation_reason,
    }


def signed_assertion_payload(award: Award, key: IssuerKey) -> dict[str, Any]:
    """The Assertion signed with ``key``: ``urn:uuid`` id, SignedBadge verification."""
    return _assertion_body(
        award,
        f"urn:uuid:{award.public_id}",
        {"type": "SignedBadge", "creator": links.issuer_key_url(key)},
    )


def sign_assertion(award: Award) -> str:
    """Compact JWS (RS256) of the signed Assertion with the issuer's active RSA key."""
    key = keystore.active_key(award.badge_class.issuer, IssuerKey.Algorithm.RSA)
    return sign_ob2_assertion(signed_assertion_payload(award, key), keystore.private_key(key))


def revocation_list_document(issuer: Issuer) -> dict[str, Any]:
    revoked = (
        Award.objects.filter(badge_class__issuer=issuer, revoked_at__isnull=False)
        .order_by("revoked_at", "pk")
        .values_list("public_id", "revocation_reason")
    )
    entries = []
    for public_id, reason in revoked:
        url = links.absolute("award", public_id=public_id)
        entries.append({"id": url, "revocationReason": reason})
        entries.append({"id": f"urn:uuid:{public_id}", "revocationReason": reason})
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": links.revocation_list_url(issuer),
        "issuer": links.issuer_ob2_url(issuer),
        "revokedAssertions": entries,
    }


def endorsement_document(endorsement: Endorsement) -> dict[str, Any]:
    """The hosted OB 2.0 ``Endorsement`` (its claim is the badge class)."""
    return {
        "@context": CONTEXT,
        "type": "Endorsement",
        "id": links.absolute("endorsement_ob2", public_id=endorsement.public_id),
        "claim": {
            "id": links.badge_url(endorsement.badge_class),
            "endorsementComment": endorsement.comment,
        },
        "issuedOn": timestamp(endorsement.issued_on),
        "issuer": links.issuer_ob2_url(endorsement.endorser),
        "verification": {"type": "hosted"},
    }


def withdrawn_endorsement_document(endorsement: Endorsement) -> dict[str, Any]:
    """What a withdrawn endorsement's URLs answer, with 410 Gone."""
    return {
        "@context": CONTEXT,
        "id": links.absolute("endorsement_ob2", public_id=endorsement.public_id),
        "type": "Endorsement",
        "revoked": True,
        "revocationReason": "Withdrawn by the endorser.",
    }
