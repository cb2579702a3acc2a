"""Who acts for which issuer, and the issuer's own profile."""

from django.db import transaction
from django.db.models import QuerySet

from credentials.models import Issuer


def issuers_for(user) -> QuerySet[Issuer]:
    """The issuers this person may act for: all for superusers, else those listing them as staff."""
    if not user.is_authenticated or not user.is_active:
        return Issuer.objects.none()
    if user.is_superuser:
        return Issuer.objects.all()
    return Issuer.objects.filter(staff=user)


def can_act_for(user, issuer: Issuer) -> bool:
    return issuers_for(user).filter(pk=issuer.pk).exists()


@transaction.atomic
def update_issuer_profile(issuer: Issuer, changes: dict, by) -> Issuer:
    """Apply profile changes on behalf of ``by``; refuses anyone who does not act for it."""
    if not can_act_for(by, issuer):
        raise PermissionError(f"{by} does not act for {issuer}.")
    editable = {"name", "kind", "url", "email", "description", "country", "learner_identification"}
    unknown = set(changes) - editable
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here.")
    for field, value in changes.items():
        setattr(issuer, field, value)
    issuer.full_clean()
    issuer.save()
    return issuer
