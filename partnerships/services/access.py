"""Who may see and do what in a partnership.

A partnership's private workspace and its impact dashboard are for the staff of its member
institutions; the public page is for everyone, and shows only what the members chose to publish.
Staff of an institution that is not a member see nothing private. An institution's dashboard is
for its own staff; the site-wide dashboard for editors (``partnerships.view_site_impact``).
"""

from __future__ import annotations

from django.db.models import QuerySet

from credentials.models import Issuer
from credentials.services import can_act_for, issuers_for
from partnerships.models import Member, Partnership

__all__ = [
    "can_see_institution",
    "can_see_page",
    "can_see_site",
    "is_member_staff",
    "members_acted_for",
    "members_signed_for",
    "partnerships_of",
    "public_partnerships",
]


def members_acted_for(user, partnership: Partnership) -> QuerySet[Member]:
    """The memberships of ``partnership`` whose institution lists ``user`` as staff.

    Superusers act for every institution (``issuers_for``) and so for every member."""
    return partnership.members.filter(issuer__in=issuers_for(user)).select_related("issuer")


def members_signed_for(user, partnership: Partnership) -> QuerySet[Member]:
    """The memberships whose institution really lists ``user`` in its staff: those ``user``
    may agree the framework for, or choose what is published. Unlike :func:`members_acted_for`,
    being a superuser gives none: a superuser may read, never sign for a company."""
    if not user.is_authenticated or not user.is_active:
        return partnership.members.none()
    return partnership.members.filter(issuer__staff=user).select_related("issuer")


def is_member_staff(user, partnership: Partnership) -> bool:
    """True when ``user`` acts for at least one member institution of ``partnership``."""
    return members_acted_for(user, partnership).exists()


def partnerships_of(user) -> QuerySet[Partnership]:
    """The partnerships whose workspace ``user`` may open."""
    return Partnership.objects.filter(members__issuer__in=issuers_for(user)).distinct()


def public_partnerships() -> QuerySet[Partnership]:
    return Partnership.objects.filter(is_public=True)


def can_see_page(user, partnership: Partnership) -> bool:
    """The page of a public partnership is for everyone; of a private one, for its members'
    staff only (everyone else gets "not found": it does not say that it exists)."""
    return partnership.is_public or is_member_staff(user, partnership)


def can_see_institution(user, issuer: Issuer) -> bool:
    """An institution's impact dashboard is for those who act for it."""
    return can_act_for(user, issuer)


def can_see_site(user) -> bool:
    """The site-wide dashboard is for editors (and superusers)."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("partnerships.view_site_impact")
    )
