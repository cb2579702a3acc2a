"""Quizzes, graded on the server: their questions, validating and grading answers, attempts."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.blocks import StructValue

from learning.models import Enrolment, LessonPage, QuizAttempt
from learning.services.access import AnyUser
from learning.services.attempts import allowance_for
from learning.services.completion import update_completion
from learning.services.enrolment import enrolment_for_lesson, touch
from learning.services.errors import LearningError, QuizInputError
from learning.services.lessons import record_lesson_done, unmet_lesson_requirements
from learning.services.structure import course_of, find_block

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_form_token() -> str:
    """A fresh token for one rendered quiz form: submitting it twice records one attempt."""
    return secrets.token_urlsafe(24)


def quiz_questions(quiz_value: StructValue) -> list[tuple[str, StructValue]]:
    """The questions of a quiz block as (id, value) pairs, with their choices likewise."""
    return [(item.id, item.value) for item in quiz_value["questions"].bound_blocks]


def question_choices(question_value: StructValue) -> list[tuple[str, StructValue]]:
    return [(item.id, item.value) for item in question_value["choices"].bound_blocks]


def grade(
    quiz_value: StructValue, answers: Mapping[str, list[str]]
) -> tuple[dict[str, bool], int, int]:
    """Grade validated answers: a question is right when exactly its correct choices are picked."""
    results = {}
    for question_id, question in quiz_questions(quiz_value):
        right = {choice_id for choice_id, choice in question_choices(question) if choice["correct"]}
        results[question_id] = set(answers.get(question_id, [])) == right
    correct = sum(results.values())
    total = len(results)
    score = round(100 * correct / total) if total else 0
    return results, correct, score


def validate_answers(
    quiz_value: StructValue, answers: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """Check answers against the quiz; raise ``QuizInputError`` saying what is wrong."""
    questions = dict(quiz_questions(quiz_value))
    if set(answers) - set(questions):
        raise QuizInputError(
            _(
                "Your answers include a question that is not in this quiz. The quiz may have "
                "changed: reload the page and answer again."
            )
        )
    errors: dict[str, str] = {}
    cleaned: dict[str, list[str]] = {}
    for question_id, question in questions.items():
        picked = list(dict.fromkeys(answers.get(question_id) or []))
        options = {choice_id for choice_id, _choice in question_choices(question)}
        if not picked:
            errors[question_id] = _("Choose an answer.")
        elif any(choice not in options for choice in picked):
            raise QuizInputError(
                _(
                    "One of your answers is not an option of its question. Reload the page and "
                    "answer again."
                )
            )
        elif question["kind"] == "single" and len(picked) > 1:
            errors[question_id] = _("Choose only one answer.")
        cleaned[question_id] = picked
    if errors:
        count = len(errors)
        raise QuizInputError(
            ngettext(
                "%(count)s question still needs an answer.",
                "%(count)s questions still need an answer.",
                count,
            )
            % {"count": count},
            errors,
        )
    return cleaned


def attempts_left(allowed: int | None, attempts_used: int) -> int | None:
    """Attempts the learner still has of ``allowed``; None when attempts are unlimited."""
    if not allowed:
        return None
    return max(allowed - attempts_used, 0)


def submit_quiz(
    user: AnyUser,
    lesson: LessonPage,
    quiz_id: str,
    answers: Mapping[str, list[str]],
    token: str,
    number: int | None = None,
) -> QuizAttempt:
    """Grade a quiz on the server and store the attempt with its score.

    The same form token submitted again (double click, back button, a replayed request) returns
    the first attempt instead of recording another. ``number`` is the attempt the form was
    rendered for: when that attempt was already made (the quiz answered in another tab), the
    form is refused rather than counted as a further attempt. Passing every graded quiz of a
    lesson marks it done.
    """
    course = course_of(lesson)
    enrolment = enrolment_for_lesson(user, lesson, course)
    quiz = find_block(lesson, quiz_id, "quiz")
    if quiz is None:
        raise LearningError(_("That quiz is not part of this lesson. Reload the page."))
    if not TOKEN_PATTERN.match(token or ""):
        raise LearningError(_("This form has expired. Reload the page and answer again."))
    already = QuizAttempt.objects.filter(token=token).first()
    if already is not None:
        return _same_attempt(already, enrolment, lesson, quiz_id)
    cleaned = validate_answers(quiz.value, answers)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        already = QuizAttempt.objects.filter(token=token).first()
        if already is not None:
            return _same_attempt(already, enrolment, lesson, quiz_id)
        standing = allowance_for(locked, lesson, quiz_id)
        if standing.passed:
            raise LearningError(_("You already passed this quiz."))
        if number is not None and number > standing.next_number:
            raise LearningError(_("This form has expired. Reload the page and answer again."))
        if number is not None and number < standing.next_number:
            raise LearningError(
                _(
                    "Attempt %(number)s was already submitted, perhaps in another tab. Its "
                    "result is below."
                )
                % {"number": number}
            )
        if standing.left == 0:
            raise LearningError(
                ngettext(
                    "You have used all %(allowed)s attempt at this quiz. Ask the course team "
                    "for another attempt.",
                    "You have used all %(allowed)s attempts at this quiz. Ask the course team "
                    "for another attempt.",
                    standing.allowed,
                )
                % {"allowed": standing.allowed}
            )
        results, correct, score = grade(quiz.value, cleaned)
        pass_mark = quiz.value["pass_mark"]
        try:
            with transaction.atomic():
                attempt = QuizAttempt.objects.create(
                    enrolment=locked,
                    lesson=lesson,
                    quiz_id=quiz_id,
                    number=standing.next_number,
                    answers=cleaned,
                    results=results,
                    correct=correct,
                    total=len(results),
                    score=score,
                    pass_mark=pass_mark,
                    passed=score >= pass_mark,
                    token=token,
                )
        except IntegrityError:
            return QuizAttempt.objects.get(token=token)
        touch(locked)
        if attempt.passed and not unmet_lesson_requirements(locked, lesson):
            record_lesson_done(locked, lesson)
        update_completion(locked)
    return attempt


def _same_attempt(
    attempt: QuizAttempt, enrolment: Enrolment, lesson: LessonPage, quiz_id: str
) -> QuizAttempt:
    if (attempt.enrolment_id, attempt.lesson_id, attempt.quiz_id) != (
        enrolment.pk,
        lesson.pk,
        quiz_id,
    ):
        raise LearningError(_("This form was already used. Reload the page and answer again."))
    return attempt
