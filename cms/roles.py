"""Roles are Django groups; a person can hold several.

This module lists every role and grants, revokes and checks them. An app that checks a role
without importing the site defines that role's group name and this module takes it from there
(``mentoring.roles.MENTORS``), so each name is written once.

A person's group names are read once per user object (once per request) through Django's own
cache of ``user.groups``: ``prefetch_related_objects`` fills it, and adding or removing groups
empties it. ``mentoring.roles`` reads the same cache.

Issuer staff are object-level: membership of the group lets someone into the institution
area, but what they may act on is the set of issuers that list them as staff
(see ``credentials.services.issuers_for``).
"""

from django.contrib.auth.models import Group
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from mentoring.roles import MENTORS

LEARNERS = "Learners"
ISSUER_STAFF = "Issuer staff"
EDITORS = "Editors"

ALL_ROLES = (LEARNERS, MENTORS, ISSUER_STAFF, EDITORS)

# How each role is named on a page (the group names stay English: code and data use them).
LABELS = {
    LEARNERS: _("Learners"),
    MENTORS: _("Mentors"),
    ISSUER_STAFF: _("Issuer staff"),
    EDITORS: _("Editors"),
}


def group(role: str) -> Group:
    if role not in ALL_ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ALL_ROLES)}.")
    return Group.objects.get_or_create(name=role)[0]


def label(role: str) -> str:
    """The role's name for people to read, in the active language."""
    return str(LABELS.get(role, role))


def grant(user, *roles: str) -> None:
    user.groups.add(*(group(role) for role in roles))


def revoke(user, *roles: str) -> None:
    user.groups.remove(*(group(role) for role in roles))


def _names(user) -> frozenset[str]:
    """The person's group names, read once per user object (once per request)."""
    prefetch_related_objects([user], "groups")
    return frozenset(group.name for group in user.groups.all())


def has_role(user, role: str) -> bool:
    return user.is_authenticated and role in _names(user)


def roles_of(user) -> list[str]:
    if not user.is_authenticated:
        return []
    names = _names(user)
    return [role for role in ALL_ROLES if role in names]
