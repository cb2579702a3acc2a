"""The personas of the partnership tests, shared by every file in tests/partnerships/.

Northbridge University (alice's) and Helix Robotics (bob's) are the two members of the
Northbridge–Helix partnership; Corvid Analytics (charlie's) is an institution of the platform
that is not a member.
"""

from __future__ import annotations

from datetime import date

import pytest

from cms import roles
from credentials.models import Issuer
from partnerships.models import Member, Partnership
from tests.credentials.factories import make_issuer


def framework_words(**changes) -> dict:
    """The words of a complete proposal (no expected results), with ``changes``."""
    words = {
        "vision": "Graduates who turn research into products with industry.",
        "goals": "Two co-created courses and one mentoring programme by June.",
        "steering_group": "Prof. A. Martin (Northbridge), B. Okafor (Helix)",
        "decision_rules": "Consensus; the steering group settles disputes.",
        "meeting_rhythm": "Monthly",
        "ip_strategy": "Background stays with its owner; foreground is shared on fair terms.",
        "change_note": "First draft",
    }
    return {**words, **changes}


def result_row(owner: Issuer, title: str = "Robot-arm teaching kit", **changes) -> dict:
    row = {
        "title": title,
        "owner": owner,
        "may_use": "members",
        "licence": "royalty_free",
        "confidentiality": "members",
        "innovation_potential": "high",
        "description": "A kit for teaching robot programming.",
        "terms": "Members use it in teaching; no resale.",
    }
    return {**row, **changes}


@pytest.fixture
def member_university(db):
    return make_issuer("northbridge-u", name="Northbridge University")


@pytest.fixture
def member_company(db):
    return make_issuer("helix-robotics", name="Helix Robotics", kind=Issuer.Kind.COMPANY)


@pytest.fixture
def outsider_institution(db):
    return make_issuer("corvid", name="Corvid Analytics", kind=Issuer.Kind.COMPANY)


@pytest.fixture
def nh_partnership(member_university, member_company):
    partnership = Partnership.objects.create(
        name="Northbridge–Helix",
        slug="northbridge-helix",
        summary="Robotics courses and mentoring, made together.",
        started_on=date(2025, 9, 1),
        # Chosen by the members (private by default): the tests read the public page.
        is_public=True,
        publish_figures=True,
    )
    Member.objects.create(
        partnership=partnership, issuer=member_university, role=Member.Role.UNIVERSITY
    )
    Member.objects.create(partnership=partnership, issuer=member_company, role=Member.Role.INDUSTRY)
    return partnership


@pytest.fixture
def alice(make_user, member_university):
    """University staff: acts for Northbridge University."""
    user = make_user(
        "alice@northbridge.example", roles.ISSUER_STAFF, first_name="Alice", last_name="Martin"
    )
    member_university.staff.add(user)
    return user


@pytest.fixture
def bob(make_user, member_company):
    """Partner staff: acts for Helix Robotics."""
    user = make_user("bob@helix.example", roles.ISSUER_STAFF, first_name="Bob", last_name="Okafor")
    member_company.staff.add(user)
    return user


@pytest.fixture
def charlie(make_user, outsider_institution):
    """Staff of an institution that is not a member."""
    user = make_user("charlie@corvid.example", roles.ISSUER_STAFF, display_name="Charlie")
    outsider_institution.staff.add(user)
    return user


def member_of(partnership: Partnership, issuer: Issuer) -> Member:
    return partnership.members.get(issuer=issuer)
