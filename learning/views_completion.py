"""The moment a learner completes a course: the completion page (thin: services decide)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from credentials.services import badge_in_language

from . import services
from .models import CoursePage


@login_required
@require_safe
def completed(request, course_id: int):
    """The learner's own completion of a course: the badge, sharing it, the next course.

    Someone who has not completed the course (or another learner) gets a 404 that names no
    course: a draft course's title must not be learnt by trying ids. This page only ever shows
    the visitor's own achievement."""
    course = get_object_or_404(CoursePage, pk=course_id)
    try:
        completion = services.completion_for(request.user, course)
    except services.LearningError as error:
        raise Http404("You have not completed this course.") from error
    return TemplateResponse(
        request,
        "learning/completed.html",
        {
            "completion": completion,
            "course": course,
            "badge": badge_in_language(completion.badge) if completion.badge else None,
        },
    )
