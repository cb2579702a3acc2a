"""Course reports for staff and editors: enrolments, the progress funnel, quiz scores, one row
per learner, and the same table for a CSV export.

The report itself is for whoever may see it (``access.can_view_report``: a Wagtail editor of the
catalogue too). Learners' own work — their reflections, one learner's quiz attempts — follows
the stricter rule of ``access.learner_work_access``: the course team, with a second factor.
PermissionError messages never name the course: the 403 page shows them to whoever asked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning.models import (
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    QuizAttemptChange,
    ReflectionAnswer,
)
from learning.services.access import AnyUser, can_see_learner_work, can_view_report
from learning.services.attempts import Allowance, allowances_for, open_requests
from learning.services.progress import CourseProgress, progress_for
from lib.spreadsheet import spreadsheet_cell

REPORT_REFUSED = gettext_lazy("This course report is for the course's staff and editors.")
WORK_REFUSED = gettext_lazy(
    "Learners' reflections and quiz attempts are for the course team: the staff of the course's "
    "institutions, after using a second factor."
)
REFLECTIONS_PAGE_SIZE = 50

Key = tuple[int, str]  # (lesson id, block id)


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
    answers: int = 0  # how many learners answered it

    @property
    def slug(self) -> str:
        """How a URL names the prompt: ``<lesson id>-<block id>``."""
        return f"{self.key[0]}-{self.key[1]}"


@dataclass
class LearnerRow:
    enrolment: Enrolment
    progress: CourseProgress
    best_scores: dict[tuple[int, str], int]
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
    """Enrolments, progress funnel, quiz score distribution and one row per learner (their
    reflections are not loaded: ``reflections_by_learner`` reads them, for the course team)."""
    if not can_view_report(by, course):
        raise PermissionError(REPORT_REFUSED)
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

    prompts = _prompts(lessons)
    waiting = open_requests(enrolments)
    rows = [LearnerRow(e, progress[e.pk], best[e.pk], waiting.get(e.pk, [])) for e in enrolments]
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
        stage(_("Enrolled"), total),
        stage(_("Started a lesson or quiz"), started),
        stage(_("Halfway or further"), halfway),
        stage(_("Every lesson done"), all_lessons),
        stage(_("Completed the course"), completed),
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


def _prompts(lessons: Iterable[LessonPage]) -> list[Prompt]:
    return [
        Prompt((lesson.pk, block.id), block.value["prompt"], lesson.title)
        for lesson in lessons
        for block in lesson.reflection_blocks()
    ]


def reflections_by_learner(
    course: CoursePage, by: AnyUser, *, second_factor_used: bool = False
) -> dict[int, dict[Key, ReflectionAnswer]]:
    """Every reflection answer of the course, per enrolment and prompt: for the course team's
    CSV, never for someone the learner-work rule refuses."""
    if not can_see_learner_work(by, course, second_factor_used=second_factor_used):
        raise PermissionError(WORK_REFUSED)
    reflections: dict[int, dict[Key, ReflectionAnswer]] = defaultdict(dict)
    for answer in ReflectionAnswer.objects.filter(enrolment__course=course):
        reflections[answer.enrolment_id][(answer.lesson_id, answer.block_id)] = answer
    return dict(reflections)


def _when(value: datetime | None) -> str:
    # ISO order on purpose: a spreadsheet sorts and reads it as a date in every language.
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def report_table(
    report: CourseReport, reflections: dict[int, dict[Key, ReflectionAnswer]] | None = None
) -> list[list[str]]:
    """The per-learner table as rows of text, header first (for CSV export); with a column per
    reflection prompt only when ``reflections`` (from ``reflections_by_learner``) is given."""
    prompts = report.prompts if reflections is not None else []
    reflections = reflections or {}
    header = [
        _("Name"),
        _("E-mail"),
        _("Status"),
        _("Enrolled"),
        _("Last activity"),
        _("Lessons done"),
        _("Lessons"),
        _("Progress %"),
        _("Graded quizzes passed"),
    ]
    header += [
        _("Best score: %(quiz)s (%(lesson)s)") % {"quiz": quiz.title, "lesson": quiz.lesson_title}
        for quiz in report.quizzes
    ]
    header += [_("Completed"), _("Badge")]
    header += [
        _("Reflection: %(prompt)s (%(lesson)s)") % {"prompt": p.prompt, "lesson": p.lesson_title}
        for p in prompts
    ]
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
        mine = reflections.get(enrolment.pk, {})
        line += [mine[p.key].text if p.key in mine else "" for p in prompts]
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


def learner_report(
    course: CoursePage, enrolment_id: int, by: AnyUser, *, second_factor_used: bool = False
) -> LearnerReport:
    """What the course team sees of one learner (``access.learner_work_access``)."""
    if not can_see_learner_work(by, course, second_factor_used=second_factor_used):
        raise PermissionError(WORK_REFUSED)
    enrolment = (
        Enrolment.objects.filter(course=course, pk=enrolment_id).select_related("user").first()
    )
    if enrolment is None:
        raise Enrolment.DoesNotExist(_("No such learner in this course."))
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
class CourseReflections:
    """One page of the reflections page: every prompt with its number of answers, and a page of
    the chosen prompt's answers (by learner name)."""

    prompts: list[Prompt]
    current: Prompt | None
    answers: Page | None


def course_reflections(
    course: CoursePage,
    by: AnyUser,
    *,
    second_factor_used: bool = False,
    prompt: str = "",
    page: int | str = 1,
    per_page: int = REFLECTIONS_PAGE_SIZE,
) -> CourseReflections:
    """The course's reflection prompts, and one page of one prompt's answers (``prompt`` as
    ``Prompt.slug``; the first prompt if unknown), for the course team."""
    if not can_see_learner_work(by, course, second_factor_used=second_factor_used):
        raise PermissionError(WORK_REFUSED)
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    prompts = _prompts(lessons)
    if not prompts:
        return CourseReflections([], None, None)
    of_course = ReflectionAnswer.objects.filter(enrolment__course=course)
    counts = {
        (lesson_id, block_id): n
        for lesson_id, block_id, n in of_course.values_list("lesson_id", "block_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    for item in prompts:
        item.answers = counts.get(item.key, 0)
    current = next((item for item in prompts if item.slug == prompt), prompts[0])
    answers = (
        of_course.filter(lesson_id=current.key[0], block_id=current.key[1])
        .select_related("enrolment__user")
        .order_by("enrolment__user__display_name", "enrolment__user__email", "pk")
    )
    return CourseReflections(prompts, current, Paginator(answers, per_page).get_page(page))
