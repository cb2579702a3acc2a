"""How learning is wired: services announce, receivers enqueue, pages are handed their views.

Services never import tasks (docs/architecture.md): completing a course sends
``signals.award_requested`` after the commit, and ``receivers.request_course_award`` (connected
in ``LearningConfig.ready``) enqueues the ``learning.request_course_award`` task.
"""

import pytest
from django.db import transaction

from learning import receivers, services, signals, tasks, views
from learning.models import CourseCatalogPage, CoursePage, Enrolment, LessonPage
from tests.learning.conftest import finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def award_requests():
    """Every ``award_requested`` signal sent while the test runs: (sender, enrolment id)."""
    heard = []

    def listen(sender, enrolment_id, **kwargs):
        heard.append((sender, enrolment_id))

    signals.award_requested.connect(listen, weak=False)
    yield heard
    signals.award_requested.disconnect(listen)


def test_completing_a_course_announces_the_award_request_only_after_commit(
    enrolled, course, award_requests, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        finish(enrolled, course)
        assert award_requests == []  # nothing is asked before the completion commits
    enrolment = Enrolment.objects.get(user=enrolled, course=course)
    assert award_requests == [(Enrolment, enrolment.pk)]


def test_a_course_without_a_badge_requests_nothing(
    enrolled, course, award_requests, django_capture_on_commit_callbacks
):
    course.badge_class = None
    course.save()
    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    assert Enrolment.objects.get().is_completed
    assert award_requests == []


def test_the_receiver_enqueues_the_award_task_once(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.request_course_award, "delay", queued.append)
    signals.award_requested.send(sender=Enrolment, enrolment_id=42)
    assert queued == [42]  # connected once, however often ``ready()`` ran


def test_the_receiver_only_enqueues(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.request_course_award, "delay", queued.append)
    receivers.request_course_award(sender=Enrolment, enrolment_id=7)
    assert queued == [7]


def test_the_task_keeps_its_name_and_only_calls_the_service(monkeypatch):
    assert tasks.request_course_award.name == "learning.request_course_award"
    monkeypatch.setattr(services, "request_award", lambda enrolment_id: None)
    assert tasks.request_course_award.delay(7).get() is None


@pytest.mark.parametrize(
    "page_type, view",
    [
        (CourseCatalogPage, views.serve_catalogue),
        (CoursePage, views.serve_course),
        (LessonPage, views.serve_lesson),
    ],
)
def test_each_page_type_is_served_by_its_view(page_type, view):
    assert page_type.page_view is view
