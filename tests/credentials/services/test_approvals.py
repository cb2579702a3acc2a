"""Approvals: only an institution's own staff approve what is done in its name.

Personas: ``staff`` (the member, of ``uni``), ``other_staff`` (a colleague at another
institution), ``learner`` (an outsider) — from tests/credentials/conftest.py."""

import pytest
from django.core import mail

from credentials import signals
from credentials.models import ApprovalRequest, Issuer
from credentials.services import approvals
from tests.credentials.factories import make_badge

pytestmark = pytest.mark.django_db
Kind, State = ApprovalRequest.Kind, ApprovalRequest.State


@pytest.fixture
def approvals_join(uni, learner, staff):
    """The outsider asks to join uni's staff (after uni has its first member)."""
    return approvals.request_staff(uni, by=learner)


def test_asking_to_join_waits_and_tells_the_staff(
    uni, learner, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = approvals.request_staff(uni, by=learner)
    assert made.state == State.PENDING and made.requested_by == learner
    assert not uni.staff.filter(pk=learner.pk).exists()
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "Staff membership" in mail.outbox[0].subject
    assert list(approvals.pending_for(uni)) == [made]


def test_asking_twice_is_one_request(uni, learner, staff):
    first = approvals.request_staff(uni, by=learner)
    again = approvals.request_staff(uni, by=learner)
    assert first.pk == again.pk
    assert ApprovalRequest.objects.filter(kind=Kind.STAFF).count() == 1


def test_the_member_approves_and_the_requester_joins_and_is_told(
    uni, learner, staff, approvals_join, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decided = approvals.approve(approvals_join, by=staff)
    assert decided.state == State.APPROVED and decided.decided_by == staff
    assert uni.staff.filter(pk=learner.pk).exists()
    assert mail.outbox[-1].to == [learner.email]
    assert "approved" in mail.outbox[-1].subject


def test_a_double_click_on_approve_changes_nothing(
    staff, approvals_join, django_capture_on_commit_callbacks
):
    first = approvals.approve(approvals_join, by=staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = approvals.approve(approvals_join, by=staff)
    assert second.decided_at == first.decided_at and not callbacks


def test_a_decided_request_cannot_be_decided_the_other_way(learner, uni, staff, approvals_join):
    approvals.decline(approvals_join, by=staff)
    with pytest.raises(approvals.ApprovalError, match="declined already"):
        approvals.approve(approvals_join, by=staff)
    assert not uni.staff.filter(pk=learner.pk).exists()


def test_a_colleague_at_another_institution_may_not_decide(
    uni, learner, other_staff, approvals_join
):
    for decide in (approvals.approve, approvals.decline):
        with pytest.raises(PermissionError):
            decide(approvals_join, by=other_staff)
    approvals_join.refresh_from_db()
    assert approvals_join.state == State.PENDING
    assert not uni.staff.filter(pk=learner.pk).exists()


def test_the_outsider_may_not_approve_their_own_request(uni, learner, approvals_join):
    with pytest.raises(PermissionError):
        approvals.approve(approvals_join, by=learner)
    assert not uni.staff.filter(pk=learner.pk).exists()


def test_a_superuser_sets_the_first_staff_member(uni, superuser):
    made = approvals.request_staff(uni, by=superuser)
    assert made.state == State.APPROVED and uni.staff.filter(pk=superuser.pk).exists()


def test_requesting_for_a_missing_institution_is_refused(learner, uni):
    gone = Issuer(pk=uni.pk + 1000, name="Gone", slug="gone")
    with pytest.raises(approvals.ApprovalError, match="does not exist"):
        approvals.request_staff(gone, by=learner)
    with pytest.raises(approvals.ApprovalError):
        approvals.request_staff(None, by=learner)
    assert not ApprovalRequest.objects.exists()


def test_deciding_a_missing_request_is_refused(staff):
    with pytest.raises(approvals.ApprovalError, match="no such request"):
        approvals.approve("00000000-0000-0000-0000-000000000000", by=staff)


def test_only_the_requester_withdraws(learner, staff, other_staff, approvals_join):
    for someone in (staff, other_staff):
        with pytest.raises(PermissionError):
            approvals.withdraw(approvals_join, by=someone)
    assert approvals.withdraw(approvals_join, by=learner).state == State.WITHDRAWN
    assert approvals.withdraw(approvals_join, by=learner).state == State.WITHDRAWN  # idempotent
    with pytest.raises(approvals.ApprovalError):
        approvals.approve(approvals_join, by=staff)


def test_asking_again_after_a_decline_opens_the_request_anew(uni, learner, staff, approvals_join):
    approvals.decline(approvals_join, by=staff)
    again = approvals.request_staff(uni, by=learner)
    assert again.pk == approvals_join.pk and again.state == State.PENDING
    assert again.decided_by is None


def test_a_course_badge_waits_for_its_institution(uni, other_issuer, staff, other_staff, learner):
    badge = make_badge(uni)
    made = approvals.request_course_badge(badge, 42, by=other_staff, label="Course “X”")
    assert made.issuer == uni and made.state == State.PENDING
    assert not approvals.is_approved(Kind.COURSE_BADGE, 42, badge=badge)
    with pytest.raises(PermissionError):
        approvals.approve(made, by=learner)
    approvals.approve(made, by=staff)
    assert approvals.is_approved(Kind.COURSE_BADGE, 42, badge=badge)
    assert not approvals.is_approved(Kind.COURSE_BADGE, 43, badge=badge)


def test_its_own_staff_need_not_ask(uni, staff):
    badge = make_badge(uni)
    made = approvals.request_course_badge(badge, 7, by=staff, label="Course “Y”")
    assert made.state == State.APPROVED and made.decided_by == staff


def test_a_decision_is_announced_once(staff, approvals_join, django_capture_on_commit_callbacks):
    seen = []

    def listen(sender, **kwargs):
        seen.append(kwargs["state"])

    signals.approval_decided.connect(listen, dispatch_uid="test.approvals.listen")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            approvals.approve(approvals_join, by=staff)
            approvals.approve(approvals_join, by=staff)
    finally:
        signals.approval_decided.disconnect(dispatch_uid="test.approvals.listen")
    assert seen == [State.APPROVED]
