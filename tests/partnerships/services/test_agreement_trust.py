"""Who an agreement stands for: one person never makes a version agreed alone, superusers do
not sign for an institution, and editing the members never rewrites what was agreed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships.models import FrameworkAgreement, Member
from partnerships.services import framework
from partnerships.services.framework import FrameworkError
from tests.credentials.factories import make_issuer
from tests.partnerships.conftest import framework_words, member_of


def propose(partnership, by, **changes):
    return framework.propose_version(partnership, by, **framework_words(**changes))


@pytest.fixture
def alice_also_at_helix(alice, member_company):
    """Alice listed in the staff of both members (a consultant, a transfer office)."""
    member_company.staff.add(alice)
    return alice


def test_one_person_on_both_staffs_cannot_agree_for_both(
    nh_partnership, alice_also_at_helix, member_university, member_company
):
    version = propose(nh_partnership, alice_also_at_helix)
    framework.agree(version, member_of(nh_partnership, member_university), alice_also_at_helix)
    with pytest.raises(FrameworkError, match="One person agrees for one institution only"):
        framework.agree(version, member_of(nh_partnership, member_company), alice_also_at_helix)
    assert framework.agreed_on(version) is None
    assert framework.current_agreed(nh_partnership) is None
    assert FrameworkAgreement.objects.count() == 1


def test_the_database_refuses_one_person_for_two_institutions(
    nh_partnership, alice, bob, member_university, member_company
):
    version = propose(nh_partnership, alice)
    framework.agree(version, member_of(nh_partnership, member_university), alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkAgreement.objects.create(
            version=version,
            member=member_of(nh_partnership, member_company),
            issuer=member_company,
            agreed_by=alice,
        )


def test_agreements_of_deleted_people_do_not_collide(
    nh_partnership, alice, bob, member_university, member_company
):
    version = propose(nh_partnership, alice)
    framework.agree(version, member_of(nh_partnership, member_university), alice)
    framework.agree(version, member_of(nh_partnership, member_company), bob)
    agreed = framework.agreed_on(version)
    alice.delete()
    bob.delete()
    assert set(version.agreements.values_list("agreed_by", flat=True)) == {None}
    assert framework.agreed_on(version) == agreed


def test_a_superuser_does_not_sign_for_an_institution(
    nh_partnership, superuser, alice, member_company
):
    version = propose(nh_partnership, superuser)
    with pytest.raises(FrameworkError, match="Only the staff of Helix Robotics"):
        framework.agree(version, member_of(nh_partnership, member_company), superuser)
    assert not FrameworkAgreement.objects.exists()


def test_removing_the_member_still_waiting_leaves_the_version_unagreed(
    nh_partnership, alice, member_university, member_company
):
    version = propose(nh_partnership, alice)
    framework.agree(version, member_of(nh_partnership, member_university), alice)
    member_of(nh_partnership, member_company).delete()
    assert framework.agreed_on(version) is None
    assert framework.current_agreed(nh_partnership) is None
    assert [s.member.issuer for s in framework.member_states(version)] == [
        member_university,
        member_company,
    ]


def test_removing_a_member_keeps_its_agreement(
    nh_partnership, alice, bob, member_university, member_company
):
    version = propose(nh_partnership, alice)
    framework.agree(version, member_of(nh_partnership, member_university), alice)
    framework.agree(version, member_of(nh_partnership, member_company), bob)
    member_of(nh_partnership, member_company).delete()
    kept = FrameworkAgreement.objects.get(issuer=member_company)
    assert kept.member is None and kept.agreed_by == bob
    assert framework.current_agreed(nh_partnership) == version


def test_a_member_added_later_agrees_the_next_version(
    nh_partnership, alice, bob, make_user, member_university, member_company
):
    version = propose(nh_partnership, alice)
    framework.agree(version, member_of(nh_partnership, member_university), alice)
    framework.agree(version, member_of(nh_partnership, member_company), bob)
    broker = make_issuer("tto", name="Transfer Office")
    late = Member.objects.create(
        partnership=nh_partnership, issuer=broker, role=Member.Role.INTERMEDIARY
    )
    dora = make_user("dora@tto.example", display_name="Dora")
    broker.staff.add(dora)
    assert framework.current_agreed(nh_partnership) == version
    with pytest.raises(FrameworkError, match="joined after version 1"):
        framework.agree(version, late, dora)
    # The same words with the new member are a new version, for the three to agree.
    second = propose(nh_partnership, alice)
    assert second.number == 2
    assert set(second.signatories.all()) == {member_university, member_company, broker}


def test_a_members_institution_cannot_be_changed(nh_partnership, member_company):
    member = member_of(nh_partnership, member_company)
    member.issuer = make_issuer("corvid-x", name="Corvid")
    with pytest.raises(ValidationError, match="cannot be changed"):
        member.full_clean()


def test_one_signatory_is_never_agreed(member_university, alice):
    from datetime import date

    from partnerships.models import Partnership

    alone = Partnership.objects.create(
        name="Alone", slug="alone", summary="x", started_on=date(2025, 1, 1)
    )
    member = Member.objects.create(
        partnership=alone, issuer=member_university, role=Member.Role.UNIVERSITY
    )
    version = propose(alone, alice)
    framework.agree(version, member, alice)
    assert framework.agreed_on(version) is None
    assert framework.current_agreed(alone) is None


@pytest.mark.parametrize(
    ("roles", "both"),
    [
        (["university", "industry"], True),
        (["intermediary", "university"], True),
        (["university", "university"], False),
        (["industry", "intermediary"], False),
        (["university", "industry", "industry"], False),
        (["university"], False),
    ],
)
def test_both_sides_means_a_university_and_one_other_kind(roles, both):
    assert framework.both_sides(roles) is both
