"""Course completion: one service, atomic and idempotent, that asks credentials for the badge."""

import pytest
from django.db import transaction

from credentials.models import Award, BadgeClass
from credentials.services import AwardError
from learning import hooks, services
from learning.models import Enrolment, LessonPage
from learning.services import completion
from tests.learning.conftest import answers, finish, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete(enrolled, course, django_capture_on_commit_callbacks):
    """Finish the course with on-commit callbacks (the award request) run."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            finish(enrolled, course)
        return Enrolment.objects.get(user=enrolled, course=course)

    return run


@pytest.fixture
def sessions():
    """A mentoring app stand-in: a settable count of completed sessions."""
    count = {"n": 0}

    def counter(user, course_page):
        return count["n"]

    hooks.register_mentoring_sessions_counter(counter)
    yield count
    hooks.unregister(counter)


def test_an_unfinished_course_is_not_complete(enrolled, course):
    lesson = LessonPage.objects.child_of(course).first()
    services.mark_lesson_done(enrolled, lesson)
    assert Enrolment.objects.get().status == Enrolment.Status.ACTIVE


def test_all_lessons_done_and_the_quiz_passed_completes_the_course(complete):
    enrolment = complete()
    assert enrolment.is_completed and enrolment.completed_at is not None


def test_lessons_done_but_quiz_failed_does_not_complete(enrolled, course):
    lesson = quiz_lesson(course)
    services.submit_quiz(enrolled, lesson, quiz_block(lesson).id, answers(lesson, False), token())
    for item in services.course_lessons(course)[:2]:
        services.mark_lesson_done(enrolled, LessonPage.objects.get(pk=item.pk))
    assert Enrolment.objects.get().is_active


def test_completion_awards_the_course_badge_through_the_credentials_service(complete, enrolled):
    enrolment = complete()
    award = Award.objects.get()
    assert award.recipient == enrolled and award.badge_class == enrolment.course.badge_class
    assert enrolment.award == award and enrolment.award_status == Enrolment.AwardStatus.AWARDED


def test_the_award_carries_evidence_of_lessons_quiz_scores_and_date(complete):
    complete()
    evidence = Award.objects.get().evidence
    assert evidence[0]["name"] == "Completed the course “Opportunities”"
    assert "3 of 3 lessons done" in evidence[0]["narrative"]
    assert "Scored 100% (pass mark 100%) on attempt 1" in evidence[1]["narrative"]


def test_recomputing_a_completed_enrolment_changes_nothing(
    complete, django_capture_on_commit_callbacks
):
    enrolment = complete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.update_completion(enrolment)
        services.update_completions_for(enrolment.user)
    assert callbacks == [] and Award.objects.count() == 1
    assert Enrolment.objects.get().completed_at == enrolment.completed_at


def test_requesting_the_award_twice_awards_once(complete):
    enrolment = complete()
    services.request_award(enrolment.pk)
    services.request_award(enrolment.pk)
    assert Award.objects.count() == 1


def test_the_award_is_requested_only_after_the_completion_commits(enrolled, course):
    with transaction.atomic():
        finish(enrolled, course)
        assert Enrolment.objects.get().award_status == Enrolment.AwardStatus.PENDING
        assert not Award.objects.exists()


def test_an_unpublished_badge_leaves_the_completion_standing_and_says_why(complete, course_badge):
    BadgeClass.objects.filter(pk=course_badge.pk).update(status=BadgeClass.Status.DRAFT)
    enrolment = complete()
    assert enrolment.is_completed and enrolment.award_status == Enrolment.AwardStatus.FAILED
    assert "not published" in enrolment.award_message and not Award.objects.exists()


def test_staff_retry_awards_the_badge_once_it_is_published(complete, course_badge, course_staff):
    BadgeClass.objects.filter(pk=course_badge.pk).update(status=BadgeClass.Status.DRAFT)
    enrolment = complete()
    BadgeClass.objects.filter(pk=course_badge.pk).update(status=BadgeClass.Status.PUBLISHED)
    assert services.retry_awards(enrolment.course, course_staff) == 1
    assert Enrolment.objects.get().award_status == Enrolment.AwardStatus.AWARDED


def test_staff_of_another_institution_cannot_retry_awards(course, elsewhere_staff):
    with pytest.raises(PermissionError):
        services.retry_awards(course, elsewhere_staff)


def test_a_course_without_a_badge_completes_without_an_award(complete, course):
    course.badge_class = None
    course.save()
    enrolment = complete()
    assert enrolment.is_completed and enrolment.award_status == Enrolment.AwardStatus.NONE
    assert not Award.objects.exists()


def test_the_award_boundary_is_called_once_with_a_stable_key(complete, monkeypatch):
    """Test double at the credentials boundary: what learning sends, and how often."""
    calls = []

    def fake_award(badge_class, recipient, evidence=None, awarded_by=None, *, idempotency_key):
        calls.append((badge_class, recipient, idempotency_key, evidence))
        raise AwardError("The issuer's signing key is being rotated.")

    monkeypatch.setattr(completion, "award", fake_award)
    enrolment = complete()
    assert len(calls) == 1
    badge, recipient, key, evidence = calls[0]
    assert (badge, recipient, key) == (
        enrolment.course.badge_class,
        enrolment.user,
        f"learning:enrolment:{enrolment.pk}",
    )
    assert [item.name for item in evidence][:1] == ["Completed the course “Opportunities”"]
    assert enrolment.award_message == "The issuer's signing key is being rotated."


def test_required_mentoring_sessions_hold_completion_back(enrolled, course, sessions):
    course.required_mentoring_sessions = 1
    course.save()
    finish(enrolled, course)
    assert Enrolment.objects.get().is_active


def test_update_completions_for_completes_after_a_mentoring_session(enrolled, course, sessions):
    course.required_mentoring_sessions = 1
    course.save()
    finish(enrolled, course)
    sessions["n"] = 1
    completed = services.update_completions_for(enrolled)
    assert [e.course_id for e in completed] == [course.pk]
    assert Enrolment.objects.get().is_completed


def test_update_completions_for_an_anonymous_user_does_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert services.update_completions_for(AnonymousUser()) == []


def test_a_left_enrolment_does_not_complete(enrolled, course, sessions):
    course.required_mentoring_sessions = 1
    course.save()
    finish(enrolled, course)
    services.leave(enrolled, course)
    sessions["n"] = 1
    assert services.update_completions_for(enrolled) == []


def test_the_course_page_celebrates_completion(
    client, enrolled, course, django_capture_on_commit_callbacks
):
    lesson = quiz_lesson(course)
    for item in services.course_lessons(course)[:2]:
        services.mark_lesson_done(enrolled, LessonPage.objects.get(pk=item.pk))
    client.force_login(enrolled)
    data = {"action": "quiz", "quiz": quiz_block(lesson).id, "token": token()}
    data |= {f"q-{q}": c for q, c in answers(lesson).items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(lesson.url, data, follow=True)
    assert "Congratulations, you completed “Opportunities”" in response.content.decode()
    assert "Badge awarded" in client.get(course.url).content.decode()


# --- hooks other apps use


def test_with_no_counter_registered_sessions_count_zero(learner, course, monkeypatch):
    monkeypatch.setattr(hooks, "_sessions_counters", [])
    assert hooks.completed_mentoring_sessions(learner, course) == 0


def test_with_no_provider_registered_there_are_no_upcoming_sessions(learner, monkeypatch):
    monkeypatch.setattr(hooks, "_upcoming_providers", [])
    assert hooks.upcoming_mentoring_sessions(learner) == []


def test_registering_a_counter_twice_counts_once(learner, course, monkeypatch):
    monkeypatch.setattr(hooks, "_sessions_counters", [])

    def counter(user, course_page):
        return 2

    hooks.register_mentoring_sessions_counter(counter)
    hooks.register_mentoring_sessions_counter(counter)
    try:
        assert hooks.completed_mentoring_sessions(learner, course) == 2
    finally:
        hooks.unregister(counter)


def test_upcoming_sessions_come_soonest_first(learner, monkeypatch):
    monkeypatch.setattr(hooks, "_upcoming_providers", [])
    from datetime import UTC, datetime

    later = {
        "title": "B",
        "starts_at": datetime(2030, 1, 2, tzinfo=UTC),
        "url": "/",
        "with_whom": "M",
    }
    sooner = {
        "title": "A",
        "starts_at": datetime(2030, 1, 1, tzinfo=UTC),
        "url": "/",
        "with_whom": "M",
    }

    def provider(user):
        return [later, sooner]

    hooks.register_upcoming_sessions_provider(provider)
    try:
        assert [s["title"] for s in hooks.upcoming_mentoring_sessions(learner)] == ["A", "B"]
    finally:
        hooks.unregister(provider)
