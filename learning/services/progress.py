"""Where a learner stands in a course, computed from the course's completion rule.

One computation for every page: the course's requirements (lessons done, graded quizzes
passed, mentoring sessions) each count their steps, and the percentage is the steps done out
of the steps required, so "2 of 4 lessons · 0 of 1 graded quiz · 40%" always adds up. A
completed enrolment is 100%, whatever editors added to the course since.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from learning import hooks
from learning.models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt
from learning.services.structure import lessons_by_course


@dataclass
class Requirement:
    label: str
    done: int
    required: int
    unit: str = "step"  # what one step is called: "lesson", "graded quiz", …

    @property
    def met(self) -> bool:
        return self.done >= self.required

    @property
    def counted(self) -> int:
        """Steps done that count towards the percentage (never more than required)."""
        return min(self.done, self.required)

    @property
    def text(self) -> str:
        """Like "2 of 4 lessons"."""
        wording = STEP_TEXTS.get(self.unit, STEP_TEXTS["step"])
        return wording % {"done": self.counted, "required": self.required}


# "2 of 4 lessons", per kind of step (``Requirement.unit``).
STEP_TEXTS = {
    "step": ngettext_lazy(
        "%(done)s of %(required)s step", "%(done)s of %(required)s steps", "required"
    ),
    "lesson": ngettext_lazy(
        "%(done)s of %(required)s lesson", "%(done)s of %(required)s lessons", "required"
    ),
    "graded quiz": ngettext_lazy(
        "%(done)s of %(required)s graded quiz",
        "%(done)s of %(required)s graded quizzes",
        "required",
    ),
    "mentoring session": ngettext_lazy(
        "%(done)s of %(required)s mentoring session",
        "%(done)s of %(required)s mentoring sessions",
        "required",
    ),
}


@dataclass
class CourseProgress:
    """Where one learner stands in one course, computed from the course's completion rule.

    Computed once: the figures are cached on first use (a page shows each several times), so
    a progress is read after its steps are gathered, never changed after.
    """

    course: CoursePage
    lessons: list[LessonPage]
    done_lesson_ids: set[int]
    passed_quizzes: set[tuple[int, str]]
    mentoring_done: int = 0
    completed: bool = False  # the enrolment is completed: it stays 100%

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @cached_property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.done_lesson_ids)

    @cached_property
    def graded_quizzes(self) -> list[tuple[int, str]]:
        return [(lesson.pk, quiz) for lesson in self.lessons for quiz in lesson.graded_quizzes]

    @property
    def quizzes_total(self) -> int:
        return len(self.graded_quizzes)

    @cached_property
    def quizzes_passed(self) -> int:
        return sum(1 for key in self.graded_quizzes if key in self.passed_quizzes)

    @cached_property
    def requirements(self) -> list[Requirement]:
        course = self.course
        items = []
        if course.requires_all_lessons:
            items.append(
                Requirement(_("Lessons done"), self.lessons_done, self.lessons_total, "lesson")
            )
        if course.requires_quizzes_passed and self.quizzes_total:
            items.append(
                Requirement(
                    _("Graded quizzes passed"),
                    self.quizzes_passed,
                    self.quizzes_total,
                    "graded quiz",
                )
            )
        if course.required_mentoring_sessions:
            items.append(
                Requirement(
                    _("Mentoring sessions completed"),
                    min(self.mentoring_done, course.required_mentoring_sessions),
                    course.required_mentoring_sessions,
                    "mentoring session",
                )
            )
        return items

    @cached_property
    def steps_required(self) -> int:
        return sum(item.required for item in self.requirements)

    @cached_property
    def steps_done(self) -> int:
        return sum(item.counted for item in self.requirements)

    @cached_property
    def summary(self) -> str:
        """What the percentage is made of: "2 of 4 lessons · 0 of 1 graded quiz"."""
        if self.completed:
            return _("Completed")
        return " · ".join(item.text for item in self.requirements if item.required)

    @property
    def is_met(self) -> bool:
        if self.course.requires_all_lessons and not self.lessons_total:
            return False  # a course without published lessons has nothing to complete yet
        requirements = self.requirements
        return bool(requirements) and all(item.met for item in requirements)

    @cached_property
    def percent(self) -> int:
        """Steps done out of steps required (see :attr:`summary`); 100 once completed, and
        never 100 before: rounding up must not claim a course is finished."""
        if self.completed:
            return 100
        required = self.steps_required
        if not required:
            return 0
        done = self.steps_done
        percent = round(100 * done / required)
        return percent if done >= required else min(percent, 99)

    @cached_property
    def next_lesson(self) -> LessonPage | None:
        for lesson in self.lessons:
            if lesson.pk not in self.done_lesson_ids:
                return lesson
        return None

    def is_done(self, lesson: LessonPage) -> bool:
        return lesson.pk in self.done_lesson_ids


def _mentoring_done(enrolments: list[Enrolment]) -> dict[int, int]:
    """Mentoring sessions done per enrolment, asked only for courses that require some."""
    needed = [e for e in enrolments if e.course.required_mentoring_sessions]
    counts = hooks.completed_mentoring_sessions_many([(e.user, e.course) for e in needed])
    return dict(zip([e.pk for e in needed], counts, strict=True))


def progress_for(
    enrolments: list[Enrolment],
    lessons: dict[int, list[LessonPage]] | None = None,
    *,
    scope: Q | None = None,
) -> dict[int, CourseProgress]:
    """Progress of many enrolments in a fixed number of queries, keyed by enrolment id.

    ``scope`` narrows the progress rows read (``Q(enrolment__course=course)`` for a course
    report); by default they are read by enrolment id.
    """
    if not enrolments:
        return {}
    if lessons is None:
        courses = {e.course_id: e.course for e in enrolments}
        lessons = lessons_by_course(courses.values())
    if scope is None:
        scope = Q(enrolment__in=[e.pk for e in enrolments])
    done: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, lesson_id in LessonProgress.objects.filter(scope).values_list(
        "enrolment_id", "lesson_id"
    ):
        done[enrolment_id].add(lesson_id)
    passed: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for enrolment_id, lesson_id, quiz_id in (
        QuizAttempt.objects.filter(scope, passed=True)
        .values_list("enrolment_id", "lesson_id", "quiz_id")
        .distinct()
    ):
        passed[enrolment_id].add((lesson_id, quiz_id))
    mentoring = _mentoring_done(enrolments)
    return {
        e.pk: CourseProgress(
            course=e.course,
            lessons=lessons.get(e.course_id, []),
            done_lesson_ids=done[e.pk],
            passed_quizzes=passed[e.pk],
            mentoring_done=mentoring.get(e.pk, 0),
            completed=e.status == Enrolment.Status.COMPLETED,
        )
        for e in enrolments
    }


def progress_of(enrolment: Enrolment, lessons: list[LessonPage] | None = None) -> CourseProgress:
    table = None if lessons is None else {enrolment.course_id: lessons}
    return progress_for([enrolment], table)[enrolment.pk]
