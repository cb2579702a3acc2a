"""How many tries a learner has at a quiz, and the course team changing it.

A quiz allows ``max_attempts`` (0: unlimited). Course staff — whoever may see the course report —
can give a learner who used them all one more attempt, or reset the count so the learner has
every attempt again; a learner who used them all can ask for another. Each is a
``QuizAttemptChange`` row, so who did what and when stays on record. Attempts keep their true
numbers across a reset: the fourth submission is attempt 4, whatever was reset before it.

Granting and resetting are idempotent: granting when the learner already has an attempt left,
or resetting when no attempt counts, changes nothing and records nothing, so a double click or a
replayed request gives one attempt, not two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from credentials.models import Issuer
from learning.models import CoursePage, Enrolment, LessonPage, QuizAttempt, QuizAttemptChange
from learning.services.access import AnyUser, can_view_report, is_active_user
from learning.services.enrolment import enrolment_for_lesson
from learning.services.errors import LearningError
from learning.services.structure import course_of, find_block

Key = tuple[int, str]  # (lesson id, quiz block id)


@dataclass
class Allowance:
    """One learner's standing at one quiz."""

    max_attempts: int  # as the quiz sets it; 0 = unlimited
    made: int = 0  # every attempt ever submitted (the last attempt's number)
    counted: int = 0  # attempts that count against the allowance (since the last reset)
    granted: int = 0  # one-more grants since the last reset
    passed: bool = False
    best_score: int | None = None
    requested_at: datetime | None = None  # an open request for another attempt
    attempts: list[QuizAttempt] = field(default_factory=list)  # by number
    changes: list[QuizAttemptChange] = field(default_factory=list)  # oldest first

    @property
    def allowed(self) -> int | None:
        return self.max_attempts + self.granted if self.max_attempts else None

    @property
    def left(self) -> int | None:
        return None if self.allowed is None else max(self.allowed - self.counted, 0)

    @property
    def locked_out(self) -> bool:
        return self.left == 0 and not self.passed

    @property
    def next_number(self) -> int:
        return self.made + 1

    @property
    def last(self) -> QuizAttempt | None:
        return self.attempts[-1] if self.attempts else None


def _fold(
    allowance: Allowance, attempts: Iterable[QuizAttempt], changes: Iterable[QuizAttemptChange]
) -> Allowance:
    attempts = allowance.attempts = sorted(attempts, key=lambda attempt: attempt.number)
    allowance.changes = sorted(changes, key=lambda change: (change.at, change.pk))
    reset_after = 0
    for change in allowance.changes:
        if change.kind == QuizAttemptChange.Kind.RESET:
            reset_after, allowance.granted = change.after_attempt, 0
        elif change.kind == QuizAttemptChange.Kind.ONE_MORE:
            allowance.granted += 1
    allowance.made = max((a.number for a in attempts), default=0)
    allowance.counted = sum(1 for a in attempts if a.number > reset_after)
    allowance.passed = any(a.passed for a in attempts)
    allowance.best_score = max((a.score for a in attempts), default=None)
    last = allowance.changes[-1] if allowance.changes else None
    if last is not None and last.kind == QuizAttemptChange.Kind.REQUESTED and allowance.locked_out:
        allowance.requested_at = last.at
    return allowance


def allowance_for(enrolment: Enrolment, lesson: LessonPage, quiz_id: str) -> Allowance:
    """Where ``enrolment`` stands at one quiz of ``lesson`` (which must hold it)."""
    quiz = find_block(lesson, quiz_id, "quiz")
    if quiz is None:
        raise LearningError("That quiz is not part of this lesson. Reload the page.")
    return _fold(
        Allowance(quiz.value["max_attempts"] or 0),
        QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, quiz_id=quiz_id),
        QuizAttemptChange.objects.filter(enrolment=enrolment, lesson=lesson, quiz_id=quiz_id),
    )


def allowances_for(enrolment: Enrolment, lessons: Iterable[LessonPage]) -> dict[Key, Allowance]:
    """Where ``enrolment`` stands at every quiz of ``lessons``, in two queries."""
    lessons = list(lessons)
    attempts: dict[Key, list[QuizAttempt]] = defaultdict(list)
    changes: dict[Key, list[QuizAttemptChange]] = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(enrolment=enrolment, lesson__in=lessons):
        attempts[(attempt.lesson_id, attempt.quiz_id)].append(attempt)
    for change in QuizAttemptChange.objects.filter(
        enrolment=enrolment, lesson__in=lessons
    ).select_related("by"):
        changes[(change.lesson_id, change.quiz_id)].append(change)
    return {
        (lesson.pk, block.id): _fold(
            Allowance(block.value["max_attempts"] or 0),
            attempts[(lesson.pk, block.id)],
            changes[(lesson.pk, block.id)],
        )
        for lesson in lessons
        for block in lesson.quiz_blocks()
    }


def open_requests(enrolments: Iterable[Enrolment]) -> dict[int, list[QuizAttemptChange]]:
    """Requests for another attempt not yet answered by a grant or a reset, per enrolment."""
    latest: dict[tuple[int, int, str], QuizAttemptChange] = {}
    for change in QuizAttemptChange.objects.filter(
        enrolment__in=[e.pk for e in enrolments]
    ).order_by("at", "pk"):
        latest[(change.enrolment_id, change.lesson_id, change.quiz_id)] = change
    waiting: dict[int, list[QuizAttemptChange]] = defaultdict(list)
    for change in latest.values():
        if change.kind == QuizAttemptChange.Kind.REQUESTED:
            waiting[change.enrolment_id].append(change)
    return dict(waiting)


def open_request_counts(courses: Iterable[CoursePage]) -> dict[int, int]:
    """Learners per course waiting for an answer to their request for another attempt."""
    latest: dict[tuple[int, int, str], QuizAttemptChange] = {}
    for change in (
        QuizAttemptChange.objects.filter(enrolment__course__in=[course.pk for course in courses])
        .select_related("enrolment")
        .order_by("at", "pk")
    ):
        latest[(change.enrolment_id, change.lesson_id, change.quiz_id)] = change
    waiting: dict[int, set[int]] = defaultdict(set)
    for change in latest.values():
        if change.kind == QuizAttemptChange.Kind.REQUESTED:
            waiting[change.enrolment.course_id].add(change.enrolment_id)
    return {course_id: len(learners) for course_id, learners in waiting.items()}


def _staff_change(
    by: AnyUser, enrolment: Enrolment, lesson: LessonPage, quiz_id: str, kind: str
) -> QuizAttemptChange | None:
    course = course_of(lesson)
    if enrolment.course_id != course.pk:
        raise LearningError("That learner is not enrolled in this lesson's course.")
    if not (is_active_user(by) and can_view_report(by, course)):
        raise PermissionError(f"{by} may not change attempts in “{course.title}”.")
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        standing = allowance_for(locked, lesson, quiz_id)
        if standing.allowed is None:
            raise LearningError("This quiz allows unlimited attempts; there is nothing to grant.")
        if standing.passed:
            raise LearningError("This learner already passed the quiz.")
        if kind == QuizAttemptChange.Kind.ONE_MORE and standing.left:
            return None  # already has an attempt left: a repeated grant gives nothing more
        if kind == QuizAttemptChange.Kind.RESET and not standing.counted:
            return None  # nothing counts since the last reset
        return QuizAttemptChange.objects.create(
            enrolment=locked,
            lesson=lesson,
            quiz_id=quiz_id,
            kind=kind,
            after_attempt=standing.made,
            by=by,
        )


def grant_one_more_attempt(
    by: AnyUser, enrolment: Enrolment, lesson: LessonPage, quiz_id: str
) -> QuizAttemptChange | None:
    """Give a learner who used every attempt one more. None when they still have one left."""
    return _staff_change(by, enrolment, lesson, quiz_id, QuizAttemptChange.Kind.ONE_MORE)


def reset_attempts(
    by: AnyUser, enrolment: Enrolment, lesson: LessonPage, quiz_id: str
) -> QuizAttemptChange | None:
    """Let the learner have every attempt again (past attempts stay on record, numbered).
    None when no attempt counts against them."""
    return _staff_change(by, enrolment, lesson, quiz_id, QuizAttemptChange.Kind.RESET)


def request_another_attempt(user: AnyUser, lesson: LessonPage, quiz_id: str) -> QuizAttemptChange:
    """A learner who used every attempt asks the course team for another; asking again while
    the request is open returns the same request."""
    enrolment = enrolment_for_lesson(user, lesson)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        standing = allowance_for(locked, lesson, quiz_id)
        if not standing.locked_out:
            raise LearningError("You still have an attempt at this quiz: answer it first.")
        if standing.requested_at is not None:
            return standing.changes[-1]
        return QuizAttemptChange.objects.create(
            enrolment=locked,
            lesson=lesson,
            quiz_id=quiz_id,
            kind=QuizAttemptChange.Kind.REQUESTED,
            after_attempt=standing.made,
            by=user,
        )


def course_contacts(course: CoursePage) -> list[Issuer]:
    """Whom a learner writes to about a course: its institutions, the badge's issuer first."""
    institutions = list(Issuer.objects.filter(courses=course.pk).order_by("name"))
    owner = course.badge_class.issuer_id if course.badge_class_id else None
    return sorted(institutions, key=lambda issuer: issuer.pk != owner)
