"""Roles are Django groups; a person can hold several.

Issuer staff are object-level: membership of the group lets someone into the institution
area, but what they may act on is the set of issuers that list them as staff
(see ``credentials.services.issuers_for``).
"""

from django.contrib.auth.models import Group

LEARNERS = "Learners"
MENTORS = "Mentors"
ISSUER_STAFF = "Issuer staff"
EDITORS = "Editors"

ALL_ROLES = (LEARNERS, MENTORS, ISSUER_STAFF, EDITORS)


def group(role: str) -> Group:
    if role not in ALL_ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ALL_ROLES)}.")
    return Group.objects.get_or_create(name=role)[0]


_CACHE = "_cocreate_role_names"


def grant(user, *roles: str) -> None:
    user.groups.add(*(group(role) for role in roles))
    user.__dict__.pop(_CACHE, None)


def revoke(user, *roles: str) -> None:
    user.groups.remove(*(group(role) for role in roles))
    user.__dict__.pop(_CACHE, None)


def _names(user) -> frozenset[str]:
    """The person's group names, read once per user object (once per request)."""
    if _CACHE not in user.__dict__:
        user.__dict__[_CACHE] = frozenset(user.groups.values_list("name", flat=True))
    return user.__dict__[_CACHE]


def has_role(user, role: str) -> bool:
    return user.is_authenticated and role in _names(user)


def roles_of(user) -> list[str]:
    if not user.is_authenticated:
        return []
    names = _names(user)
    return [role for role in ALL_ROLES if role in names]
