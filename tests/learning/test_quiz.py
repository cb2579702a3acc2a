"""Quizzes are graded on the server; answers never reach the browser before submission."""

import pytest

from learning import services
from learning.models import QuizAttempt
from learning.presentation import lesson_blocks
from tests.learning.conftest import QUIZ, add_lesson, answers, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_page(course):
    return quiz_lesson(course)


@pytest.fixture
def quiz_id(quiz_page):
    return quiz_block(quiz_page).id


def post_quiz(client, quiz_page, quiz_id, given, form_token=None, **extra):
    data = {"action": "quiz", "quiz": quiz_id, "token": form_token or token()}
    data |= {f"q-{question}": choices for question, choices in given.items()}
    return client.post(quiz_page.url, data | extra)


def test_right_answers_pass_with_full_marks(enrolled, quiz_page, quiz_id):
    attempt = services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page), token())
    assert (attempt.passed, attempt.score, attempt.correct, attempt.total) == (True, 100, 2, 2)


def test_wrong_answers_fail_and_are_kept_with_their_score(enrolled, quiz_page, quiz_id):
    attempt = services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page, False), token())
    assert not attempt.passed and attempt.score == 0
    assert QuizAttempt.objects.get().answers == answers(quiz_page, False)


def test_a_multiple_choice_question_needs_exactly_the_right_choices(enrolled, quiz_page, quiz_id):
    given = answers(quiz_page)
    multiple = list(given)[1]
    given[multiple] = given[multiple][:1]  # one of the two right answers only
    attempt = services.submit_quiz(enrolled, quiz_page, quiz_id, given, token())
    assert attempt.score == 50 and attempt.results[multiple] is False


def test_the_page_never_sends_correct_answers_or_feedback_before_submission(
    client, enrolled, quiz_page
):
    client.force_login(enrolled)
    html = client.get(quiz_page.url).content.decode()
    assert "A daily workaround" in html
    for secret in ("FEEDBACK-RIGHT", "FEEDBACK-WRONG", "EXPLANATION-BEHAVIOUR", "Correct answer"):
        assert secret not in html
    assert '"correct"' not in html and "choice--correct" not in html


def test_after_a_failed_attempt_only_feedback_on_picked_answers_is_shown(
    client, enrolled, quiz_page, quiz_id
):
    client.force_login(enrolled)
    post_quiz(client, quiz_page, quiz_id, answers(quiz_page, False))
    html = client.get(quiz_page.url).content.decode()
    assert "FEEDBACK-WRONG" in html and "FEEDBACK-RIGHT" not in html
    assert "EXPLANATION-BEHAVIOUR" not in html and "1 attempt left" in html


def test_a_learner_locked_out_of_a_graded_quiz_sees_what_was_wrong_not_the_answers(
    enrolled, client, quiz_page, quiz_id
):
    for n in (1, 2):
        services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page, False), token(n))
    client.force_login(enrolled)
    html = client.get(quiz_page.url).content.decode()
    assert "You have no attempts left: you used all 2" in html
    assert "Not quite" in html  # which of their answers were wrong
    for secret in ("EXPLANATION-BEHAVIOUR", "Correct answer", "choice--correct", "FEEDBACK-RIGHT"):
        assert secret not in html
    enrolment = services.enrolment_of(enrolled, quiz_page.get_parent().specific)
    quiz = next(view.quiz for view in lesson_blocks(quiz_page, enrolment) if view.quiz)
    assert all(choice.correct is None for q in quiz.questions for choice in q.choices)
    assert all(question.explanation == "" for question in quiz.questions)


def test_answers_and_explanations_are_shown_once_the_learner_passes(
    enrolled, client, quiz_page, quiz_id
):
    services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page, False), token(1))
    services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page), token(2))
    client.force_login(enrolled)
    html = client.get(quiz_page.url).content.decode()
    assert "EXPLANATION-BEHAVIOUR" in html and "Correct answer" in html


def test_a_practice_quiz_shows_the_answers_once_its_attempts_are_used(enrolled, client, course):
    practice = add_lesson(course, "practice", [("quiz", QUIZ | {"graded": False})])
    quiz_id = quiz_block(practice).id
    for n in (1, 2):
        services.submit_quiz(enrolled, practice, quiz_id, answers(practice, False), token(n))
    client.force_login(enrolled)
    html = client.get(practice.url).content.decode()
    assert "EXPLANATION-BEHAVIOUR" in html and "Correct answer" in html


def test_a_double_submission_records_one_attempt(client, enrolled, quiz_page, quiz_id):
    client.force_login(enrolled)
    post_quiz(client, quiz_page, quiz_id, answers(quiz_page, False), token(7))
    post_quiz(client, quiz_page, quiz_id, answers(quiz_page, False), token(7))
    assert QuizAttempt.objects.count() == 1


def test_resubmitting_a_used_form_returns_the_first_attempt(enrolled, quiz_page, quiz_id):
    first = services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page, False), token(7))
    again = services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page), token(7))
    assert again == first and not again.passed


def test_another_learners_form_token_is_refused(enrolled, olaf, course, quiz_page, quiz_id):
    services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page, False), token(7))
    services.enrol(olaf, course)
    with pytest.raises(services.LearningError, match="already used"):
        services.submit_quiz(olaf, quiz_page, quiz_id, answers(quiz_page), token(7))


def test_attempts_are_numbered(enrolled, quiz_page, quiz_id):
    services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page, False), token(1))
    second = services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page), token(2))
    assert second.number == 2 and second.passed


def test_no_attempt_beyond_the_allowed_number(enrolled, quiz_page, quiz_id):
    for n in (1, 2):
        services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page, False), token(n))
    with pytest.raises(services.LearningError, match="used all 2 attempts"):
        services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page), token(3))
    assert QuizAttempt.objects.count() == 2


def test_a_passed_quiz_takes_no_more_attempts(enrolled, quiz_page, quiz_id):
    services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page), token(1))
    with pytest.raises(services.LearningError, match="already passed"):
        services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page), token(2))


def test_an_answer_for_a_question_not_in_the_quiz_is_refused(client, enrolled, quiz_page, quiz_id):
    client.force_login(enrolled)
    given = answers(quiz_page) | {"not-a-question": ["x"]}
    response = post_quiz(client, quiz_page, quiz_id, given)
    assert response.status_code == 400
    assert "not in this quiz" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_a_choice_that_is_not_an_option_is_refused(enrolled, quiz_page, quiz_id):
    given = answers(quiz_page)
    given[list(given)[0]] = ["forged-choice"]
    with pytest.raises(services.QuizInputError, match="not an option"):
        services.submit_quiz(enrolled, quiz_page, quiz_id, given, token())
    assert not QuizAttempt.objects.exists()


def test_unanswered_questions_get_a_message_next_to_them(client, enrolled, quiz_page, quiz_id):
    client.force_login(enrolled)
    given = answers(quiz_page)
    first = list(given)[0]
    del given[first]
    response = post_quiz(client, quiz_page, quiz_id, given)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="err-{first}">Choose an answer.' in html and "1 question still needs" in html
    assert not QuizAttempt.objects.exists()


def test_two_answers_to_a_single_choice_question_are_refused(enrolled, quiz_page, quiz_id):
    given = answers(quiz_page)
    first = list(given)[0]
    options = [
        cid for cid, _ in services.question_choices(quiz_block(quiz_page).value["questions"][0])
    ]
    given[first] = options
    with pytest.raises(services.QuizInputError) as error:
        services.submit_quiz(enrolled, quiz_page, quiz_id, given, token())
    assert error.value.errors == {first: "Choose only one answer."}


def test_a_quiz_not_in_the_lesson_is_refused(enrolled, quiz_page):
    with pytest.raises(services.LearningError, match="not part of this lesson"):
        services.submit_quiz(enrolled, quiz_page, "forged-quiz", {}, token())


def test_a_missing_or_malformed_form_token_is_refused(enrolled, quiz_page, quiz_id):
    with pytest.raises(services.LearningError, match="expired"):
        services.submit_quiz(enrolled, quiz_page, quiz_id, answers(quiz_page), "<script>")
    assert not QuizAttempt.objects.exists()


def test_a_learner_not_enrolled_cannot_submit(learner, quiz_page, quiz_id):
    with pytest.raises(services.LearningError, match="Enrol in"):
        services.submit_quiz(learner, quiz_page, quiz_id, answers(quiz_page), token())


def test_a_learner_of_another_course_cannot_submit_through_the_page(
    client, olaf, quiz_page, quiz_id
):
    client.force_login(olaf)
    response = post_quiz(client, quiz_page, quiz_id, answers(quiz_page))
    assert response.status_code == 302 and not QuizAttempt.objects.exists()


def test_a_passed_attempt_on_the_page_says_so(client, enrolled, quiz_page, quiz_id):
    client.force_login(enrolled)
    response = post_quiz(client, quiz_page, quiz_id, answers(quiz_page))
    html = client.get(response.url.split("#")[0]).content.decode()
    assert "Passed with 100%" in html


def test_a_practice_quiz_does_not_count_towards_completion(course):
    from tests.learning.conftest import QUIZ, add_lesson

    lesson = add_lesson(course, "practice", [("quiz", {**QUIZ, "graded": False})])
    assert lesson.graded_quizzes == []
