"""How many tries a learner has at a quiz, and the course team changing it.

A quiz allows ``max_attempts`` (0: unlimited). The course team (``access.learner_work_access``:
the course's institutions' staff and superusers, with a second factor) can give a learner who
used them all one more attempt, or reset the count so the learner has every attempt again; a
learner who used them all can ask for another. Each is a
``QuizAttemptChange`` row, so who did what and when stays on record. Attempts keep their true
numbers across a reset: the fourth submission is attempt 4, whatever was reset before it.

Granting and resetting are idempotent: granting when the learner already has an attempt left,
or resetting when no attempt counts, changes nothing and records nothing, so a double click or a
replayed request gives one attempt, not two.

After its transaction commits, a new request sends ``signals.attempt_requested`` (the course team
is e-mailed) and a grant or reset sends ``signals.attempt_granted`` (the learner is e-mailed);
a request asked again while open sends nothing, so the team hears of it once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from credentials.models import Issuer
from learning import signals
from learning.models import CoursePage, Enrolment, LessonPage, QuizAttempt, QuizAttemptChange
from learning.services.access import AnyUser, can_see_learner_work
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
        raise LearningError(_("That quiz is not part of this lesson. Reload the page."))
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


def open_request_changes(**scope) -> QuerySet[QuizAttemptChange]:
    """Requests that are the latest change of their (learner, lesson, quiz): not yet answered by
    a grant or a reset. One query, whatever the number of changes."""
    latest = (
        QuizAttemptChange.objects.filter(
            enrolment_id=OuterRef("enrolment_id"),
            lesson_id=OuterRef("lesson_id"),
            quiz_id=OuterRef("quiz_id"),
        )
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    return QuizAttemptChange.objects.filter(kind=QuizAttemptChange.Kind.REQUESTED, **scope).filter(
        pk=Subquery(latest)
    )


def open_requests(enrolments: Iterable[Enrolment]) -> dict[int, list[QuizAttemptChange]]:
    """Requests for another attempt not yet answered by a grant or a reset, per enrolment."""
    waiting: dict[int, list[QuizAttemptChange]] = defaultdict(list)
    changes = open_request_changes(enrolment__in=[e.pk for e in enrolments])
    for change in changes.order_by("at", "pk"):
        waiting[change.enrolment_id].append(change)
    return dict(waiting)


def open_request_counts(courses: Iterable[CoursePage]) -> dict[int, int]:
    """Learners per course waiting for an answer to their request for another attempt."""
    rows = (
        open_request_changes(enrolment__course__in=[course.pk for course in courses])
        .values_list("enrolment__course_id")
        .annotate(learners=Count("enrolment_id", distinct=True))
        .order_by()
    )
    return dict(rows)


def _staff_change(
    by: AnyUser,
    enrolment: Enrolment,
    lesson: LessonPage,
    quiz_id: str,
    kind: str,
    second_factor_used: bool,
) -> QuizAttemptChange | None:
    course = course_of(lesson)
    if enrolment.course_id != course.pk:
        raise LearningError(_("That learner is not enrolled in this lesson's course."))
    if not can_see_learner_work(by, course, second_factor_used=second_factor_used):
        raise PermissionError(_("Only the course team may change a learner's quiz attempts."))
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        standing = allowance_for(locked, lesson, quiz_id)
        if standing.allowed is None:
            raise LearningError(
                _("This quiz allows unlimited attempts; there is nothing to grant.")
            )
        if standing.passed:
            raise LearningError(_("This learner already passed the quiz."))
        if kind == QuizAttemptChange.Kind.ONE_MORE and standing.left:
            return None  # already has an attempt left: a repeated grant gives nothing more
        if kind == QuizAttemptChange.Kind.RESET and not standing.counted:
            return None  # nothing counts since the last reset
        change = QuizAttemptChange.objects.create(
            enrolment=locked,
            lesson=lesson,
            quiz_id=quiz_id,
            kind=kind,
            after_attempt=standing.made,
            by=by,
        )
        _announce_on_commit(signals.attempt_granted, change)
        return change


def _announce_on_commit(signal, change: QuizAttemptChange) -> None:
    transaction.on_commit(
        lambda: signal.send(sender=QuizAttemptChange, change_id=change.pk), robust=True
    )


def grant_one_more_attempt(
    by: AnyUser,
    enrolment: Enrolment,
    lesson: LessonPage,
    quiz_id: str,
    *,
    second_factor_used: bool = False,
) -> QuizAttemptChange | None:
    """Give a learner who used every attempt one more. None when they still have one left."""
    return _staff_change(
        by, enrolment, lesson, quiz_id, QuizAttemptChange.Kind.ONE_MORE, second_factor_used
    )


def reset_attempts(
    by: AnyUser,
    enrolment: Enrolment,
    lesson: LessonPage,
    quiz_id: str,
    *,
    second_factor_used: bool = False,
) -> QuizAttemptChange | None:
    """Let the learner have every attempt again (past attempts stay on record, numbered).
    None when no attempt counts against them."""
    return _staff_change(
        by, enrolment, lesson, quiz_id, QuizAttemptChange.Kind.RESET, second_factor_used
    )


def request_another_attempt(user: AnyUser, lesson: LessonPage, quiz_id: str) -> QuizAttemptChange:
    """A learner who used every attempt asks the course team for another; asking again while
    the request is open returns the same request."""
    enrolment = enrolment_for_lesson(user, lesson)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        standing = allowance_for(locked, lesson, quiz_id)
        if not standing.locked_out:
            raise LearningError(_("You still have an attempt at this quiz: answer it first."))
        if standing.requested_at is not None:
            return standing.changes[-1]  # asked again while open: no new request, no e-mail
        change = QuizAttemptChange.objects.create(
            enrolment=locked,
            lesson=lesson,
            quiz_id=quiz_id,
            kind=QuizAttemptChange.Kind.REQUESTED,
            after_attempt=standing.made,
            by=user,
        )
        _announce_on_commit(signals.attempt_requested, change)
        return change


def course_contacts(course: CoursePage) -> list[Issuer]:
    """Whom a learner writes to about a course: its institutions, the badge's issuer first."""
    institutions = list(Issuer.objects.filter(courses=course.pk).order_by("name"))
    owner = course.badge_class.issuer_id if course.badge_class_id else None
    return sorted(institutions, key=lambda issuer: issuer.pk != owner)
