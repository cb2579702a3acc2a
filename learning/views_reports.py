"""The course team's pages beyond the course report: one learner (quiz attempts, reflections),
granting or resetting attempts with a confirmation step, and every reflection per prompt.

These show learners' own work, so they follow ``services.learner_work_access`` (the course's
institutions' staff and superusers, with a second factor used in this session), not the course
report's rule. Thin like ``views``: the rules (who may, what changes) are in
``learning.services``."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from credentials.services import second_factor_required
from credentials.services.second_factor import acts_for_an_issuer, demo_exempt, satisfied

from . import services
from .models import CoursePage, Enrolment

CHANGES = {
    "one_more": (
        services.grant_one_more_attempt,
        gettext_lazy("Grant one more attempt"),
        gettext_lazy("%(name)s has one more attempt at “%(quiz)s”."),
        gettext_lazy("%(name)s already has an attempt left at “%(quiz)s”; nothing changed."),
    ),
    "reset": (
        services.reset_attempts,
        gettext_lazy("Reset the attempts"),
        gettext_lazy("%(name)s's attempts at “%(quiz)s” are reset: they have %(allowed)s again."),
        gettext_lazy("No attempt at “%(quiz)s” counts against %(name)s; nothing changed."),
    ),
}


class SecondFactorFirst(Exception):
    """The course team, before using a second factor in this session."""


def second_factor_used(request) -> bool:
    """Did this session use one of the person's own second factors (or is it a demo account
    under ``make run``)? The rule of credentials/services/second_factor.py."""
    return demo_exempt(request.user) or satisfied(request)


def _gate(request, course: CoursePage) -> bool:
    """What the learner-work rule says for this request: True when the person may see learners'
    work; raises PermissionDenied when they may not, SecondFactorFirst when they may once they
    use a second factor."""
    access = services.learner_work_access(
        request.user, course, second_factor_used=second_factor_used(request)
    )
    if access is services.LearnerWork.NEEDS_SECOND_FACTOR:
        raise SecondFactorFirst
    if access is not services.LearnerWork.ALLOWED:
        raise PermissionDenied(services.WORK_REFUSED)
    return True


def _to_second_factor(request):
    if acts_for_an_issuer(request.user):  # that page explains, then leads back (a local next)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('credentials_manage:second_factor')}?{query}")
    raise PermissionDenied(_("Set up and use a second factor to see learners' work."))


def learner_work(view):
    """On the course team's views of learners' work: refuse who the rule refuses, and send the
    course team to use a second factor first (under ``@login_required``)."""

    @wraps(view)
    def gated(request, course_id: int, *args, **kwargs):
        course = get_object_or_404(CoursePage, pk=course_id)
        try:
            _gate(request, course)
        except SecondFactorFirst:
            return _to_second_factor(request)
        return view(request, course, *args, **kwargs)

    return gated


def _learner(request, course: CoursePage, enrolment_id: int) -> services.LearnerReport:
    try:
        return services.learner_report(
            course, enrolment_id, request.user, second_factor_used=second_factor_used(request)
        )
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except Enrolment.DoesNotExist as error:
        raise Http404(str(error)) from error


@login_required
@second_factor_required
@require_GET
@learner_work
def report_learner(request, course: CoursePage, enrolment_id: int):
    data = _learner(request, course, enrolment_id)
    return TemplateResponse(
        request, "learning/report_learner.html", {"learner": data, "course": data.course}
    )


@login_required
@second_factor_required
@require_http_methods(["GET", "HEAD", "POST"])
@learner_work
def report_attempts(request, course: CoursePage, enrolment_id: int):
    """GET: confirm granting one more attempt or resetting them; POST: do it."""
    course_id = course.pk
    data = _learner(request, course, enrolment_id)
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
        messages.error(request, _("That quiz or change is unknown. Use the buttons on this page."))
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
        made = act(
            request.user,
            data.enrolment,
            quiz.lesson,
            quiz.quiz_id,
            second_factor_used=second_factor_used(request),
        )
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        allowed = services.allowance_for(data.enrolment, quiz.lesson, quiz.quiz_id).allowed
        text = done if made is not None else unchanged
        attempts = ngettext("%(n)s attempt", "%(n)s attempts", allowed or 0) % {"n": allowed}
        message = str(text) % {"name": name, "quiz": quiz.title, "allowed": attempts}
        (messages.success if made is not None else messages.info)(request, message)
    return redirect("learning:report_learner", course_id, enrolment_id)


@login_required
@second_factor_required
@require_GET
@learner_work
def report_reflections(request, course: CoursePage):
    """One prompt's answers at a time (``?prompt=``), a page of them at a time (``?page=``)."""
    try:
        reflections = services.course_reflections(
            course,
            request.user,
            second_factor_used=second_factor_used(request),
            prompt=request.GET.get("prompt", ""),
            page=request.GET.get("page", 1),
        )
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    return TemplateResponse(
        request,
        "learning/report_reflections.html",
        {"course": course, "reflections": reflections},
    )
