"""Enrolling, leaving, prerequisites: through the service and through the course page."""

import pytest
from django.contrib.auth.models import AnonymousUser

from learning import services
from learning.models import Enrolment, LessonPage, LessonProgress
from tests.learning.conftest import build_course, finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def advanced(catalogue, course):
    """A course that builds on ``course``."""
    advanced = build_course(catalogue, "advanced")
    advanced.prerequisites.add(course)
    advanced.save_revision().publish()
    return advanced


def test_enrolling_creates_an_active_enrolment(learner, course):
    enrolment = services.enrol(learner, course)
    assert enrolment.status == Enrolment.Status.ACTIVE and enrolment.user == learner


def test_enrolling_twice_records_one_enrolment(learner, course):
    services.enrol(learner, course)
    services.enrol(learner, course)
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_anonymous_visitors_cannot_enrol(course):
    with pytest.raises(services.LearningError, match="Log in"):
        services.enrol(AnonymousUser(), course)


def test_an_unpublished_course_refuses_enrolment(learner, course):
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(services.LearningError, match="not open"):
        services.enrol(learner, course)
    assert not Enrolment.objects.exists()


def test_missing_prerequisites_are_named_in_the_refusal(learner, advanced):
    with pytest.raises(services.PrerequisitesMissing, match="Complete “Opportunities” first"):
        services.enrol(learner, advanced)
    assert not Enrolment.objects.filter(course=advanced).exists()


def test_an_active_but_unfinished_prerequisite_is_still_missing(enrolled, advanced):
    with pytest.raises(services.PrerequisitesMissing):
        services.enrol(enrolled, advanced)


def test_a_completed_prerequisite_opens_enrolment(enrolled, course, advanced):
    finish(enrolled, course)
    assert services.enrol(enrolled, advanced).is_active


def test_leaving_marks_the_enrolment_left(enrolled, course):
    assert services.leave(enrolled, course).status == Enrolment.Status.LEFT


def test_leaving_a_course_one_is_not_in_is_refused(learner, course):
    with pytest.raises(services.LearningError, match="not enrolled"):
        services.leave(learner, course)


def test_a_completed_course_cannot_be_left(enrolled, course):
    finish(enrolled, course)
    with pytest.raises(services.LearningError, match="stays on your record"):
        services.leave(enrolled, course)


def test_coming_back_after_leaving_keeps_progress(enrolled, course):
    lesson = LessonPage.objects.child_of(course).first()
    services.mark_lesson_done(enrolled, lesson)
    services.leave(enrolled, course)
    enrolment = services.enrol(enrolled, course)
    assert enrolment.is_active and LessonProgress.objects.filter(enrolment=enrolment).count() == 1


# --- through the course page


def test_course_page_shows_an_enrol_button_to_learners(client, learner, course):
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert 'name="action" value="enrol"' in html


def test_course_page_asks_anonymous_visitors_to_log_in_to_enrol(client, course):
    html = client.get(course.url).content.decode()
    assert "Log in to enrol" in html and 'value="enrol"' not in html


def test_enrolling_on_the_course_page_opens_the_first_lesson(client, learner, course):
    client.force_login(learner)
    response = client.post(course.url, {"action": "enrol"})
    assert response.status_code == 302
    assert response.url == services.course_lessons(course)[0].url
    assert Enrolment.objects.filter(user=learner, course=course).exists()


def test_a_double_click_on_enrol_records_one_enrolment(client, learner, course):
    client.force_login(learner)
    client.post(course.url, {"action": "enrol"})
    client.post(course.url, {"action": "enrol"})
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_anonymous_post_to_enrol_is_sent_to_log_in(client, course):
    response = client.post(course.url, {"action": "enrol"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Enrolment.objects.exists()


def test_course_page_explains_missing_prerequisites(client, learner, advanced):
    client.force_login(learner)
    response = client.post(advanced.url, {"action": "enrol"}, follow=True)
    html = response.content.decode()
    assert "Complete “Opportunities” first" in html
    assert "First complete:" in html


def test_a_tampered_action_changes_nothing(client, learner, course):
    client.force_login(learner)
    response = client.post(course.url, {"action": "drop-table"}, follow=True)
    assert "That action is unknown" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_leaving_on_the_course_page(client, enrolled, course):
    client.force_login(enrolled)
    response = client.post(course.url, {"action": "leave"}, follow=True)
    assert "Your progress is kept" in response.content.decode()
    assert Enrolment.objects.get().status == Enrolment.Status.LEFT


def test_course_page_shows_workload_level_outcomes_and_badge(client, course):
    html = client.get(course.url).content.decode()
    assert "10 hours" in html and "EQF 6" in html and course.badge_class.name in html
