"""Enrolling in a course and leaving it, with its prerequisites; the enrolment a lesson needs."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import CoursePage, Enrolment, LessonPage
from learning.services.access import AnyUser, is_active_user
from learning.services.completion import update_completion
from learning.services.errors import LearningError, PrerequisitesMissing
from learning.services.structure import course_of


def enrolment_of(user: AnyUser, course: CoursePage) -> Enrolment | None:
    if not is_active_user(user):
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


def prerequisites_of(course: CoursePage) -> QuerySet[CoursePage]:
    """The published courses ``course`` builds on, read from the database."""
    return CoursePage.objects.live().filter(required_by=course.pk).order_by("title")


def missing_prerequisites(user: AnyUser, course: CoursePage) -> list[CoursePage]:
    """Prerequisite courses of ``course`` that ``user`` has not completed, in title order."""
    required = list(prerequisites_of(course))
    if not required:
        return []
    completed = set()
    if is_active_user(user):
        completed = set(
            Enrolment.objects.filter(
                user=user, course__in=required, status=Enrolment.Status.COMPLETED
            ).values_list("course_id", flat=True)
        )
    return [prerequisite for prerequisite in required if prerequisite.pk not in completed]


def enrol(user: AnyUser, course: CoursePage) -> Enrolment:
    """Enrol ``user`` in ``course`` (or bring them back after leaving). Idempotent."""
    if not is_active_user(user):
        raise LearningError(_("Log in to enrol in a course."))
    if not course.live:
        raise LearningError(_("This course is not open for enrolment."))
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None and existing.status != Enrolment.Status.LEFT:
        return existing
    missing = missing_prerequisites(user, course)
    if missing:
        raise PrerequisitesMissing(missing)
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                enrolment, created = Enrolment.objects.select_for_update().get_or_create(
                    user=user, course=course
                )
        except IntegrityError:  # a concurrent click won the race
            enrolment, created = (
                Enrolment.objects.select_for_update().get(user=user, course=course),
                False,
            )
        if not created and enrolment.status == Enrolment.Status.LEFT:
            enrolment.status = Enrolment.Status.ACTIVE
            enrolment.left_at = None
            enrolment.last_activity_at = now
            enrolment.save(update_fields=["status", "left_at", "last_activity_at"])
        return update_completion(enrolment)


def leave(user: AnyUser, course: CoursePage) -> Enrolment:
    """Leave a course. Progress is kept for when the learner comes back. Idempotent."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update().filter(user=user, course=course).first()
            if is_active_user(user)
            else None
        )
        if enrolment is None:
            raise LearningError(_("You are not enrolled in this course."))
        if enrolment.status == Enrolment.Status.COMPLETED:
            raise LearningError(_("You completed this course, so it stays on your record."))
        if enrolment.status == Enrolment.Status.ACTIVE:
            enrolment.status = Enrolment.Status.LEFT
            enrolment.left_at = timezone.now()
            enrolment.save(update_fields=["status", "left_at"])
        return enrolment


def enrolment_for_lesson(
    user: AnyUser, lesson: LessonPage, course: CoursePage | None = None
) -> Enrolment:
    if not lesson.live:
        raise LearningError(_("This lesson is not published."))
    course = course or course_of(lesson)
    enrolment = enrolment_of(user, course)
    if enrolment is None or not enrolment.opens_lessons:
        raise LearningError(
            _("Enrol in “%(title)s” to work on its lessons.") % {"title": course.title}
        )
    return enrolment


def touch(enrolment: Enrolment) -> None:
    enrolment.last_activity_at = timezone.now()
    enrolment.save(update_fields=["last_activity_at"])
