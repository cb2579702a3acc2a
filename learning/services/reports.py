"""Course reports for staff and editors: enrolments, the progress funnel, quiz scores, one row
per learner, and the same table for a CSV export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from learning.models import (
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    QuizAttemptChange,
    ReflectionAnswer,
)
from learning.services.access import AnyUser, can_view_report
from learning.services.attempts import Allowance, allowances_for, open_requests
from learning.services.progress import CourseProgress, progress_for
from lib.spreadsheet import spreadsheet_cell


def enrolment_counts(courses: Iterable[CoursePage]) -> dict[int, dict[str, int]]:
    """Enrolments per course and status, in one query: {course id: {status: count}}."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Enrolment.objects.filter(course__in=[course.pk for course in courses])
        .values_list("course_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for course_id, status, n in rows:
        counts[course_id][status] = n
    for per in counts.values():
        per["total"] = sum(per.values())
    return dict(counts)


@dataclass
class FunnelStage:
    label: str
    count: int
    percent: int


@dataclass
class QuizStats:
    key: tuple[int, str]
    title: str
    lesson_title: str
    graded: bool
    pass_mark: int
    learners: int
    attempts: int
    passed: int
    bins: list[int]  # best score per learner in ten 10-point bands, the last one 90–100

    @property
    def pass_rate(self) -> int:
        return round(100 * self.passed / self.learners) if self.learners else 0

    @property
    def average_attempts(self) -> float:
        return round(self.attempts / self.learners, 1) if self.learners else 0.0


@dataclass
class Prompt:
    """A reflection prompt of the course: its learners' answers are for the course team."""

    key: tuple[int, str]  # (lesson id, block id)
    prompt: str
    lesson_title: str


@dataclass
class LearnerRow:
    enrolment: Enrolment
    progress: CourseProgress
    best_scores: dict[tuple[int, str], int]
    reflections: dict[tuple[int, str], ReflectionAnswer] = field(default_factory=dict)
    requests: list[QuizAttemptChange] = field(default_factory=list)  # for another attempt

    @property
    def name(self) -> str:
        return self.enrolment.user.get_full_name()

    @property
    def email(self) -> str:
        return self.enrolment.user.email


@dataclass
class CourseReport:
    course: CoursePage
    lessons: list[LessonPage]
    funnel: list[FunnelStage]
    quizzes: list[QuizStats]
    rows: list[LearnerRow]
    counts: dict[str, int]
    prompts: list[Prompt] = field(default_factory=list)

    @property
    def requests(self) -> list[LearnerRow]:
        """Learners waiting for an answer to their request for another attempt."""
        return [row for row in self.rows if row.requests]


def course_report(course: CoursePage, by: AnyUser) -> CourseReport:
    """Enrolments, progress funnel, quiz score distribution and one row per learner."""
    if not can_view_report(by, course):
        raise PermissionError(f"{by} may not see the report of “{course.title}”.")
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    enrolments = list(
        Enrolment.objects.filter(course=course)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    for enrolment in enrolments:
        enrolment.course = course
    progress = progress_for(enrolments, {course.pk: lessons}, scope=Q(enrolment__course=course))
    best: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    attempts: dict[tuple[int, str], int] = defaultdict(int)
    for enrolment_id, lesson_id, quiz_id, score in QuizAttempt.objects.filter(
        enrolment__course=course
    ).values_list("enrolment_id", "lesson_id", "quiz_id", "score"):
        key = (lesson_id, quiz_id)
        attempts[key] += 1
        best[enrolment_id][key] = max(score, best[enrolment_id].get(key, 0))

    quizzes = []
    for lesson in lessons:
        for block in lesson.quiz_blocks():
            key = (lesson.pk, block.id)
            scores = [per[key] for per in best.values() if key in per]
            bins = [0] * 10
            for score in scores:
                bins[min(score // 10, 9)] += 1
            quizzes.append(
                QuizStats(
                    key=key,
                    title=block.value["title"],
                    lesson_title=lesson.title,
                    graded=bool(block.value["graded"]),
                    pass_mark=block.value["pass_mark"],
                    learners=len(scores),
                    attempts=attempts[key],
                    passed=sum(1 for s in scores if s >= block.value["pass_mark"]),
                    bins=bins,
                )
            )

    prompts = [
        Prompt((lesson.pk, block.id), block.value["prompt"], lesson.title)
        for lesson in lessons
        for block in lesson.reflection_blocks()
    ]
    reflections: dict[int, dict[tuple[int, str], ReflectionAnswer]] = defaultdict(dict)
    for answer in ReflectionAnswer.objects.filter(enrolment__course=course):
        reflections[answer.enrolment_id][(answer.lesson_id, answer.block_id)] = answer
    waiting = open_requests(enrolments)
    rows = [
        LearnerRow(e, progress[e.pk], best[e.pk], reflections[e.pk], waiting.get(e.pk, []))
        for e in enrolments
    ]
    total = len(enrolments)
    started = sum(1 for r in rows if r.progress.lessons_done or best[r.enrolment.pk])
    halfway = sum(1 for r in rows if r.progress.percent >= 50)
    all_lessons = sum(
        1 for r in rows if r.progress.lessons_total and r.progress.lessons_done == len(lessons)
    )
    completed = sum(1 for r in rows if r.enrolment.is_completed)

    def stage(label: str, count: int) -> FunnelStage:
        return FunnelStage(label, count, round(100 * count / total) if total else 0)

    funnel = [
        stage("Enrolled", total),
        stage("Started a lesson or quiz", started),
        stage("Halfway or further", halfway),
        stage("Every lesson done", all_lessons),
        stage("Completed the course", completed),
    ]
    status_counts = defaultdict(int)
    for enrolment in enrolments:
        status_counts[enrolment.status] += 1
    awarded = sum(1 for e in enrolments if e.award_status == Enrolment.AwardStatus.AWARDED)
    waiting = sum(
        1
        for e in enrolments
        if e.award_status in (Enrolment.AwardStatus.PENDING, Enrolment.AwardStatus.FAILED)
    )
    counts = {
        "enrolled": total,
        "active": status_counts[Enrolment.Status.ACTIVE],
        "completed": status_counts[Enrolment.Status.COMPLETED],
        "left": status_counts[Enrolment.Status.LEFT],
        "awarded": awarded,
        "awards_waiting": waiting,
    }
    return CourseReport(course, lessons, funnel, quizzes, rows, counts, prompts)


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def report_table(report: CourseReport) -> list[list[str]]:
    """The per-learner table as rows of text, header first (for CSV export)."""
    header = [
        "Name",
        "E-mail",
        "Status",
        "Enrolled",
        "Last activity",
        "Lessons done",
        "Lessons",
        "Progress %",
        "Graded quizzes passed",
    ]
    header += [f"Best score: {quiz.title} ({quiz.lesson_title})" for quiz in report.quizzes]
    header += ["Completed", "Badge"]
    header += [f"Reflection: {p.prompt} ({p.lesson_title})" for p in report.prompts]
    table = [header]
    for row in report.rows:
        enrolment, progress = row.enrolment, row.progress
        line = [
            row.name,
            row.email,
            enrolment.get_status_display(),
            _when(enrolment.enrolled_at),
            _when(enrolment.last_activity_at),
            progress.lessons_done,
            progress.lessons_total,
            progress.percent,
            f"{progress.quizzes_passed}/{progress.quizzes_total}",
        ]
        line += [row.best_scores.get(quiz.key, "") for quiz in report.quizzes]
        line += [_when(enrolment.completed_at), enrolment.get_award_status_display()]
        line += [
            row.reflections[p.key].text if p.key in row.reflections else "" for p in report.prompts
        ]
        table.append([spreadsheet_cell(cell) for cell in line])
    return table


@dataclass
class LearnerQuiz:
    lesson: LessonPage
    quiz_id: str
    title: str
    graded: bool
    pass_mark: int
    allowance: Allowance

    @property
    def can_grant(self) -> bool:
        return self.allowance.locked_out

    @property
    def can_reset(self) -> bool:
        return bool(
            self.allowance.allowed is not None
            and self.allowance.counted
            and not self.allowance.passed
        )


@dataclass
class LearnerReflection:
    lesson: LessonPage
    prompt: str
    required: bool
    answer: ReflectionAnswer | None


@dataclass
class LearnerReport:
    """One learner of a course as the course team sees them: quizzes, attempts, reflections."""

    course: CoursePage
    enrolment: Enrolment
    progress: CourseProgress
    quizzes: list[LearnerQuiz]
    reflections: list[LearnerReflection]


def learner_report(course: CoursePage, enrolment_id: int, by: AnyUser) -> LearnerReport:
    """What the course team sees of one learner; only for those who may see the report."""
    if not can_view_report(by, course):
        raise PermissionError(f"{by} may not see the report of “{course.title}”.")
    enrolment = (
        Enrolment.objects.filter(course=course, pk=enrolment_id).select_related("user").first()
    )
    if enrolment is None:
        raise Enrolment.DoesNotExist(f"No learner {enrolment_id} in “{course.title}”.")
    enrolment.course = course
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    progress = progress_for([enrolment], {course.pk: lessons})
    standing = allowances_for(enrolment, lessons)
    answers = {
        (answer.lesson_id, answer.block_id): answer
        for answer in ReflectionAnswer.objects.filter(enrolment=enrolment)
    }
    quizzes, reflections = [], []
    for lesson in lessons:
        for block in lesson.body:
            key = (lesson.pk, block.id)
            if block.block_type == "quiz":
                value = block.value
                quizzes.append(
                    LearnerQuiz(
                        lesson,
                        block.id,
                        value["title"],
                        bool(value["graded"]),
                        value["pass_mark"],
                        standing[key],
                    )
                )
            elif block.block_type == "reflection":
                reflections.append(
                    LearnerReflection(
                        lesson,
                        block.value["prompt"],
                        bool(block.value["required"]),
                        answers.get(key),
                    )
                )
    return LearnerReport(course, enrolment, progress[enrolment.pk], quizzes, reflections)


@dataclass
class PromptAnswers:
    prompt: Prompt
    answers: list[ReflectionAnswer]


def course_reflections(course: CoursePage, by: AnyUser) -> list[PromptAnswers]:
    """Every reflection prompt of the course with its learners' answers, for the course team."""
    if not can_view_report(by, course):
        raise PermissionError(f"{by} may not see the report of “{course.title}”.")
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    by_key: dict[tuple[int, str], list[ReflectionAnswer]] = defaultdict(list)
    for answer in (
        ReflectionAnswer.objects.filter(enrolment__course=course)
        .select_related("enrolment__user")
        .order_by("enrolment__user__display_name", "enrolment__user__email")
    ):
        by_key[(answer.lesson_id, answer.block_id)].append(answer)
    return [
        PromptAnswers(
            Prompt((lesson.pk, block.id), block.value["prompt"], lesson.title),
            by_key[(lesson.pk, block.id)],
        )
        for lesson in lessons
        for block in lesson.reflection_blocks()
    ]
