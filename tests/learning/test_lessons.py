"""Marking lessons done, the next lesson offered, and reflections kept."""

import pytest

from learning import services
from learning.models import LessonPage, LessonProgress, ReflectionAnswer
from tests.learning.conftest import add_lesson, answers, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))


def test_marking_a_lesson_done_records_it(enrolled, lessons):
    services.mark_lesson_done(enrolled, lessons[0])
    assert LessonProgress.objects.filter(lesson=lessons[0]).count() == 1


def test_marking_a_lesson_done_twice_records_once(enrolled, lessons):
    services.mark_lesson_done(enrolled, lessons[0])
    services.mark_lesson_done(enrolled, lessons[0])
    assert LessonProgress.objects.count() == 1


def test_a_lesson_with_a_graded_quiz_needs_the_quiz_passed_first(enrolled, course):
    with pytest.raises(services.LearningError, match="pass the quiz “Final quiz”"):
        services.mark_lesson_done(enrolled, quiz_lesson(course))
    assert not LessonProgress.objects.exists()


def test_a_required_reflection_must_be_answered_first(enrolled, course):
    lesson = add_lesson(
        course, "must-reflect", [("reflection", {"prompt": "Why?", "required": True})]
    )
    with pytest.raises(services.LearningError, match="answer the reflection prompt"):
        services.mark_lesson_done(enrolled, lesson)


def test_marking_done_on_the_page_offers_the_next_lesson(client, enrolled, lessons):
    client.force_login(enrolled)
    response = client.post(lessons[0].url, {"action": "done"})
    assert response.status_code == 302 and response.url == lessons[1].url


def test_the_lesson_page_links_the_next_lesson(client, enrolled, lessons):
    client.force_login(enrolled)
    html = client.get(lessons[0].url).content.decode()
    assert f'href="{lessons[1].url}" rel="next"' in html


def test_the_lesson_page_shows_course_progress(client, enrolled, lessons):
    services.mark_lesson_done(enrolled, lessons[0])
    client.force_login(enrolled)
    html = client.get(lessons[1].url).content.decode()
    assert '<progress max="100" value="25"' in html


def test_a_reflection_is_kept(enrolled, lessons):
    block = lessons[1].reflection_blocks()[0]
    services.save_reflection(enrolled, lessons[1], block.id, "  Spare parts wait for days.  ")
    assert ReflectionAnswer.objects.get().text == "Spare parts wait for days."


def test_saving_a_reflection_again_revises_it(enrolled, lessons):
    block = lessons[1].reflection_blocks()[0]
    services.save_reflection(enrolled, lessons[1], block.id, "First thought")
    services.save_reflection(enrolled, lessons[1], block.id, "Second thought")
    assert list(ReflectionAnswer.objects.values_list("text", flat=True)) == ["Second thought"]


def test_an_empty_reflection_is_refused_with_a_message_next_to_it(client, enrolled, lessons):
    block = lessons[1].reflection_blocks()[0]
    client.force_login(enrolled)
    response = client.post(
        lessons[1].url, {"action": "reflection", "block": block.id, "text": "   "}
    )
    assert response.status_code == 400
    assert "Write a few sentences" in response.content.decode()
    assert not ReflectionAnswer.objects.exists()


def test_an_overlong_reflection_is_refused(enrolled, lessons):
    block = lessons[1].reflection_blocks()[0]
    with pytest.raises(services.LearningError, match="keep it under"):
        services.save_reflection(enrolled, lessons[1], block.id, "x" * 10_001)


def test_a_reflection_for_a_prompt_not_in_the_lesson_is_refused(enrolled, lessons):
    with pytest.raises(services.LearningError, match="not part of this lesson"):
        services.save_reflection(enrolled, lessons[0], "made-up-block", "Text")


def test_a_reflection_saved_on_the_page_is_shown_again(client, enrolled, lessons):
    block = lessons[1].reflection_blocks()[0]
    client.force_login(enrolled)
    response = client.post(
        lessons[1].url,
        {"action": "reflection", "block": block.id, "text": "Calibration queues"},
        follow=True,
    )
    assert "Calibration queues</textarea>" in response.content.decode()


def test_a_not_enrolled_learner_cannot_save_a_reflection(learner, lessons):
    block = lessons[1].reflection_blocks()[0]
    with pytest.raises(services.LearningError, match="Enrol in"):
        services.save_reflection(learner, lessons[1], block.id, "Text")


def test_passing_the_quiz_marks_its_lesson_done(enrolled, course):
    lesson = quiz_lesson(course)
    services.submit_quiz(enrolled, lesson, quiz_block(lesson).id, answers(lesson), token())
    assert LessonProgress.objects.filter(lesson=lesson).exists()
