"""Endorsements: an institution (typically an industry partner) vouches for another's badge.

``endorse()`` signs an Open Badges 3.0 ``EndorsementCredential`` with the endorser's Ed25519
key and keeps it; the badge class's documents then name it (the OB 2.0 BadgeClass lists the
hosted OB 2.0 ``Endorsement``, and every OB 3.0 credential awarded while it stands carries the
signed EndorsementCredential in its achievement, where verifiers show "endorsed by").
``withdraw()`` takes it back: its documents answer 410 Gone and new credentials leave it out;
credentials already awarded keep what was signed into them.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import links, openbadges2, openbadges3
from .models import BadgeClass, Endorsement, Issuer
from .services import issuers_for

ENDORSEMENT_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
)
MAX_COMMENT = 2000
log = logging.getLogger(__name__)


class EndorsementError(ValueError):
    """An endorsement that cannot be given or withdrawn, with a reason a person can read."""


def endorsers_for(user, badge: BadgeClass) -> QuerySet[Issuer]:
    """The institutions ``user`` may endorse ``badge`` for: those listing them as staff, except
    the badge's own. An endorsement is an institution's own voice, so a superuser's reach over
    every institution does not extend to it."""
    if not user.is_authenticated or not user.is_active:
        return Issuer.objects.none()
    return Issuer.objects.filter(staff=user).exclude(pk=badge.issuer_id).order_by("name")


def active(badge: BadgeClass) -> list[Endorsement]:
    """The endorsements of ``badge`` that stand, oldest first (read once per badge object)."""
    cached = badge.__dict__.get("_cocreate_endorsements")
    if cached is None:
        cached = list(Endorsement.objects.standing().filter(badge_class=badge))
        badge.__dict__["_cocreate_endorsements"] = cached
    return cached


def endorse(badge: BadgeClass, endorser: Issuer, comment: str, by) -> Endorsement:
    """``endorser`` vouches for ``badge``, in ``by``'s name. Atomic and idempotent.

    Endorsing again with the same words changes nothing; with other words (or after a
    withdrawal) the endorsement is signed anew.
    """
    comment = (comment or "").strip()
    if not endorsers_for(by, badge).filter(pk=endorser.pk).exists():
        if endorser.pk == badge.issuer_id:
            raise EndorsementError("An institution cannot endorse its own badge.")
        raise PermissionError(f"{by} does not act for {endorser}.")
    if badge.status != BadgeClass.Status.PUBLISHED:
        raise EndorsementError(f"“{badge.name}” is not published, so it cannot be endorsed.")
    if not comment:
        raise EndorsementError("Say in a sentence or two why you endorse this badge.")
    if len(comment) > MAX_COMMENT:
        raise EndorsementError(f"Keep the comment under {MAX_COMMENT} characters.")
    with transaction.atomic():
        found, _created = Endorsement.objects.select_for_update().get_or_create(
            badge_class=badge,
            endorser=endorser,
            defaults={"comment": comment, "issued_on": timezone.now(), "endorsed_by": by},
        )
        if found.credential and not found.is_withdrawn and found.comment == comment:
            return found
        if found.credential:  # new words, or given again after a withdrawal
            found.comment, found.issued_on, found.endorsed_by = comment, timezone.now(), by
            found.withdrawn_at = found.withdrawn_by = None
        found.badge_class, found.endorser = badge, endorser
        found.credential = openbadges3.sign_credential(credential(found), endorser)
        found.save()
        transaction.on_commit(lambda: _tell_the_institution(found.pk))
    badge.__dict__.pop("_cocreate_endorsements", None)
    return found


def _tell_the_institution(endorsement_pk: int, withdrawn: bool = False) -> None:
    from .emails import send_endorsement_email_task

    try:
        send_endorsement_email_task.delay(endorsement_pk, withdrawn)
    except Exception:  # an e-mail problem never undoes the endorsement
        log.exception("Could not send the endorsement e-mail for %s", endorsement_pk)


def withdraw(endorsement: Endorsement, by) -> Endorsement:
    """Take an endorsement back (idempotent). The endorser's staff may, and so may the badge's
    own institution, which decides what its credentials carry."""
    allowed = issuers_for(by).filter(
        pk__in=[endorsement.endorser_id, endorsement.badge_class.issuer_id]
    )
    if not allowed.exists():
        raise PermissionError(f"{by} does not act for {endorsement.endorser}.")
    by_endorser = issuers_for(by).filter(pk=endorsement.endorser_id).exists()
    with transaction.atomic():
        if (
            Endorsement.objects.filter(pk=endorsement.pk, withdrawn_at=None).update(
                withdrawn_at=timezone.now(), withdrawn_by=by
            )
            and by_endorser
        ):
            transaction.on_commit(lambda: _tell_the_institution(endorsement.pk, withdrawn=True))
    endorsement.refresh_from_db()
    endorsement.badge_class.__dict__.pop("_cocreate_endorsements", None)
    return endorsement


def carried(signed_credential: dict[str, Any] | None) -> list[dict[str, str]]:
    """The endorsements signed into an OB 3.0 credential: endorser, comment, date, link."""
    subject = (signed_credential or {}).get("credentialSubject") or {}
    found = []
    for item in (subject.get("achievement") or {}).get("endorsement") or []:
        issuer = item.get("issuer") or {}
        found.append(
            {
                "endorser": issuer.get("name", ""),
                "endorser_url": issuer.get("url", ""),
                "comment": (item.get("credentialSubject") or {}).get("endorsementComment", ""),
                "valid_from": _date(item.get("validFrom")),
                "url": item.get("id", ""),
            }
        )
    return found


def _date(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def credential(endorsement: Endorsement) -> dict[str, Any]:
    """The unsigned OB 3.0 ``EndorsementCredential``."""
    badge, endorser = endorsement.badge_class, endorsement.endorser
    return {
        "@context": [openbadges3.VC_CONTEXT, openbadges3.OB3_CONTEXT],
        "id": links.absolute("endorsement_ob3", public_id=endorsement.public_id),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"{endorser.name} endorses “{badge.name}”",
        "issuer": openbadges3.profile(endorser),
        "validFrom": openbadges2.timestamp(endorsement.issued_on),
        "credentialSubject": {
            "id": links.badge_url(badge),
            "type": ["EndorsementSubject"],
            "endorsementComment": endorsement.comment,
        },
        # No credentialSchema: the 3.0.3 context defines its validator type only inside
        # OpenBadgeCredential, so here it would not be an IRI and could not be signed.
    }


def ob2_document(endorsement: Endorsement) -> dict[str, Any]:
    """The hosted OB 2.0 ``Endorsement`` (its claim is the badge class)."""
    return {
        "@context": openbadges2.CONTEXT,
        "type": "Endorsement",
        "id": links.absolute("endorsement_ob2", public_id=endorsement.public_id),
        "claim": {
            "id": links.badge_url(endorsement.badge_class),
            "endorsementComment": endorsement.comment,
        },
        "issuedOn": openbadges2.timestamp(endorsement.issued_on),
        "issuer": links.issuer_ob2_url(endorsement.endorser),
        "verification": {"type": "hosted"},
    }


def withdrawn_document(endorsement: Endorsement) -> dict[str, Any]:
    """What a withdrawn endorsement's URLs answer, with 410 Gone."""
    return {
        "@context": openbadges2.CONTEXT,
        "id": links.absolute("endorsement_ob2", public_id=endorsement.public_id),
        "type": "Endorsement",
        "revoked": True,
        "revocationReason": "Withdrawn by the endorser.",
    }
