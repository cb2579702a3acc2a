"""The learner dashboard: courses with progress, next step, completions, badges, sessions."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from learning import hooks, services
from learning.models import LessonPage
from tests.learning.conftest import finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard(client):
    def get(user):
        client.force_login(user)
        response = client.get("/learning/")
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get("/learning/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_course_in_progress_shows_its_progress_bar(dashboard, enrolled, course):
    services.mark_lesson_done(enrolled, LessonPage.objects.child_of(course).first())
    html = dashboard(enrolled)
    assert '<progress max="100" value="25"' in html
    assert "1 of 3 lessons · 0 of 1 graded quiz" in html  # (1 + 0) of (3 + 1) steps: 25%


def test_the_figures_shown_add_up_to_the_percentage(dashboard, enrolled, course):
    """It said "2 of 4 lessons · 40 %": the quiz counted in the bar but not in the words."""
    first, second = LessonPage.objects.child_of(course).order_by("path")[:2]
    services.mark_lesson_done(enrolled, first)
    services.mark_lesson_done(enrolled, second)
    html = dashboard(enrolled)
    assert '<progress max="100" value="50"' in html
    assert "2 of 3 lessons · 0 of 1 graded quiz" in html
    assert "2 of 3 lessons</span>" not in html


def test_a_course_completed_before_a_lesson_was_added_stays_complete(
    dashboard, enrolled, course, django_capture_on_commit_callbacks
):
    from tests.learning.conftest import add_lesson

    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    add_lesson(course, "added-later")
    completed = dashboard(enrolled).split('id="completed-title"')[1]
    assert '<progress max="100" value="100"' in completed


def test_a_completed_course_is_listed_under_completed(
    dashboard, enrolled, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    completed = dashboard(enrolled).split('id="completed-title"')[1].split("</section>")[0]
    assert course.title in completed and "Courses you finish appear here" not in completed


def test_the_next_step_is_the_first_lesson_not_done(dashboard, enrolled, course):
    first, second = LessonPage.objects.child_of(course).order_by("path")[:2]
    services.mark_lesson_done(enrolled, first)
    assert f'href="{second.url}">{second.title}</a>' in dashboard(enrolled)


def test_a_completed_course_shows_100_percent_and_the_badge(
    dashboard, enrolled, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    html = dashboard(enrolled)
    assert '<progress max="100" value="100"' in html
    assert f"Badge awarded: <strong>{course.badge_class.name}</strong>" in html


def test_a_requested_award_is_shown_as_on_its_way(dashboard, enrolled, course):
    finish(enrolled, course)  # on-commit callbacks do not run: the request is pending
    assert "is on its way" in dashboard(enrolled)


def test_earned_badges_are_listed(dashboard, enrolled, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    html = dashboard(enrolled)
    assert "No badges yet" not in html and course.badge_class.issuer.name in html


def test_a_left_course_is_not_shown(dashboard, enrolled, course):
    services.leave(enrolled, course)
    assert "You are not taking a course right now" in dashboard(enrolled)


def test_empty_states_say_what_to_do(dashboard, learner, catalogue):
    html = dashboard(learner)
    assert "Browse the courses" in html and "No badges yet" in html and "No sessions booked" in html
    assert f'href="{reverse("mentoring:finder")}"' in html


def test_upcoming_mentoring_sessions_come_from_the_hook(dashboard, learner, monkeypatch):
    session = {
        "title": "Pitch practice",
        "starts_at": datetime(2031, 3, 4, 9, 30, tzinfo=UTC),
        "url": "/mentoring/sessions/1/",
        "with_whom": "Maya Mentor",
    }
    monkeypatch.setattr(hooks, "_upcoming_providers", [lambda user: [session]])
    html = dashboard(learner)
    assert 'href="/mentoring/sessions/1/">Pitch practice</a>' in html and "Maya Mentor" in html


def test_the_dashboard_shows_only_the_learners_own_courses(dashboard, enrolled, olaf):
    html = dashboard(olaf)
    assert "Teamwork" in html and "Opportunities</a>" not in html
