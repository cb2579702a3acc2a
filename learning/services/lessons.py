"""Working through a lesson: what it still requires, marking it done, reflections."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from learning.lists import both
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
            missing.append(_("pass the quiz “%(title)s”") % {"title": block.value["title"]})
        if block.id in lesson.required_reflections and block.id not in answered:
            missing.append(_("answer the reflection prompt"))
    return missing


def mark_lesson_done(user: AnyUser, lesson: LessonPage) -> LessonProgress:
    """Record that the learner finished a lesson, then recompute the course. Idempotent."""
    course = course_of(lesson)
    enrolment = enrolment_for_lesson(user, lesson, course)
    missing = unmet_lesson_requirements(enrolment, lesson)
    if missing:
        raise LearningError(_("To finish this lesson, %(steps)s.") % {"steps": both(missing)})
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
        raise LearningError(
            _("That reflection prompt is not part of this lesson. Reload the page.")
        )
    text = (text or "").strip()
    if not text:
        raise LearningError(_("Write a few sentences before saving your reflection."))
    if len(text) > REFLECTION_MAX_CHARS:
        raise LearningError(
            _("Your reflection is %(length)s characters long; keep it under %(limit)s.")
            % {
                "length": number_format(len(text), force_grouping=True),
                "limit": number_format(REFLECTION_MAX_CHARS, force_grouping=True),
            }
        )
    with transaction.atomic():
        answer, _created = ReflectionAnswer.objects.update_or_create(
            enrolment=enrolment, lesson=lesson, block_id=block_id, defaults={"text": text}
        )
        touch(enrolment)
    return answer
