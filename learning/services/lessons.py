"""Working through a lesson: what it still requires, marking it done, reflections."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from learning.models import Enrolment, LessonPage, LessonProgress, QuizAttempt, ReflectionAnswer
from learning.services.access import AnyUser
from learning.services.completion import update_completion
from learning.services.enrolment import enrolment_for_lesson, touch
from learning.services.errors import LearningError
from learning.services.structure import course_of, find_block

REFLECTION_MAX_CHARS = 10_000


def unmet_lesson_requirements(
    enrolment: Enrolment,
    lesson: LessonPage,
    *,
    passed: set[str] | None = None,
    answered: set[str] | None = None,
) -> list[str]:
    """What still stands between the learner and marking this lesson done.

    ``passed`` (the ids of the lesson's quizzes the learner passed) and ``answered`` (its
    reflection prompts they answered) are read here unless the caller has them already.
    """
    if passed is None:
        passed = set(
            QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, passed=True).values_list(
                "quiz_id", flat=True
            )
        )
    if answered is None:
        answered = set(
            ReflectionAnswer.objects.filter(enrolment=enrolment, lesson=lesson).values_list(
                "block_id", flat=True
            )
        )
    missing = []
    for block in lesson.body:
        if block.id in lesson.graded_quizzes and block.id not in passed:
            missing.append(f"pass the quiz “{block.value['title']}”")
        if block.id in lesson.required_reflections and block.id not in answered:
            missing.append("answer the reflection prompt")
    return missing


def mark_lesson_done(user: AnyUser, lesson: LessonPage) -> LessonProgress:
    """Record that the learner finished a lesson, then recompute the course. Idempotent."""
    course = course_of(lesson)
    enrolment = enrolment_for_lesson(user, lesson, course)
    missing = unmet_lesson_requirements(enrolment, lesson)
    if missing:
        raise LearningError("To finish this lesson, " + " and ".join(missing) + ".")
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        progress = record_lesson_done(locked, lesson)
        touch(locked)
        update_completion(locked)
    return progress


def record_lesson_done(enrolment: Enrolment, lesson: LessonPage) -> LessonProgress:
    try:
        with transaction.atomic():
            return LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)[0]
    except IntegrityError:
        return LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)


def save_reflection(
    user: AnyUser, lesson: LessonPage, block_id: str, text: str
) -> ReflectionAnswer:
    """Keep the learner's answer to a reflection prompt; saving again revises it."""
    enrolment = enrolment_for_lesson(user, lesson)
    if find_block(lesson, block_id, "reflection") is None:
        raise LearningError("That reflection prompt is not part of this lesson. Reload the page.")
    text = (text or "").strip()
    if not text:
        raise LearningError("Write a few sentences before saving your reflection.")
    if len(text) > REFLECTION_MAX_CHARS:
        raise LearningError(
            f"Your reflection is {len(text):,} characters long; keep it under "
            f"{REFLECTION_MAX_CHARS:,}."
        )
    with transaction.atomic():
        answer, _ = ReflectionAnswer.objects.update_or_create(
            enrolment=enrolment, lesson=lesson, block_id=block_id, defaults={"text": text}
        )
        touch(enrolment)
    return answer
