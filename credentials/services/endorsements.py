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

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import signals
from credentials.issuing import openbadges3
from credentials.models import BadgeClass, Endorsement, Issuer
from credentials.services.issuers import issuers_for
from lib import pagecache

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


def endorse(badge: BadgeClass, endorser: Issuer, comment: str, by) -> Endorsement:
    """``endorser`` vouches for ``badge``, in ``by``'s name. Atomic and idempotent.

    Endorsing again with the same words changes nothing; with other words (or after a
    withdrawal) the endorsement is signed anew.
    """
    comment = (comment or "").strip()
    if not endorsers_for(by, badge).filter(pk=endorser.pk).exists():
        if endorser.pk == badge.issuer_id:
            raise EndorsementError(_("An institution cannot endorse its own badge."))
        raise PermissionError(f"{by} does not act for {endorser}.")
    if badge.status != BadgeClass.Status.PUBLISHED:
        raise EndorsementError(
            _("“%(badge)s” is not published, so it cannot be endorsed.") % {"badge": badge.name}
        )
    if not comment:
        raise EndorsementError(_("Say in a sentence or two why you endorse this badge."))
    if len(comment) > MAX_COMMENT:
        raise EndorsementError(_("Keep the comment under %(n)s characters.") % {"n": MAX_COMMENT})
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
        found.credential = openbadges3.sign_credential(
            openbadges3.endorsement_credential(found), endorser
        )
        found.save()
        transaction.on_commit(lambda: _changed(found.pk))
    badge.__dict__.pop("_cocreate_endorsements", None)
    return found


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
            transaction.on_commit(lambda: _changed(endorsement.pk, withdrawn=True))
        pagecache.bump(pagecache.CREDENTIALS)  # on commit: the documents that carried it
    endorsement.refresh_from_db()
    endorsement.badge_class.__dict__.pop("_cocreate_endorsements", None)
    return endorsement


def _changed(endorsement_pk: int, withdrawn: bool = False) -> None:
    """After commit: tell listeners (``receivers.email_endorsed_institution`` e-mails them)."""
    signals.endorsement_changed.send(
        sender=Endorsement, endorsement_pk=endorsement_pk, withdrawn=withdrawn
    )
