"""What mentoring offers the learning app through ``learning.hooks`` (registered in
``MentoringConfig.ready``): completed sessions that count towards a course, and the learner's
next sessions for the learning dashboard.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from . import matching
from .models import MentorSession

Status = MentorSession.Status


def count_sessions_for_course(user, course_page) -> int:
    """Completed sessions relevant to a course: with a mentor sharing one of its competences
    (any completed session when the course names no competence)."""
    completed = MentorSession.objects.filter(learner=user, status=Status.COMPLETED)
    wanted = matching.course_competence_ids(course_page)
    if wanted:
        completed = completed.filter(mentor__competences__in=wanted).distinct()
    return completed.count()


def count_sessions_for_courses(pairs: list[tuple]) -> list[int]:
    """``count_sessions_for_course`` for many (user, course page) pairs: two queries per
    distinct course, whatever the number of learners."""
    by_course: dict[int, tuple] = {}
    for user, course in pairs:
        by_course.setdefault(course.pk, (course, set()))[1].add(user.pk)
    counted: dict[tuple[int, int], int] = {}
    for course_pk, (course, learner_pks) in by_course.items():
        completed = MentorSession.objects.filter(learner__in=learner_pks, status=Status.COMPLETED)
        wanted = matching.course_competence_ids(course)
        if wanted:
            completed = completed.filter(mentor__competences__in=wanted)
        for row in completed.values("learner_id").annotate(n=Count("pk", distinct=True)):
            counted[(row["learner_id"], course_pk)] = row["n"]
    return [counted.get((user.pk, course.pk), 0) for user, course in pairs]


def upcoming_for_dashboard(user) -> list[dict]:
    """The learner's next sessions, for the learning dashboard."""
    rows = (
        MentorSession.objects.filter(
            learner=user, status__in=MentorSession.ACTIVE, ends_at__gt=timezone.now()
        )
        .select_related("mentor__user")
        .order_by("starts_at")[:10]
    )
    return [
        {
            "title": (
                _("Mentoring with %(name)s (awaiting confirmation)")
                if s.status == Status.REQUESTED
                else _("Mentoring with %(name)s")
            )
            % {"name": s.mentor.name},
            "starts_at": s.starts_at,
            "url": s.get_absolute_url(),
            "with_whom": s.mentor.name,
        }
        for s in rows
    ]
