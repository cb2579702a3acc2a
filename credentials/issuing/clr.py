"""CLR 2.0: a learner's record at one institution, as a signed ``ClrCredential``.

**Who signs.** The institution itself, with its own published keys: one record per
institution that awarded the learner credentials. It embeds only that institution's awards
(their OB 3.0 credentials exactly as stored at issuance: never re-signed) and states only
associations it owns (``BadgeClass.part_of`` links badges of one institution, both held by the
learner: a programme badge not yet earned is not an achievement of the record). So the record
claims nothing its issuer cannot vouch for, and our verifier already knows the issuer and its
keys (no new signer, key or published document).

**Deterministic.** For a given state (the awards, the badges, their ``part_of`` links, the
institution's profile and key), the unsigned document is the same byte for byte: awards in
order of issue, achievements and associations sorted by id, ``validFrom`` the last award's
date, the record's ``id`` a ``urn:uuid`` derived (keyed by the secret key) from the institution
and the learner. Only the proof's ``created`` depends on when it is signed.

The learner is named as the embedded credentials name them: their hashed e-mail identities
(and the name, where the institution signs names in), never a plain e-mail address.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils.crypto import salted_hmac

from credentials.issuing import links, openbadges3
from credentials.issuing.openbadges2 import timestamp
from credentials.models import Award, BadgeClass, Issuer
from credentials.standards import clr

# The record's words are signed in: fixed (English), as are the other signed documents' names.
NAME = "Comprehensive Learner Record: {issuer}"
PART = " (part {part} of {parts})"
DESCRIPTION = "The achievements {issuer} awarded this learner, with their signed credentials."


def record_id(issuer: Issuer, user_pk: Any, part: int = 1) -> str:
    """The record's stable id: one per institution, learner (and part), telling neither."""
    value = f"{issuer.public_id}:{user_pk}" + (f":{part}" if part > 1 else "")
    digest = salted_hmac("credentials.clr.record", value).hexdigest()
    return f"urn:uuid:{uuid.UUID(digest[:32], version=4)}"


def _identifiers(credentials: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The learner's identities, as the embedded credentials state them (deduplicated)."""
    seen: dict[str, dict[str, Any]] = {}
    for credential in credentials:
        subject = credential.get("credentialSubject") or {}
        for identity in subject.get("identifier") or []:
            if isinstance(identity, dict):
                seen.setdefault(json.dumps(identity, sort_keys=True), identity)
    return list(seen.values())


def _extra_contexts() -> list[str]:
    """The contexts our achievements' terms need beyond VC 2.0, CLR and OB 3.0.3."""
    return [c for c in openbadges3.credential_context() if isinstance(c, str)]


def achievements_and_associations(
    issuer: Issuer, badges: Sequence[BadgeClass]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The achievements of ``badges`` (those the learner holds) and the ``isPartOf``
    associations between them. A bigger badge the learner does not hold is left out: the
    record states only what was awarded."""
    held = {b.pk: b for b in badges}
    targets = (
        BadgeClass.part_of.through.objects.filter(
            from_badgeclass__in=list(held), to_badgeclass__in=list(held)
        )
        .filter(to_badgeclass__issuer=issuer)
        .exclude(to_badgeclass__status=BadgeClass.Status.DRAFT)
    )
    pairs = {
        (
            links.badge_url(held[link.from_badgeclass_id]),
            links.badge_url(held[link.to_badgeclass_id]),
        )
        for link in targets
    }
    achievements = sorted(
        (openbadges3.achievement(b, endorsements=False) for b in held.values()),
        key=lambda a: a["id"],
    )
    associations = [clr.association(s, t) for s, t in sorted(pairs)]
    return achievements, associations


def unsigned_record(
    issuer: Issuer, user_pk: Any, awards: Sequence[Award], part: int = 1, parts: int = 1
) -> dict[str, Any]:
    """The unsigned ``ClrCredential`` of ``awards`` (signed, standing, all ``issuer``'s): the
    whole record, or its ``part`` of ``parts`` when the learner holds more awards there than
    one record embeds (:data:`credentials.standards.clr.MAX_EMBEDDED`)."""
    if len(awards) > clr.MAX_EMBEDDED:
        raise ValueError("a record embeds at most clr.MAX_EMBEDDED credentials: split it")
    if not awards:
        raise ValueError("a record needs at least one signed award")
    ordered = sorted(awards, key=lambda a: (a.issued_on, str(a.public_id)))
    if any(a.badge_class.issuer_id != issuer.pk or not a.ob3_credential for a in ordered):
        raise ValueError("a record embeds only its issuer's signed awards")
    credentials = [a.ob3_credential for a in ordered]
    badges = list({a.badge_class_id: a.badge_class for a in ordered}.values())
    achievements, associations = achievements_and_associations(issuer, badges)
    return clr.record(
        credential_id=record_id(issuer, user_pk, part),
        name=NAME.format(issuer=issuer.name)
        + (PART.format(part=part, parts=parts) if parts > 1 else ""),
        description=DESCRIPTION.format(issuer=issuer.name),
        issuer=openbadges3.profile(issuer),
        valid_from=timestamp(ordered[-1].issued_on),
        identifiers=_identifiers(credentials),
        credentials=credentials,
        achievements=achievements,
        associations=associations,
        extra_contexts=_extra_contexts(),
    )


def sign(document: dict[str, Any], issuer: Issuer, created=None) -> dict[str, Any]:
    """``document`` with the institution's ``eddsa-rdfc-2022`` proof (a proof set)."""
    return openbadges3.as_proof_set(openbadges3.sign_credential(document, issuer, created))


def encode_jwt(document: dict[str, Any], issuer: Issuer) -> str:
    """The record as a VC-JWT (RS256, the institution's RSA key), without the embedded proof."""
    return openbadges3.encode_jwt(document, issuer)
