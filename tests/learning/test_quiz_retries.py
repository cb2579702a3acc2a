"""Trying a quiz again: an empty form for each new attempt, true attempt numbers, and a way to
ask the course team for another attempt once every attempt is used."""

import re

import pytest

from learning import services
from learning.models import QuizAttempt, QuizAttemptChange
from tests.learning.conftest import answers, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def retry_lesson(course):
    return quiz_lesson(course)


@pytest.fixture
def retry_quiz_id(retry_lesson):
    return quiz_block(retry_lesson).id


def form_of(html: str) -> str:
    """The quiz's answer form, or "" when the page shows none."""
    found = re.search(r'<form method="post"[^>]*class="quiz-form".*?</form>', html, re.S)
    return found.group(0) if found else ""


def hidden(form: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', form).group(1)


def post_form(client, lesson, form: str, given: dict[str, list[str]]):
    data = {name: hidden(form, name) for name in ("action", "quiz", "token", "attempt")}
    data |= {f"q-{question}": choices for question, choices in given.items()}
    return client.post(lesson.url, data)


def test_after_a_failed_attempt_the_page_offers_no_form_that_resubmits_the_old_answers(
    client, enrolled, retry_lesson, retry_quiz_id
):
    client.force_login(enrolled)
    first = form_of(client.get(retry_lesson.url).content.decode())
    post_form(client, retry_lesson, first, answers(retry_lesson, False))
    html = client.get(retry_lesson.url).content.decode()
    assert form_of(html) == ""  # the failed attempt is shown read-only
    assert f'href="?retake={retry_quiz_id}#quiz-{retry_quiz_id}">Try again</a>' in html
    assert "You have 1 attempt left." in html


def test_try_again_opens_an_empty_form_for_the_next_attempt(
    client, enrolled, retry_lesson, retry_quiz_id
):
    services.submit_quiz(
        enrolled, retry_lesson, retry_quiz_id, answers(retry_lesson, False), token(1)
    )
    client.force_login(enrolled)
    html = client.get(f"{retry_lesson.url}?retake={retry_quiz_id}").content.decode()
    form = form_of(html)
    assert form and " checked" not in form and "FEEDBACK-WRONG" not in form
    assert hidden(form, "attempt") == "2" and "Submit attempt 2" in form
    response = post_form(client, retry_lesson, form, answers(retry_lesson))
    assert response.status_code == 302
    assert [a.number for a in QuizAttempt.objects.order_by("number")] == [1, 2]
    assert QuizAttempt.objects.get(number=2).passed


def test_a_form_sent_twice_or_from_two_tabs_uses_one_attempt(
    client, enrolled, retry_lesson, retry_quiz_id
):
    client.force_login(enrolled)
    tab_one = form_of(client.get(retry_lesson.url).content.decode())
    tab_two = form_of(client.get(retry_lesson.url).content.decode())
    wrong = answers(retry_lesson, False)
    post_form(client, retry_lesson, tab_one, wrong)
    post_form(client, retry_lesson, tab_one, wrong)  # double click, or the request replayed
    response = post_form(client, retry_lesson, tab_two, wrong)  # the same attempt, another tab
    assert QuizAttempt.objects.count() == 1
    assert "Attempt 1 was already submitted" in client.get(response.url).content.decode()


def test_the_last_failed_attempt_says_none_are_left_not_try_again(
    client, enrolled, retry_lesson, retry_quiz_id
):
    services.submit_quiz(
        enrolled, retry_lesson, retry_quiz_id, answers(retry_lesson, False), token(1)
    )
    client.force_login(enrolled)
    form = form_of(client.get(f"{retry_lesson.url}?retake={retry_quiz_id}").content.decode())
    response = post_form(client, retry_lesson, form, answers(retry_lesson, False))
    html = client.get(response.url.split("#")[0]).content.decode()
    assert "You have no attempts left" in html and "try again" not in html.lower()
    assert "Try again" not in html and form_of(html) == ""


def test_out_of_attempts_the_learner_can_ask_the_course_team_and_write_to_them(
    client, enrolled, course_issuer, retry_lesson, retry_quiz_id
):
    for n in (1, 2):
        services.submit_quiz(
            enrolled, retry_lesson, retry_quiz_id, answers(retry_lesson, False), token(n)
        )
    client.force_login(enrolled)
    html = client.get(retry_lesson.url).content.decode()
    assert f'href="mailto:{course_issuer.email}?subject=' in html
    assert "Ask the course team for another attempt" in html
    for _ in (1, 2):  # asking twice records one request
        client.post(retry_lesson.url, {"action": "ask_attempt", "quiz": retry_quiz_id})
    request = QuizAttemptChange.objects.get()
    assert (request.kind, request.by, request.after_attempt) == ("requested", enrolled, 2)
    html = client.get(retry_lesson.url).content.decode()
    assert "You asked the course team for another attempt on" in html


def test_a_learner_with_attempts_left_cannot_ask_for_more(enrolled, retry_lesson, retry_quiz_id):
    with pytest.raises(services.LearningError, match="still have an attempt"):
        services.request_another_attempt(enrolled, retry_lesson, retry_quiz_id)
    assert not QuizAttemptChange.objects.exists()


def test_a_multiple_choice_question_says_choose_all_that_apply_once(
    client, enrolled, course, retry_lesson
):
    from tests.learning.conftest import QUIZ, add_lesson

    said = {**QUIZ["questions"][1], "text": "Which belong? Choose all that apply."}
    lesson = add_lesson(course, "said-once", [("quiz", {**QUIZ, "questions": [said]})])
    client.force_login(enrolled)
    html = client.get(lesson.url).content.decode()
    assert html.lower().count("all that apply") == 1
    html = client.get(retry_lesson.url).content.decode()  # a question that does not say it
    assert html.count("(choose all that apply)") == 1
