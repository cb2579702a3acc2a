"""The joint framework's rules: numbered versions, identical proposals, owners among the
members, who may agree what, agreements reset by a new version, and the history of changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerships.models import FrameworkAgreement, FrameworkVersion, Member
from partnerships.services import framework
from partnerships.services.framework import FrameworkError
from tests.partnerships.conftest import framework_words, member_of, result_row


def propose(partnership, by, results=(), **changes):
    return framework.propose_version(
        partnership, by, results=list(results), **framework_words(**changes)
    )


def test_versions_are_numbered_one_after_another(nh_partnership, alice, bob):
    first = propose(nh_partnership, alice)
    second = propose(nh_partnership, bob, goals="Three courses by June.")
    assert (first.number, second.number) == (1, 2)
    assert second.created_by == bob
    assert framework.latest(nh_partnership) == second


def test_a_proposal_identical_to_the_latest_creates_nothing(nh_partnership, alice, member_company):
    first = propose(nh_partnership, alice, results=[result_row(member_company)])
    again = propose(
        nh_partnership, alice, results=[result_row(member_company)], change_note="Saved twice"
    )
    assert again == first
    assert FrameworkVersion.objects.count() == 1
    assert first.results.count() == 1


def test_expected_results_are_kept_in_order_with_their_terms(
    nh_partnership, alice, member_university, member_company
):
    version = propose(
        nh_partnership,
        alice,
        results=[result_row(member_company), result_row(member_university, "Open syllabus")],
    )
    titles = list(version.results.values_list("title", "owner__name", "licence"))
    assert titles == [
        ("Robot-arm teaching kit", "Helix Robotics", "royalty_free"),
        ("Open syllabus", "Northbridge University", "royalty_free"),
    ]


def test_an_owner_who_is_not_a_member_is_refused(nh_partnership, alice, outsider_institution):
    with pytest.raises(FrameworkError, match="must be owned by a member"):
        propose(nh_partnership, alice, results=[result_row(outsider_institution)])
    assert not FrameworkVersion.objects.exists()


def test_a_bad_choice_in_a_result_is_refused(nh_partnership, alice, member_company):
    with pytest.raises(FrameworkError, match="Choose who may use"):
        propose(nh_partnership, alice, results=[result_row(member_company, licence="forever")])


def test_blank_required_words_are_refused(nh_partnership, alice):
    with pytest.raises(FrameworkError, match="Fill in the shared vision") as refused:
        propose(nh_partnership, alice, vision="   ")
    assert refused.value.field == "vision"
    with pytest.raises(FrameworkError, match="Fill in the meeting rhythm"):
        propose(nh_partnership, alice, meeting_rhythm="")
    assert not FrameworkVersion.objects.exists()


def test_outsiders_may_not_propose(nh_partnership, charlie, learner):
    for person in (charlie, learner):
        with pytest.raises(FrameworkError, match="Only the staff of a member"):
            propose(nh_partnership, person)
    assert not FrameworkVersion.objects.exists()


def test_a_superuser_may_propose(nh_partnership, superuser):
    assert propose(nh_partnership, superuser).number == 1


def test_each_member_agrees_for_its_own_institution_only(
    nh_partnership, alice, bob, member_university, member_company
):
    version = propose(nh_partnership, alice)
    with pytest.raises(FrameworkError, match="Only the staff of Helix Robotics"):
        framework.agree(version, member_of(nh_partnership, member_company), alice)
    framework.agree(version, member_of(nh_partnership, member_university), alice)
    assert framework.agreed_on(version) is None
    agreement = framework.agree(version, member_of(nh_partnership, member_company), bob)
    assert agreement.agreed_by == bob
    assert framework.agreed_on(version) == agreement.agreed_at
    assert framework.current_agreed(nh_partnership) == version


def test_outsiders_may_not_agree(nh_partnership, alice, charlie, member_university):
    version = propose(nh_partnership, alice)
    with pytest.raises(FrameworkError):
        framework.agree(version, member_of(nh_partnership, member_university), charlie)
    assert not FrameworkAgreement.objects.exists()


def test_agreeing_twice_records_one_agreement(nh_partnership, alice, member_university):
    version = propose(nh_partnership, alice)
    member = member_of(nh_partnership, member_university)
    first = framework.agree(version, member, alice)
    second = framework.agree(version, member, alice)
    assert first.pk == second.pk
    assert FrameworkAgreement.objects.count() == 1


def test_only_the_latest_version_can_be_agreed(nh_partnership, alice, member_university):
    old = propose(nh_partnership, alice)
    propose(nh_partnership, alice, goals="Changed goals")
    with pytest.raises(FrameworkError, match="no longer the latest"):
        framework.agree(old, member_of(nh_partnership, member_university), alice)


def test_a_member_of_another_partnership_cannot_agree_here(
    nh_partnership, alice, member_university
):
    from partnerships.models import Partnership

    other = Partnership.objects.create(
        name="Other", slug="other", summary="x", started_on=timezone.localdate()
    )
    stranger = Member.objects.create(
        partnership=other, issuer=member_university, role=Member.Role.UNIVERSITY
    )
    version = propose(nh_partnership, alice)
    with pytest.raises(FrameworkError, match="not a member"):
        framework.agree(version, stranger, alice)


def test_a_new_version_needs_everyone_to_agree_again(
    nh_partnership, alice, bob, member_university, member_company
):
    first = propose(nh_partnership, alice)
    framework.agree(first, member_of(nh_partnership, member_university), alice)
    framework.agree(first, member_of(nh_partnership, member_company), bob)
    second = propose(nh_partnership, bob, goals="More ambitious goals")
    assert framework.agreed_on(second) is None
    assert not second.agreements.exists()
    # The last version everyone agreed stays the agreed framework until then.
    assert framework.current_agreed(nh_partnership) == first
    framework.agree(second, member_of(nh_partnership, member_university), alice)
    framework.agree(second, member_of(nh_partnership, member_company), bob)
    assert framework.current_agreed(nh_partnership) == second


def test_agreed_on_is_the_time_of_the_last_agreement(
    nh_partnership, alice, bob, member_university, member_company
):
    version = propose(nh_partnership, alice)
    framework.agree(version, member_of(nh_partnership, member_university), alice)
    later = framework.agree(version, member_of(nh_partnership, member_company), bob)
    FrameworkAgreement.objects.filter(pk=later.pk).update(
        agreed_at=timezone.now() + timedelta(days=2)
    )
    later.refresh_from_db()
    assert framework.agreed_on(version) == later.agreed_at
    assert framework.current_agreed(nh_partnership).agreed_at == later.agreed_at


def test_nothing_is_agreed_without_versions_or_members(nh_partnership):
    assert framework.current_agreed(nh_partnership) is None
    assert framework.history(nh_partnership) == []


def test_history_says_who_changed_what_and_who_agreed(
    nh_partnership, alice, bob, member_university, member_company
):
    propose(
        nh_partnership,
        alice,
        results=[result_row(member_company), result_row(member_university, "Open syllabus")],
    )
    second = propose(
        nh_partnership,
        bob,
        goals="Three courses by June.",
        meeting_rhythm="Every two weeks",
        results=[
            result_row(member_company, licence="exclusive"),
            result_row(member_company, "Pitch-day format"),
        ],
    )
    framework.agree(second, member_of(nh_partnership, member_company), bob)

    newest, oldest = framework.history(nh_partnership)
    assert newest.version == second and newest.version.created_by == bob
    assert newest.fields == ["goals", "meeting rhythm"]
    assert newest.results_added == ["Pitch-day format"]
    assert newest.results_removed == ["Open syllabus"]
    assert newest.results_changed == ["Robot-arm teaching kit"]
    states = [(s.member.issuer.name, s.agreement and s.agreement.agreed_by) for s in newest.states]
    assert states == [("Northbridge University", None), ("Helix Robotics", bob)]
    assert newest.agreed_on is None
    assert oldest.is_first and oldest.version.created_by == alice


def test_change_of_one_version(nh_partnership, alice):
    propose(nh_partnership, alice)
    propose(nh_partnership, alice, vision="A new vision")
    change = framework.change_of(nh_partnership, 2)
    assert change.fields == ["shared vision"]
    assert change.previous.number == 1
    assert framework.change_of(nh_partnership, 3) is None
