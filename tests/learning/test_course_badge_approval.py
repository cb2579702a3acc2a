"""A course awards (and advertises) another institution's badge only once that institution's
staff approve. Personas: ``course_staff`` (staff of the badge's institution: the member),
``elsewhere_staff`` (a colleague at another institution), ``editor`` and ``learner``
(outsiders to the institution)."""

import pytest

from credentials.models import ApprovalRequest, Award
from credentials.services import approvals
from learning import services
from learning.models import CoursePage, Enrolment
from tests.learning.conftest import build_course, finish

pytestmark = pytest.mark.django_db
State = ApprovalRequest.State


@pytest.fixture
def unapproved_course(catalogue, course_issuer, course_badge, editor):
    """The editor attached Northbridge's badge; Northbridge has not approved yet."""
    course = build_course(
        catalogue, "borrowed", institutions=[course_issuer], badge=course_badge,
        badge_approved=False,
    )  # fmt: skip
    services.request_badge_approval(course, by=editor)
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def learning_waiting(learner, unapproved_course, django_capture_on_commit_callbacks):
    """The learner completed the course before its badge was approved."""
    services.enrol(learner, unapproved_course)
    with django_capture_on_commit_callbacks(execute=True):
        finish(learner, unapproved_course)
    return Enrolment.objects.get(user=learner, course=unapproved_course)


def _request(course):
    return ApprovalRequest.objects.get(kind="course_badge", subject_id=course.pk)


def test_an_editor_attaching_a_badge_asks_its_institution(unapproved_course, editor):
    request = _request(unapproved_course)
    assert request.state == State.PENDING and request.requested_by == editor
    assert request.issuer == unapproved_course.badge_class.issuer


def test_completion_stands_but_no_badge_until_approved(learning_waiting):
    assert learning_waiting.is_completed
    assert learning_waiting.award_status == Enrolment.AwardStatus.PENDING
    assert "Waiting for Northbridge Test's staff to approve" in learning_waiting.award_message
    assert not Award.objects.exists()


def test_the_course_page_does_not_advertise_an_unapproved_badge(client, unapproved_course):
    html = client.get(unapproved_course.url).content.decode()
    assert unapproved_course.badge_class.name not in html


def test_the_course_page_advertises_the_badge_once_approved(
    client, unapproved_course, course_staff
):
    approvals.approve(_request(unapproved_course), by=course_staff)
    html = client.get(unapproved_course.url).content.decode()
    assert unapproved_course.badge_class.name in html


def test_approval_awards_waiting_completions_once(
    learning_waiting, unapproved_course, course_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approvals.approve(_request(unapproved_course), by=course_staff)
    with django_capture_on_commit_callbacks(execute=True):
        approvals.approve(_request(unapproved_course), by=course_staff)  # a double click
    assert services.award_waiting(unapproved_course.pk) == 0  # and a rerun of the task
    enrolment = Enrolment.objects.get(pk=learning_waiting.pk)
    assert enrolment.award_status == Enrolment.AwardStatus.AWARDED
    assert Award.objects.filter(recipient=learning_waiting.user).count() == 1


@pytest.mark.parametrize("who", ["elsewhere_staff", "editor", "learner"])
def test_nobody_but_the_institutions_staff_may_approve(
    request, who, learning_waiting, unapproved_course, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionError), django_capture_on_commit_callbacks(execute=True):
        approvals.approve(_request(unapproved_course), by=request.getfixturevalue(who))
    assert _request(unapproved_course).state == State.PENDING
    assert not Award.objects.exists()


def test_a_declined_course_says_why_and_awards_nothing(
    learning_waiting, unapproved_course, course_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approvals.decline(_request(unapproved_course), by=course_staff)
    services.request_award(learning_waiting.pk)
    enrolment = Enrolment.objects.get(pk=learning_waiting.pk)
    assert "declined" in enrolment.award_message and not Award.objects.exists()


def test_the_institutions_own_staff_attach_its_badge_at_once(
    catalogue, course_issuer, course_badge, course_staff
):
    course = build_course(
        catalogue, "own", institutions=[course_issuer], badge=course_badge, badge_approved=False
    )
    made = services.request_badge_approval(course, by=course_staff)
    assert made.state == State.APPROVED
    assert CoursePage.objects.get(pk=course.pk).approved_badge == course_badge


def test_switching_to_another_badge_needs_a_new_approval(
    unapproved_course, course_staff, course_issuer, editor
):
    from tests.learning.conftest import make_badge

    approvals.approve(_request(unapproved_course), by=course_staff)
    unapproved_course.badge_class = make_badge(course_issuer, "another-badge")
    unapproved_course.save()
    course = CoursePage.objects.get(pk=unapproved_course.pk)
    assert course.approved_badge is None


def test_saving_the_course_in_the_admin_asks_and_says_so(
    rf, catalogue, course_issuer, course_badge, editor
):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from learning.wagtail_hooks import ask_badge_institution

    course = build_course(
        catalogue, "fresh", institutions=[course_issuer], badge=course_badge, badge_approved=False
    )
    request = rf.post("/admin/pages/")
    request.user, request.session = editor, {}
    request._messages = FallbackStorage(request)
    ask_badge_institution(request, course)
    ask_badge_institution(request, course)  # saved twice: still one request
    assert _request(course).state == State.PENDING
    assert "once Northbridge Test's staff approve" in str(list(request._messages)[0])
