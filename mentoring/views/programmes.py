"""Mentoring programmes: the list, and a programme's page (joining it; its report for staff)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from credentials.services import second_factor_cleared
from mentoring import programmes, services
from mentoring.models import MentoringProgramme, MentorProfile
from mentoring.views.week import visitor_zone


@require_GET
def programme_list(request):
    programmes = MentoringProgramme.objects.select_related("badge_class__issuer").prefetch_related(
        Prefetch("mentors", queryset=MentorProfile.objects.select_related("user"))
    )
    mine = (
        set(request.user.mentoring_programmes.values_list("pk", flat=True))
        if request.user.is_authenticated
        else set()
    )
    return render(
        request, "mentoring/programme_list.html", {"programmes": programmes, "mine": mine}
    )


@require_http_methods(["GET", "POST"])
def programme_detail(request, slug: str):
    programme = get_object_or_404(
        MentoringProgramme.objects.select_related("badge_class__issuer"), slug=slug
    )
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('login')}?next={programme.get_absolute_url()}")
        try:
            programmes.join_programme(programme, user)
        except services.MentoringError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You joined %(programme)s. Book your first session.")
                % {"programme": programme.name},
            )
        return redirect(programme)
    is_member = user.is_authenticated and programme.learners.filter(pk=user.pk).exists()
    # The report names learners: its staff see it once their second factor is used.
    manager = programmes.can_manage_programme(user, programme)
    needs_second_factor = manager and not second_factor_cleared(request)
    manager = manager and not needs_second_factor
    return render(
        request,
        "mentoring/programme_detail.html",
        {
            "programme": programme,
            "mentors": programme.mentors.select_related("user", "institution"),
            "is_member": is_member,
            "progress": programmes.programme_progress(programme, user) if is_member else None,
            "report": programmes.programme_report(programme) if manager else None,
            "report_needs_second_factor": needs_second_factor,
            "zone": visitor_zone(request),
        },
    )
