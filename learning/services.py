"""The learning rules: enrolment, lesson access, quiz grading, progress and completion.

Views, tasks, the Wagtail admin and other apps (mentoring) call these functions; nothing else
changes an enrolment. Every state change is atomic, and anything a person can click twice
records once.
"""

import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from credentials.models import Award, Issuer
from credentials.services import AwardError, Evidence, award, issuers_for
from lib.spreadsheet import spreadsheet_cell

from . import hooks
from .models import (
    CourseCatalogPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
)

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
REFLECTION_MAX_CHARS = 10_000


class LearningError(Exception):
    """Something a learner tried that cannot be done, with a reason a person can read."""


class PrerequisitesMissing(LearningError):
    def __init__(self, missing: list[CoursePage]):
        self.missing = missing
        titles = ", ".join(f"“{course.title}”" for course in missing)
        super().__init__(f"Complete {titles} first: this course builds on it.")


class QuizInputError(LearningError):
    """The submitted answers cannot be graded; ``errors`` maps question ids to messages."""

    def __init__(self, message: str, errors: Mapping[str, str] | None = None):
        self.errors = dict(errors or {})
        super().__init__(message)


# --------------------------------------------------------------------------- who may do what


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_edit_course(user, course: CoursePage) -> bool:
    """Editors: anyone whose Wagtail page permissions let them edit this course."""
    if not _active(user):
        return False
    return PagePermissionPolicy(CoursePage).user_has_permission_for_instance(user, "change", course)


def can_open_lessons(user, course: CoursePage, enrolment: Enrolment | None = None) -> bool:
    """Lessons are served to enrolled learners (in progress or completed) and to editors."""
    if not _active(user):
        return False
    if enrolment is not None:
        if enrolment.opens_lessons:
            return True
    elif Enrolment.objects.filter(
        user=user,
        course=course,
        status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED],
    ).exists():
        return True
    return can_edit_course(user, course)


def reportable_courses(user) -> QuerySet[CoursePage]:
    """Courses whose report ``user`` may see: their own institutions' courses, or any course
    their Wagtail permissions let them edit."""
    if not _active(user):
        return CoursePage.objects.none()
    if user.is_superuser:
        return CoursePage.objects.all()
    editable = PagePermissionPolicy(CoursePage).instances_user_has_any_permission_for(
        user, {"change"}
    )
    own = Q(institutions__in=issuers_for(user)) | Q(badge_class__issuer__in=issuers_for(user))
    return CoursePage.objects.filter(own | Q(pk__in=editable.values("pk"))).distinct()


def can_view_report(user, course: CoursePage) -> bool:
    return reportable_courses(user).filter(pk=course.pk).exists()


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


# --------------------------------------------------------------------------- course structure


def course_of(lesson: LessonPage) -> CoursePage:
    """The course a lesson belongs to, in one query."""
    return CoursePage.objects.get(path=lesson.path[: -LessonPage.steplen])


def course_lessons(course: CoursePage) -> list[LessonPage]:
    """The published lessons of a course in editor order, without their bodies."""
    return list(LessonPage.objects.live().child_of(course).defer_streamfields().order_by("path"))


def lessons_by_course(courses: Iterable[CoursePage]) -> dict[int, list[LessonPage]]:
    """Published lessons (without bodies) of many courses, in one query."""
    courses = list(courses)
    result: dict[int, list[LessonPage]] = {course.pk: [] for course in courses}
    if not courses:
        return result
    by_path = {course.path: course.pk for course in courses}
    query = Q()
    for course in courses:
        query |= Q(path__startswith=course.path, depth=course.depth + 1)
    lessons = LessonPage.objects.live().filter(query).defer_streamfields().order_by("path")
    for lesson in lessons:
        result[by_path[lesson.path[: -LessonPage.steplen]]].append(lesson)
    return result


@dataclass
class Module:
    title: str
    lessons: list = field(default_factory=list)


def modules(lessons: list[LessonPage]) -> list[Module]:
    """Group consecutive lessons under their module heading (an empty heading stays untitled)."""
    grouped: list[Module] = []
    for lesson in lessons:
        if not grouped or grouped[-1].title != lesson.module:
            grouped.append(Module(lesson.module))
        grouped[-1].lessons.append(lesson)
    return grouped


def find_block(lesson: LessonPage, block_id: str, block_type: str):
    for block in lesson.body:
        if block.id == block_id and block.block_type == block_type:
            return block
    return None


# --------------------------------------------------------------------------- progress


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


def enrolment_of(user, course: CoursePage) -> Enrolment | None:
    if not _active(user):
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


# --------------------------------------------------------------------------- enrolment


def prerequisites_of(course: CoursePage) -> QuerySet[CoursePage]:
    """The published courses ``course`` builds on, read from the database."""
    return CoursePage.objects.live().filter(required_by=course.pk).order_by("title")


def missing_prerequisites(user, course: CoursePage) -> list[CoursePage]:
    """Prerequisite courses of ``course`` that ``user`` has not completed, in title order."""
    required = list(prerequisites_of(course))
    if not required:
        return []
    completed = set()
    if _active(user):
        completed = set(
            Enrolment.objects.filter(
                user=user, course__in=required, status=Enrolment.Status.COMPLETED
            ).values_list("course_id", flat=True)
        )
    return [prerequisite for prerequisite in required if prerequisite.pk not in completed]


def enrol(user, course: CoursePage) -> Enrolment:
    """Enrol ``user`` in ``course`` (or bring them back after leaving). Idempotent."""
    if not _active(user):
        raise LearningError("Log in to enrol in a course.")
    if not course.live:
        raise LearningError("This course is not open for enrolment.")
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


def leave(user, course: CoursePage) -> Enrolment:
    """Leave a course. Progress is kept for when the learner comes back. Idempotent."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update().filter(user=user, course=course).first()
            if _active(user)
            else None
        )
        if enrolment is None:
            raise LearningError("You are not enrolled in this course.")
        if enrolment.status == Enrolment.Status.COMPLETED:
            raise LearningError("You completed this course, so it stays on your record.")
        if enrolment.status == Enrolment.Status.ACTIVE:
            enrolment.status = Enrolment.Status.LEFT
            enrolment.left_at = timezone.now()
            enrolment.save(update_fields=["status", "left_at"])
        return enrolment


def _enrolment_for_lesson(user, lesson: LessonPage, course: CoursePage | None = None) -> Enrolment:
    if not lesson.live:
        raise LearningError("This lesson is not published.")
    course = course or course_of(lesson)
    enrolment = enrolment_of(user, course)
    if enrolment is None or not enrolment.opens_lessons:
        raise LearningError(f"Enrol in “{course.title}” to work on its lessons.")
    return enrolment


def _touch(enrolment: Enrolment) -> None:
    enrolment.last_activity_at = timezone.now()
    enrolment.save(update_fields=["last_activity_at"])


# --------------------------------------------------------------------------- lessons


def unmet_lesson_requirements(enrolment: Enrolment, lesson: LessonPage) -> list[str]:
    """What still stands between the learner and marking this lesson done."""
    passed = set(
        QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, passed=True).values_list(
            "quiz_id", flat=True
        )
    )
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


def mark_lesson_done(user, lesson: LessonPage) -> LessonProgress:
    """Record that the learner finished a lesson, then recompute the course. Idempotent."""
    course = course_of(lesson)
    enrolment = _enrolment_for_lesson(user, lesson, course)
    missing = unmet_lesson_requirements(enrolment, lesson)
    if missing:
        raise LearningError("To finish this lesson, " + " and ".join(missing) + ".")
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        progress = _record_lesson_done(locked, lesson)
        _touch(locked)
        update_completion(locked)
    return progress


def _record_lesson_done(enrolment: Enrolment, lesson: LessonPage) -> LessonProgress:
    try:
        with transaction.atomic():
            return LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)[0]
    except IntegrityError:
        return LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)


def save_reflection(user, lesson: LessonPage, block_id: str, text: str) -> ReflectionAnswer:
    """Keep the learner's answer to a reflection prompt; saving again revises it."""
    enrolment = _enrolment_for_lesson(user, lesson)
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
        _touch(enrolment)
    return answer


# --------------------------------------------------------------------------- quizzes


def new_form_token() -> str:
    """A fresh token for one rendered quiz form: submitting it twice records one attempt."""
    return secrets.token_urlsafe(24)


def quiz_questions(quiz_value) -> list:
    """The questions of a quiz block as (id, value) pairs, with their choices likewise."""
    return [(item.id, item.value) for item in quiz_value["questions"].bound_blocks]


def question_choices(question_value) -> list:
    return [(item.id, item.value) for item in question_value["choices"].bound_blocks]


def grade(quiz_value, answers: Mapping[str, list[str]]) -> tuple[dict[str, bool], int, int]:
    """Grade validated answers: a question is right when exactly its correct choices are picked."""
    results = {}
    for question_id, question in quiz_questions(quiz_value):
        right = {choice_id for choice_id, choice in question_choices(question) if choice["correct"]}
        results[question_id] = set(answers.get(question_id, [])) == right
    correct = sum(results.values())
    total = len(results)
    score = round(100 * correct / total) if total else 0
    return results, correct, score


def validate_answers(quiz_value, answers: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Check answers against the quiz; raise ``QuizInputError`` saying what is wrong."""
    questions = dict(quiz_questions(quiz_value))
    if set(answers) - set(questions):
        raise QuizInputError(
            "Your answers include a question that is not in this quiz. The quiz may have "
            "changed: reload the page and answer again."
        )
    errors: dict[str, str] = {}
    cleaned: dict[str, list[str]] = {}
    for question_id, question in questions.items():
        picked = list(dict.fromkeys(answers.get(question_id) or []))
        options = {choice_id for choice_id, _ in question_choices(question)}
        if not picked:
            errors[question_id] = "Choose an answer."
        elif any(choice not in options for choice in picked):
            raise QuizInputError(
                "One of your answers is not an option of its question. Reload the page and "
                "answer again."
            )
        elif question["kind"] == "single" and len(picked) > 1:
            errors[question_id] = "Choose only one answer."
        cleaned[question_id] = picked
    if errors:
        count = len(errors)
        raise QuizInputError(
            f"{count} question{'s' if count > 1 else ''} still need{'' if count > 1 else 's'} "
            "an answer.",
            errors,
        )
    return cleaned


def attempts_left(allowed: int | None, attempts_used: int) -> int | None:
    """Attempts the learner still has of ``allowed``; None when attempts are unlimited."""
    if not allowed:
        return None
    return max(allowed - attempts_used, 0)


def submit_quiz(
    user, lesson: LessonPage, quiz_id: str, answers: Mapping[str, list[str]], token: str
) -> QuizAttempt:
    """Grade a quiz on the server and store the attempt with its score.

    The same form token submitted again (double click, back button, retry) returns the first
    attempt instead of recording another. Passing every graded quiz of a lesson marks it done.
    """
    course = course_of(lesson)
    enrolment = _enrolment_for_lesson(user, lesson, course)
    quiz = find_block(lesson, quiz_id, "quiz")
    if quiz is None:
        raise LearningError("That quiz is not part of this lesson. Reload the page.")
    if not TOKEN_PATTERN.match(token or ""):
        raise LearningError("This form has expired. Reload the page and answer again.")
    already = QuizAttempt.objects.filter(token=token).first()
    if already is not None:
        return _same_attempt(already, enrolment, lesson, quiz_id)
    cleaned = validate_answers(quiz.value, answers)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        already = QuizAttempt.objects.filter(token=token).first()
        if already is not None:
            return _same_attempt(already, enrolment, lesson, quiz_id)
        previous = QuizAttempt.objects.filter(enrolment=locked, lesson=lesson, quiz_id=quiz_id)
        if previous.filter(passed=True).exists():
            raise LearningError("You already passed this quiz.")
        used = previous.count()
        if attempts_left(quiz.value["max_attempts"], used) == 0:
            raise LearningError(
                f"You have used all {used} attempts at this quiz. Contact the course team "
                "if you need another try."
            )
        results, correct, score = grade(quiz.value, cleaned)
        pass_mark = quiz.value["pass_mark"]
        try:
            with transaction.atomic():
                attempt = QuizAttempt.objects.create(
                    enrolment=locked,
                    lesson=lesson,
                    quiz_id=quiz_id,
                    number=used + 1,
                    answers=cleaned,
                    results=results,
                    correct=correct,
                    total=len(results),
                    score=score,
                    pass_mark=pass_mark,
                    passed=score >= pass_mark,
                    token=token,
                )
        except IntegrityError:
            return QuizAttempt.objects.get(token=token)
        _touch(locked)
        if attempt.passed and not unmet_lesson_requirements(locked, lesson):
            _record_lesson_done(locked, lesson)
        update_completion(locked)
    return attempt


def _same_attempt(attempt: QuizAttempt, enrolment: Enrolment, lesson, quiz_id) -> QuizAttempt:
    if (attempt.enrolment_id, attempt.lesson_id, attempt.quiz_id) != (
        enrolment.pk,
        lesson.pk,
        quiz_id,
    ):
        raise LearningError("This form was already used. Reload the page and answer again.")
    return attempt


# --------------------------------------------------------------------------- completion


def update_completion(enrolment: Enrolment) -> Enrolment:
    """Complete the enrolment if the course's rule is met; request the badge after commit.

    Atomic and idempotent: a completed enrolment stays completed and requests its badge once.
    """
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "user")
            .get(pk=enrolment.pk)
        )
        if locked.status != Enrolment.Status.ACTIVE:
            return locked
        if not progress_of(locked).is_met:
            return locked
        now = timezone.now()
        locked.status = Enrolment.Status.COMPLETED
        locked.completed_at = now
        locked.last_activity_at = now
        if locked.course.badge_class_id:
            locked.award_status = Enrolment.AwardStatus.PENDING
            locked.award_requested_at = now
            # robust: a failing award never undoes or hides the completion; the enrolment
            # stays "requested" and staff can retry from the course report.
            transaction.on_commit(lambda: _enqueue_award(locked.pk), robust=True)
        locked.save()
    return locked


def _enqueue_award(enrolment_id: int) -> None:
    from .tasks import request_course_award

    request_course_award.delay(enrolment_id)


def update_completions_for(user) -> list[Enrolment]:
    """Recompute every in-progress enrolment of ``user`` (mentoring calls this after a session).

    Returns the enrolments that are completed now.
    """
    if user is None or not user.is_authenticated:
        return []
    completed = []
    for enrolment in Enrolment.objects.filter(user=user, status=Enrolment.Status.ACTIVE):
        updated = update_completion(enrolment)
        if updated.is_completed:
            completed.append(updated)
    return completed


def award_evidence(enrolment: Enrolment) -> list[Evidence]:
    """What the badge says was done: the course, its lessons, quiz scores, mentoring, the date."""
    course = enrolment.course
    # With their bodies: the quiz titles are read from them below.
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    done = {
        row.lesson_id: row.completed_at
        for row in LessonProgress.objects.filter(enrolment=enrolment)
    }
    finished = [lesson.title for lesson in lessons if lesson.pk in done]
    when = (enrolment.completed_at or timezone.now()).date().isoformat()
    url = course.get_full_url() or ""
    evidence = [
        Evidence(
            name=f"Completed the course “{course.title}”",
            narrative=(
                f"Completed on {when}: {len(finished)} of {len(lessons)} lessons done"
                + (f" ({'; '.join(finished)})." if finished else ".")
            ),
            url=url,
        )
    ]
    titles = {}
    for lesson in lessons:
        for block in lesson.quiz_blocks():
            titles[(lesson.pk, block.id)] = (lesson.title, block.value["title"])
    best: dict[tuple[int, str], QuizAttempt] = {}
    for attempt in QuizAttempt.objects.filter(enrolment=enrolment).order_by("submitted_at"):
        key = (attempt.lesson_id, attempt.quiz_id)
        if key not in best or attempt.score > best[key].score:
            best[key] = attempt
    for key, attempt in best.items():
        if key not in titles:
            continue
        lesson_title, quiz_title = titles[key]
        evidence.append(
            Evidence(
                name=f"Quiz “{quiz_title}” ({lesson_title})",
                narrative=(
                    f"Scored {attempt.score}% (pass mark {attempt.pass_mark}%) on attempt "
                    f"{attempt.number}, {attempt.submitted_at.date().isoformat()}."
                ),
            )
        )
    if course.required_mentoring_sessions:
        sessions = hooks.completed_mentoring_sessions(enrolment.user, course)
        evidence.append(
            Evidence(
                name="Mentoring",
                narrative=f"Completed {sessions} mentoring session{'s' if sessions != 1 else ''} "
                f"({course.required_mentoring_sessions} required).",
            )
        )
    return evidence


def request_award(enrolment_id: int) -> Award | None:
    """Ask credentials to award the course's badge to a completed enrolment. Idempotent.

    The one place learning calls ``credentials.services.award``. A refusal (for example a
    badge that is not published yet) is recorded on the enrolment so that staff can see it and
    retry; the completion itself stands.
    """
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "course__badge_class", "course__badge_class__issuer", "user")
            .get(pk=enrolment_id)
        )
        if enrolment.status != Enrolment.Status.COMPLETED:
            return None
        if enrolment.award_status == Enrolment.AwardStatus.AWARDED and enrolment.award_id:
            return enrolment.award
        badge = enrolment.course.badge_class
        if badge is None:
            enrolment.award_status = Enrolment.AwardStatus.NONE
            enrolment.save(update_fields=["award_status"])
            return None
        try:
            given = award(
                badge,
                enrolment.user,
                award_evidence(enrolment),
                idempotency_key=f"learning:enrolment:{enrolment.pk}",
            )
        except AwardError as error:
            enrolment.award_status = Enrolment.AwardStatus.FAILED
            enrolment.award_message = str(error)
            enrolment.save(update_fields=["award_status", "award_message"])
            return None
        enrolment.award = given
        enrolment.award_status = Enrolment.AwardStatus.AWARDED
        enrolment.award_message = ""
        enrolment.save(update_fields=["award", "award_status", "award_message"])
        return given


def retry_awards(course: CoursePage, by) -> int:
    """Request the badge again for every completed learner still without it (staff action)."""
    if not can_view_report(by, course):
        raise PermissionError(f"{by} may not act on “{course.title}”.")
    waiting = list(
        Enrolment.objects.filter(
            course=course,
            status=Enrolment.Status.COMPLETED,
            award_status__in=[Enrolment.AwardStatus.PENDING, Enrolment.AwardStatus.FAILED],
        ).values_list("pk", flat=True)
    )
    return sum(1 for pk in waiting if request_award(pk) is not None)


# --------------------------------------------------------------------------- catalogue


@dataclass
class CatalogueQuery:
    q: str = ""
    framework: str = ""
    competence: int | None = None
    level: int | None = None
    language: str = ""
    course_format: str = ""
    institution: str = ""


def catalogue_ids(query: CatalogueQuery) -> list[int]:
    """Ids of the published courses matching the filters: by title, or by relevance when
    searching (Wagtail search). Cheap whatever the number of courses: no objects are built."""
    courses = CoursePage.objects.live()
    if query.framework:
        courses = courses.filter(competences__framework__code=query.framework)
    if query.competence:
        courses = courses.filter(competences=query.competence)
    if query.level:
        courses = courses.filter(eqf_level=query.level)
    if query.language:
        courses = courses.filter(language=query.language)
    if query.course_format:
        courses = courses.filter(course_format=query.course_format)
    if query.institution:
        courses = courses.filter(institutions__slug=query.institution)
    ids = list(dict.fromkeys(courses.order_by("title").values_list("pk", flat=True)))
    if not query.q:
        return ids
    matching = set(ids)
    return [pk for pk in search_ids(query.q) if pk in matching]


def search_ids(text: str, limit: int = 500) -> list[int]:
    """Published course ids for a Wagtail search, most relevant first."""
    results = CoursePage.objects.live().only("pk", "title").search(text)[:limit]
    return [page.pk for page in results]


def courses_for_cards(ids: list[int]) -> list[CoursePage]:
    """The catalogue cards of these courses, in this order, in a fixed number of queries."""
    courses = (
        CoursePage.objects.filter(pk__in=ids)
        .select_related("badge_class", "badge_class__issuer", "cover_image")
        .prefetch_related("institutions", "competences__framework", "cover_image__renditions")
        .defer_streamfields()
    )
    by_id = {course.pk: course for course in courses}
    return [by_id[pk] for pk in ids if pk in by_id]


def catalogue_courses(query: CatalogueQuery) -> list[CoursePage]:
    """Every matching course with its card data (for small catalogues and tests)."""
    return courses_for_cards(catalogue_ids(query))


def catalogue_options() -> dict:
    """What the catalogue filters offer: only values that some published course has."""
    competences = list(
        _competency_model()
        .objects.filter(courses__live=True)
        .select_related("framework")
        .distinct()
        .order_by("framework__name", "code")
    )
    frameworks = {}
    for competence in competences:
        frameworks.setdefault(competence.framework.code, competence.framework)
    institutions = list(Issuer.objects.filter(courses__live=True).distinct().order_by("name"))
    return {
        "competences": competences,
        "frameworks": list(frameworks.values()),
        "institutions": institutions,
    }


def _competency_model():
    from credentials.models import Competency

    return Competency


# --------------------------------------------------------------------------- dashboard


@dataclass
class Dashboard:
    in_progress: list[tuple[Enrolment, CourseProgress]]
    completed: list[tuple[Enrolment, CourseProgress]]
    awards: list[Award]
    upcoming_sessions: list[dict]
    suggestions: list[CoursePage]
    catalogue: CourseCatalogPage | None = None


def dashboard_for(user) -> Dashboard:
    """Everything on a learner's dashboard, in a fixed number of queries."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status=Enrolment.Status.LEFT)
        .select_related("course", "course__badge_class", "course__badge_class__issuer")
        .defer("course__learning_outcomes")
        .order_by("-last_activity_at")
    )
    for enrolment in enrolments:
        enrolment.user = user
    progress = progress_for(enrolments)
    in_progress = [(e, progress[e.pk]) for e in enrolments if e.is_active]
    completed = sorted(
        ((e, progress[e.pk]) for e in enrolments if e.is_completed),
        key=lambda pair: pair[0].completed_at or pair[0].enrolled_at,
        reverse=True,
    )
    awards = list(
        Award.objects.filter(recipient=user, revoked_at__isnull=True)
        .select_related("badge_class", "badge_class__issuer")
        .order_by("-issued_on")
    )
    suggestions = list(
        CoursePage.objects.live()
        .exclude(enrolments__user=user)
        .select_related("badge_class")
        .defer_streamfields()
        .order_by("-first_published_at")[:3]
    )
    return Dashboard(
        in_progress=in_progress,
        completed=completed,
        awards=awards,
        upcoming_sessions=hooks.upcoming_mentoring_sessions(user),
        suggestions=suggestions,
        catalogue=CourseCatalogPage.objects.live().first(),
    )


# --------------------------------------------------------------------------- course report


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
class LearnerRow:
    enrolment: Enrolment
    progress: CourseProgress
    best_scores: dict[tuple[int, str], int]

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


def course_report(course: CoursePage, by) -> CourseReport:
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

    rows = [LearnerRow(e, progress[e.pk], best[e.pk]) for e in enrolments]
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
    return CourseReport(course, lessons, funnel, quizzes, rows, counts)


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
        table.append([spreadsheet_cell(cell) for cell in line])
    return table
