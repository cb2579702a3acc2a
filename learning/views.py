"""Thin views: read the request, call ``learning.services``, render or redirect."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from credentials.models import Competency, Issuer
from credentials.services import badge_in_language, second_factor_required
from lib import pagecache, translations
from lib.spreadsheet import spreadsheet_cell

from . import charts, services
from .cards import course_cards
from .forms import CatalogueFilterForm
from .lists import both
from .models import CourseCatalogPage, CoursePage, Enrolment, LessonPage
from .presentation import lesson_blocks
from .views_reports import second_factor_used

CATALOGUE_PAGE_SIZE = 12
REPORT_PAGE_SIZE = 50


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


# --------------------------------------------------------------------------- catalogue


# Anonymous visitors' catalogue and course pages come from the shared page cache; they show
# pages and what institutions publish (their names, badges, competences), no person's data.
SHOWN = (pagecache.PAGES, pagecache.CREDENTIALS)


def _unrestricted(request, page) -> bool:
    """A page behind a Wagtail view restriction (a password, a login, groups) is never stored:
    the cached copy is answered before Wagtail checks restrictions (cms/pagecache.py)."""
    return not translations.is_restricted(page)


@pagecache.cache_anonymous(
    SHOWN, params=[*CatalogueFilterForm.base_fields, "page"], early=True, when=_unrestricted
)
def serve_catalogue(request, page: CourseCatalogPage):
    page = translations.display_pair(page)[1]
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    form = CatalogueFilterForm(request.GET, options=services.catalogue_options())
    query = form.query()
    paginator = Paginator(services.catalogue_ids(query), CATALOGUE_PAGE_SIZE)
    listing = paginator.get_page(_page_number(request))
    ids = list(listing.object_list)
    enrolled = {}
    if request.user.is_authenticated:
        enrolled = dict(
            Enrolment.objects.filter(user=request.user, course__in=ids).values_list(
                "course_id", "status"
            )
        )
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    response = TemplateResponse(
        request,
        page.get_template(request),
        {
            "page": page,
            "self": page,
            "form": form,
            "query": query,
            "listing": listing,
            "cards": [(card, enrolled.get(card.pk)) for card in course_cards(ids)],
            "total": paginator.count,
            "filtered": any(params.values()),
            "page_query": urlencode(params),
        },
    )
    if query.q or form.errors or request.GET.get("page", "1") != str(listing.number):
        # Free text, invalid filters and page numbers past the last are endless: a visitor
        # could fill the shared cache with them. Only the finite set of filter pages is kept.
        response.page_cache_seconds = 0
    return response


# --------------------------------------------------------------------------- course


@pagecache.cache_anonymous(SHOWN, early=True, when=_unrestricted)
def serve_course(request, course: CoursePage):
    course, shown = translations.display_pair(course)
    if request.method == "POST":
        return _course_action(request, course)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    user = request.user
    enrolment = services.enrolment_of(user, course)
    lessons = translations.in_language_many(services.course_lessons(course))
    progress = services.progress_of(enrolment, lessons) if enrolment else None
    can_open = services.can_open_lessons(user, course, enrolment) or getattr(
        request, "is_preview", False
    )
    missing = services.missing_prerequisites(user, course)
    return TemplateResponse(
        request,
        course.get_template(request),
        {
            "page": shown,
            "self": shown,
            "enrolment": enrolment,
            "progress": progress,
            "lessons": lessons,
            "modules": services.modules(lessons),
            "can_open_lessons": can_open,
            "prerequisites": list(services.prerequisites_of(course)),
            "missing_prerequisites": missing,
            "competences": list(
                Competency.objects.filter(courses=course.pk).select_related("framework")
            ),
            "institutions": list(Issuer.objects.filter(courses=course.pk)),
            "badge": badge_in_language(course.approved_badge) if course.approved_badge else None,
            "can_view_report": services.can_view_report(user, course),
            "is_editor": services.can_edit_course(user, course),
        },
    )


def _course_action(request, course: CoursePage):
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    action = request.POST.get("action")
    try:
        if action == "enrol":
            services.enrol(request.user, course)
            lessons = services.course_lessons(course)
            messages.success(
                request,
                _("You are enrolled in “%(title)s”. Enjoy the course!") % {"title": course.title},
            )
            if lessons:
                return redirect(lessons[0].url)
        elif action == "leave":
            services.leave(request.user, course)
            messages.success(
                request,
                _("You left “%(title)s”. Your progress is kept if you enrol again.")
                % {"title": course.title},
            )
        else:
            messages.error(request, _("That action is unknown. Use the buttons on the page."))
    except services.LearningError as error:
        messages.error(request, str(error))
    return redirect(course.url)


# --------------------------------------------------------------------------- lesson


def serve_lesson(request, lesson: LessonPage, **extra):
    lesson, shown = translations.display_pair(lesson)
    course = services.course_of(lesson)
    user = request.user
    enrolment = services.enrolment_of(user, course)
    is_preview = getattr(request, "is_preview", False)
    if not (is_preview or services.can_open_lessons(user, course, enrolment)):
        if request.method == "POST":
            messages.error(
                request,
                _("Enrol in “%(title)s” to work on its lessons.") % {"title": course.title},
            )
        elif user.is_authenticated:
            messages.info(
                request, _("Enrol in “%(title)s” to open its lessons.") % {"title": course.title}
            )
        else:
            messages.info(request, _("Log in and enrol in this course to open its lessons."))
        return redirect(course.url)
    if request.method == "POST":
        return _lesson_action(request, lesson, course)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return _render_lesson(request, lesson, course, enrolment, shown=shown, **extra)


def _render_lesson(request, lesson, course, enrolment, status=200, shown=None, **block_state):
    """The learning of ``lesson`` (the default language's page), the words of ``shown``."""
    shown = shown or translations.in_language(lesson)
    lessons = translations.in_language_many(services.course_lessons(course))
    learner = enrolment if enrolment and enrolment.opens_lessons else None
    progress = services.progress_of(learner, lessons) if learner else None
    position = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), 0)
    blocks = lesson_blocks(
        shown, learner, **({"retake_quiz": request.GET.get("retake")} | block_state)
    )
    unmet = []
    if learner:  # from the progress and the answers just read, not asked again
        unmet = services.unmet_lesson_requirements(
            learner,
            lesson,
            passed={quiz for lesson_id, quiz in progress.passed_quizzes if lesson_id == lesson.pk},
            answered={
                item.reflection.id
                for item in blocks
                if item.reflection and item.reflection.answer is not None
            },
        )
    return TemplateResponse(
        request,
        lesson.get_template(request),
        {
            "page": shown,
            "self": shown,
            "course": translations.in_language(course),
            "enrolment": learner,
            "progress": progress,
            "modules": services.modules(lessons),
            "lesson_number": position + 1,
            "lesson_count": len(lessons),
            "previous_lesson": lessons[position - 1] if position > 0 else None,
            "next_lesson": lessons[position + 1] if position + 1 < len(lessons) else None,
            "is_done": progress.is_done(lesson) if progress else False,
            "unmet": unmet,
            "unmet_text": both(unmet),
            "blocks": blocks,
        },
        status=status,
    )


def _lesson_action(request, lesson: LessonPage, course: CoursePage):
    action = request.POST.get("action")
    user = request.user
    before = services.enrolment_of(user, course)
    was_completed = bool(before and before.is_completed)
    try:
        if action == "done":
            services.mark_lesson_done(user, lesson)
            return _after_progress(
                request,
                lesson,
                course,
                _("“%(title)s” is done.") % {"title": lesson.title},
                was_completed,
            )
        if action == "quiz":
            quiz_id = request.POST.get("quiz", "")
            answers = {
                key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")
            }
            number = request.POST.get("attempt", "")
            try:
                attempt = services.submit_quiz(
                    user,
                    lesson,
                    quiz_id,
                    answers,
                    request.POST.get("token", ""),
                    number=int(number) if number.isdigit() else None,
                )
            except services.QuizInputError as error:
                enrolment = services.enrolment_of(user, course)
                return _render_lesson(
                    request,
                    lesson,
                    course,
                    enrolment,
                    status=200 if error.errors else 400,
                    submitted_quiz=quiz_id,
                    submitted_answers=answers,
                    quiz_error=str(error),
                    quiz_errors=error.errors,
                )
            if attempt.passed:
                return _after_progress(
                    request,
                    lesson,
                    course,
                    _("You passed with %(score)s%%.") % {"score": attempt.score},
                    was_completed,
                    anchor=f"quiz-{quiz_id}",
                )
            messages.warning(request, _failed_attempt_message(attempt, lesson))
            return redirect(f"{lesson.url}#quiz-{quiz_id}")
        if action == "ask_attempt":
            quiz_id = request.POST.get("quiz", "")
            services.request_another_attempt(user, lesson, quiz_id)
            messages.success(request, _request_message(course))
            return redirect(f"{lesson.url}#quiz-{quiz_id}")
        if action == "reflection":
            block_id = request.POST.get("block", "")
            text = request.POST.get("text", "")
            try:
                services.save_reflection(user, lesson, block_id, text)
            except services.LearningError as error:
                enrolment = services.enrolment_of(user, course)
                return _render_lesson(
                    request,
                    lesson,
                    course,
                    enrolment,
                    status=400,
                    submitted_reflection=block_id,
                    reflection_text=text,
                    reflection_error=str(error),
                )
            messages.success(request, _("Your reflection is saved. You can revise it any time."))
            return redirect(f"{lesson.url}#reflection-{block_id}")
        messages.error(request, _("That action is unknown. Use the buttons on the page."))
    except services.LearningError as error:
        messages.error(request, str(error))
    return redirect(lesson.url)


def _request_message(course: CoursePage) -> str:
    """What a learner is told on asking for another attempt: "sent" only when someone is
    e-mailed (the course's institutions' staff, or their contact addresses)."""
    if not services.course_team_addresses(course):
        return _(
            "Your request is recorded; the course team sees it in their course report. When they "
            "grant another attempt, you can answer the quiz again here."
        )
    names = both(issuer.name for issuer in services.course_team(course))
    return _(
        "Your request is sent to the course team (%(names)s). We e-mail you when they grant "
        "another attempt."
    ) % {"names": names}


def _failed_attempt_message(attempt, lesson: LessonPage) -> str:
    said = {"score": attempt.score, "number": attempt.number, "mark": attempt.pass_mark}
    left = services.allowance_for(attempt.enrolment, lesson, attempt.quiz_id).left
    if left is None:
        return (
            _(
                "You scored %(score)s%% on attempt %(number)s; you need %(mark)s%%. Read the "
                "feedback below, then choose “Try again”."
            )
            % said
        )
    if left == 0:
        return (
            _(
                "You scored %(score)s%% on attempt %(number)s; you need %(mark)s%%. You have no "
                "attempts left: ask the course team for another one below."
            )
            % said
        )
    return ngettext(
        "You scored %(score)s%% on attempt %(number)s; you need %(mark)s%%. You have %(left)s "
        "attempt left: read the feedback below, then choose “Try again”.",
        "You scored %(score)s%% on attempt %(number)s; you need %(mark)s%%. You have %(left)s "
        "attempts left: read the feedback below, then choose “Try again”.",
        left,
    ) % {**said, "left": left}


def _after_progress(request, lesson, course, done_message: str, was_completed: bool, anchor=""):
    """After a step: celebrate a completion on its own page, else offer the next lesson."""
    enrolment = services.enrolment_of(request.user, course)
    if enrolment and enrolment.is_completed and not was_completed:
        messages.success(request, done_message)
        return redirect("learning:completed", course_id=course.pk)
    messages.success(request, done_message)
    if anchor:
        return redirect(f"{lesson.url}#{anchor}")
    upcoming = services.progress_of(enrolment).next_lesson
    if upcoming is not None and upcoming.pk != lesson.pk:
        messages.info(request, _("Here is your next lesson."))
        return redirect(upcoming.url)
    return redirect(course.url)


# --------------------------------------------------------------------------- dashboard


@login_required
@require_GET
def dashboard(request):
    return TemplateResponse(
        request, "learning/dashboard.html", {"dashboard": services.dashboard_for(request.user)}
    )


# --------------------------------------------------------------------------- reports


@login_required
@second_factor_required
@require_GET
def report_list(request):
    courses = list(
        services.reportable_courses(request.user)
        .live()
        .select_related("badge_class")
        .prefetch_related("institutions")
        .defer_streamfields()
        .order_by("title")
    )
    if not courses:
        raise PermissionDenied(_("Course reports are for the staff of co-creating institutions."))
    counts = services.enrolment_counts(courses)
    waiting = services.open_request_counts(courses)
    return TemplateResponse(
        request,
        "learning/report_list.html",
        {
            "rows": [(course, counts.get(course.pk, {})) for course in courses],
            "waiting": [(course, waiting[course.pk]) for course in courses if course.pk in waiting],
        },
    )


def _report_for(request, course_id: int) -> services.CourseReport:
    course = get_object_or_404(CoursePage, pk=course_id)
    try:
        return services.course_report(course, request.user)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error


@login_required
@second_factor_required
@require_GET
def report(request, course_id: int):
    data = _report_for(request, course_id)
    rows = Paginator(data.rows, REPORT_PAGE_SIZE).get_page(_page_number(request))
    # Links to learners' work only for those who may open it (the course team, a second factor).
    learner_work = services.learner_work_access(
        request.user, data.course, second_factor_used=second_factor_used(request)
    )
    return TemplateResponse(
        request,
        "learning/report.html",
        {
            "report": data,
            "course": data.course,
            "rows": rows,
            "charts": [charts.score_histogram(quiz) for quiz in data.quizzes],
            "funnel_chart": charts.funnel(data.funnel),
            "learner_work": learner_work is services.LearnerWork.ALLOWED,
        },
    )


@login_required
@second_factor_required
@require_GET
def report_csv(request, course_id: int):
    data = _report_for(request, course_id)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{data.course.slug}-learners-{stamp}.csv"'
    )
    response.write("\ufeff")  # spreadsheet programs then read UTF-8 correctly
    # The reflections only for the course team; anyone else gets the CSV without their columns.
    used = second_factor_used(request)
    reflections = (
        services.reflections_by_learner(data.course, request.user, second_factor_used=used)
        if services.can_see_learner_work(request.user, data.course, second_factor_used=used)
        else None
    )
    table = services.report_table(data, reflections)
    csv.writer(response).writerows([spreadsheet_cell(c) for c in r] for r in table)
    return response


@login_required
@second_factor_required
@require_POST
def report_retry_awards(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    try:
        given = services.retry_awards(course, request.user)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    if given:
        messages.success(
            request,
            ngettext("%(n)s badge awarded.", "%(n)s badges awarded.", given) % {"n": given},
        )
    else:
        messages.warning(
            request,
            _("No badge could be awarded. Check that the course's badge is published, then retry."),
        )
    return redirect("learning:report", course_id=course.pk)
