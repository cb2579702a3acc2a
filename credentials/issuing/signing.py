"""Sign an award once, in every format, and keep what was signed.

The stored documents stay verifiable after a key rotation (old public keys stay published)
and after later edits to the badge class or the issuer: a credential says what was true when
it was issued. Idempotent: an award already signed is returned as it is.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from credentials.issuing import openbadges2, openbadges3
from credentials.models import Award

SIGNED_FIELDS = ("ob2_signed", "ob3_credential", "ob3_jwt")


def signed_documents(award: Award) -> dict:
    """Sign ``award`` without saving: the OB 2.0 JWS, the OB 3.0 credential and its VC-JWT."""
    issuer = award.badge_class.issuer
    unsigned = openbadges3.credential(award)
    return {
        "ob2_signed": openbadges2.sign_assertion(award),
        "ob3_credential": openbadges3.sign_credential(unsigned, issuer),
        "ob3_jwt": openbadges3.encode_jwt(unsigned, issuer),
    }


def sign_award(award: Award) -> Award:
    """Sign and store ``award``'s proofs unless it already has them. Idempotent."""
    if award.signed_at is not None:
        return award
    award = Award.objects.select_related("badge_class__issuer").get(pk=award.pk)
    if award.signed_at is not None:
        return award
    documents = signed_documents(award)
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.signed_at is None:
            for field, value in documents.items():
                setattr(locked, field, value)
            locked.signed_at = timezone.now()
            locked.save(update_fields=[*documents, "signed_at"])
    award.refresh_from_db()
    return award
