"""Lessons are served only to enrolled learners and editors; everyone else sees the course."""

import pytest

from learning import services
from learning.models import LessonPage

pytestmark = pytest.mark.django_db

BODY = "LESSON-ONE-BODY"


@pytest.fixture
def intro_lesson(course):
    return LessonPage.objects.child_of(course).get(slug="opportunities-intro")


def test_an_enrolled_learner_reads_the_lesson(client, enrolled, intro_lesson):
    client.force_login(enrolled)
    response = client.get(intro_lesson.url)
    assert response.status_code == 200 and BODY in response.content.decode()


def test_a_learner_who_completed_the_course_can_still_read_it(
    client, enrolled, course, intro_lesson
):
    from tests.learning.conftest import finish

    finish(enrolled, course)
    client.force_login(enrolled)
    assert BODY in client.get(intro_lesson.url).content.decode()


def test_anonymous_visitors_are_sent_to_the_course_page(client, course, intro_lesson):
    response = client.get(intro_lesson.url)
    assert response.status_code == 302 and response.url == course.url


def test_anonymous_visitors_are_told_to_log_in_and_enrol(client, intro_lesson):
    html = client.get(intro_lesson.url, follow=True).content.decode()
    assert "Log in and enrol" in html and BODY not in html


def test_a_learner_not_enrolled_is_sent_to_the_course_page(client, learner, course, intro_lesson):
    client.force_login(learner)
    response = client.get(intro_lesson.url, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == course.url
    assert "Enrol in “Opportunities” to open its lessons" in html and BODY not in html


def test_a_learner_of_another_course_cannot_read_this_one(client, olaf, course, intro_lesson):
    client.force_login(olaf)
    assert client.get(intro_lesson.url).status_code == 302


def test_a_learner_who_left_can_no_longer_read_lessons(client, enrolled, course, intro_lesson):
    services.leave(enrolled, course)
    client.force_login(enrolled)
    assert client.get(intro_lesson.url).status_code == 302


def test_issuer_staff_who_do_not_edit_pages_cannot_read_lessons(client, course_staff, intro_lesson):
    client.force_login(course_staff)
    assert client.get(intro_lesson.url).status_code == 302


def test_staff_of_another_institution_cannot_read_lessons(client, elsewhere_staff, intro_lesson):
    client.force_login(elsewhere_staff)
    assert client.get(intro_lesson.url).status_code == 302


def test_an_editor_reads_the_lesson_without_being_enrolled(client, editor, intro_lesson):
    client.force_login(editor)
    html = client.get(intro_lesson.url).content.decode()
    assert BODY in html and "viewing this lesson as an editor" in html


def test_a_superuser_reads_the_lesson(client, superuser, intro_lesson):
    client.force_login(superuser)
    assert client.get(intro_lesson.url).status_code == 200


def test_a_not_enrolled_learner_cannot_mark_a_lesson_done(client, learner, intro_lesson):
    client.force_login(learner)
    client.post(intro_lesson.url, {"action": "done"})
    with pytest.raises(services.LearningError, match="Enrol in"):
        services.mark_lesson_done(learner, intro_lesson)


def test_an_editor_cannot_record_progress(editor, intro_lesson):
    with pytest.raises(services.LearningError, match="Enrol in"):
        services.mark_lesson_done(editor, intro_lesson)


def test_course_outline_links_lessons_only_for_those_who_may_open_them(client, learner, course):
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    lesson = LessonPage.objects.child_of(course).first()
    assert f'href="{lesson.url}"' not in html and "Lessons open once you are enrolled" in html
