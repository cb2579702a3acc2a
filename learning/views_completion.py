"""The moment a learner completes a course: the completion page (thin: services decide)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from . import services
from .models import CoursePage


@login_required
@require_safe
def completed(request, course_id: int):
    """The learner's own completion of a course: the badge, sharing it, the next course.

    Someone who has not completed the course (or another learner) is sent to the course page:
    this page only ever shows the visitor's own achievement."""
    course = get_object_or_404(CoursePage, pk=course_id)
    try:
        completion = services.completion_for(request.user, course)
    except services.LearningError as error:
        messages.info(request, str(error))
        return redirect(course.url if course.live else "learning:dashboard")
    return TemplateResponse(
        request,
        "learning/completed.html",
        {"completion": completion, "course": course, "badge": completion.badge},
    )
