"""Where a learner stands in a course, computed from the course's completion rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from learning import hooks
from learning.models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt
from learning.services.structure import lessons_by_course


@dataclass
class Requirement:
    label: str
    done: int
    required: int

    @property
    def met(self) -> bool:
        return self.done >= self.required


@dataclass
class CourseProgress:
    """Where one learner stands in one course, computed from the course's completion rule."""

    course: CoursePage
    lessons: list[LessonPage]
    done_lesson_ids: set[int]
    passed_quizzes: set[tuple[int, str]]
    mentoring_done: int = 0

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.done_lesson_ids)

    @property
    def graded_quizzes(self) -> list[tuple[int, str]]:
        return [(lesson.pk, quiz) for lesson in self.lessons for quiz in lesson.graded_quizzes]

    @property
    def quizzes_total(self) -> int:
        return len(self.graded_quizzes)

    @property
    def quizzes_passed(self) -> int:
        return sum(1 for key in self.graded_quizzes if key in self.passed_quizzes)

    @property
    def requirements(self) -> list[Requirement]:
        course = self.course
        items = []
        if course.requires_all_lessons:
            items.append(Requirement("Lessons done", self.lessons_done, self.lessons_total))
        if course.requires_quizzes_passed and self.quizzes_total:
            items.append(
                Requirement("Graded quizzes passed", self.quizzes_passed, self.quizzes_total)
            )
        if course.required_mentoring_sessions:
            items.append(
                Requirement(
                    "Mentoring sessions completed",
                    min(self.mentoring_done, course.required_mentoring_sessions),
                    course.required_mentoring_sessions,
                )
            )
        return items

    @property
    def is_met(self) -> bool:
        if self.course.requires_all_lessons and not self.lessons_total:
            return False  # a course without published lessons has nothing to complete yet
        requirements = self.requirements
        return bool(requirements) and all(item.met for item in requirements)

    @property
    def percent(self) -> int:
        required = sum(item.required for item in self.requirements)
        if not required:
            return 0
        done = sum(min(item.done, item.required) for item in self.requirements)
        return round(100 * done / required)

    @property
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
        )
        for e in enrolments
    }


def progress_of(enrolment: Enrolment, lessons: list[LessonPage] | None = None) -> CourseProgress:
    table = None if lessons is None else {enrolment.course_id: lessons}
    return progress_for([enrolment], table)[enrolment.pk]
