"""Which account an award made to an e-mail address belongs to.

An award attaches to an account only through an address the account has *verified* (allauth's
``EmailAddress``, confirmed from the e-mail we sent there). Anyone can type any address into a
sign-up form; only the owner of the mailbox can open the link. Until then the award stays
unattached and its recipient gets the claim link (``backpack.claim``). When a person verifies
an address, every unattached award made to it joins their account
(``attach_awards_of_verified_email``, called by ``receivers.attach_awards_on_email_confirmed``).
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models.functions import Lower

from credentials.models import Award


def _verified(emails: Iterable[str]):
    return (
        EmailAddress.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(emails), verified=True, user__is_active=True)
        .select_related("user")
    )


def account_with_verified_email(email: str):
    """The active account that has verified ``email`` (any case), or None."""
    email = (email or "").strip().lower()
    if not email:
        return None
    found = _verified([email]).order_by("-primary", "pk").first()
    return found.user if found else None


def accounts_with_verified_emails(emails: Iterable[str]) -> dict:
    """``{address (lower case): account}`` for each of ``emails`` an active account verified,
    in one query. Addresses nobody verified are left out."""
    wanted = {(email or "").strip().lower() for email in emails} - {""}
    accounts: dict = {}
    for address in _verified(wanted).order_by("primary", "-pk"):  # primary last: it wins
        accounts[address.email_lower] = address.user
    return accounts


@transaction.atomic
def attach_awards_of_verified_email(user, email: str) -> list[Award]:
    """Give ``user`` every unattached award made to ``email``, if ``user`` has verified it.

    Atomic (the awards are locked) and idempotent: a second call finds nothing left to attach.
    An award attached to someone else is never moved. Returns the awards attached now.
    """
    email = (email or "").strip().lower()
    if not email or user is None or not getattr(user, "is_active", False):
        return []
    verified = EmailAddress.objects.filter(user=user, email__iexact=email, verified=True)
    if not verified.exists():
        return []
    waiting = list(
        Award.objects.select_for_update()
        .filter(recipient__isnull=True, recipient_email__iexact=email)
        .order_by("pk")
    )
    name = user.get_full_name()
    for award in waiting:
        award.recipient = user
        if not award.recipient_name:
            award.recipient_name = name
        award.save(update_fields=["recipient", "recipient_name"])
    return waiting
