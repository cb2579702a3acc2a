"""The course team's pages beyond the course report: one learner (quiz attempts, reflections),
granting or resetting attempts with a confirmation step, and every reflection per prompt.

Thin like ``views``: the rules (who may, what changes) are in ``learning.services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from credentials.services import second_factor_required

from . import services
from .models import CoursePage, Enrolment

CHANGES = {
    "one_more": (
        services.grant_one_more_attempt,
        "Grant one more attempt",
        "{name} has one more attempt at “{quiz}”.",
        "{name} already has an attempt left at “{quiz}”; nothing changed.",
    ),
    "reset": (
        services.reset_attempts,
        "Reset the attempts",
        "{name}'s attempts at “{quiz}” are reset: they have {allowed} again.",
        "No attempt at “{quiz}” counts against {name}; nothing changed.",
    ),
}


def _learner(request, course_id: int, enrolment_id: int) -> services.LearnerReport:
    course = get_object_or_404(CoursePage, pk=course_id)
    try:
        return services.learner_report(course, enrolment_id, request.user)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except Enrolment.DoesNotExist as error:
        raise Http404(str(error)) from error


@login_required
@second_factor_required
@require_GET
def report_learner(request, course_id: int, enrolment_id: int):
    data = _learner(request, course_id, enrolment_id)
    return TemplateResponse(
        request, "learning/report_learner.html", {"learner": data, "course": data.course}
    )


@login_required
@second_factor_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_attempts(request, course_id: int, enrolment_id: int):
    """GET: confirm granting one more attempt or resetting them; POST: do it."""
    data = _learner(request, course_id, enrolment_id)
    params = request.POST if request.method == "POST" else request.GET
    change = params.get("change", "")
    quiz = next(
        (
            q
            for q in data.quizzes
            if str(q.lesson.pk) == params.get("lesson") and q.quiz_id == params.get("quiz")
        ),
        None,
    )
    if quiz is None or change not in CHANGES:
        messages.error(request, "That quiz or change is unknown. Use the buttons on this page.")
        return redirect("learning:report_learner", course_id, enrolment_id)
    act, label, done, unchanged = CHANGES[change]
    name = data.enrolment.user.get_full_name() or data.enrolment.user.email
    if request.method != "POST":
        return TemplateResponse(
            request,
            "learning/report_attempts_confirm.html",
            {
                "learner": data,
                "course": data.course,
                "quiz": quiz,
                "change": change,
                "label": label,
                "name": name,
            },
        )
    try:
        made = act(request.user, data.enrolment, quiz.lesson, quiz.quiz_id)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        allowed = services.allowance_for(data.enrolment, quiz.lesson, quiz.quiz_id).allowed
        text = done if made is not None else unchanged
        message = text.format(name=name, quiz=quiz.title, allowed=f"{allowed} attempts")
        (messages.success if made is not None else messages.info)(request, message)
    return redirect("learning:report_learner", course_id, enrolment_id)


@login_required
@second_factor_required
@require_GET
def report_reflections(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    try:
        prompts = services.course_reflections(course, request.user)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    return TemplateResponse(
        request, "learning/report_reflections.html", {"course": course, "prompts": prompts}
    )
