"""Learners' pages: finding a mentor, saving their goals, booking a session."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring import matching, services, slots
from mentoring.forms import (
    BookingForm,
    FinderForm,
    GoalsForm,
)
from mentoring.models import LearnerGoals, MentorProfile
from mentoring.views.week import slots_context, visitor_zone


@require_GET
def finder(request):
    form = FinderForm(request.GET or None)
    mentors = matching.mentors_listed()
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        if data.get("competence"):
            mentors = mentors.filter(competences=data["competence"])
            filtered = True
        if data.get("sector"):
            mentors = mentors.filter(sector=data["sector"])
            filtered = True
        if data.get("language"):
            mentors = mentors.filter(languages__contains=f",{data['language']},")
            filtered = True
    mentors = list(mentors.distinct())
    ranked = matching.suggest(request.user, mentors)
    by_pk = {s.profile.pk: s for s in ranked}
    suggested = [s for s in ranked if s.score > 0][:3] if request.user.is_authenticated else []
    goals = None
    if request.user.is_authenticated:
        record = (
            LearnerGoals.objects.filter(user=request.user).prefetch_related("competences").first()
        )
        goals = GoalsForm(
            initial={
                "competences": list(record.competences.all()) if record else [],
                "goals": record.goals if record else "",
            }
        )
    return render(
        request,
        "mentoring/finder.html",
        {
            "form": form,
            "cards": [by_pk[m.pk] for m in mentors],
            "suggested": suggested,
            "filtered": filtered,
            "goals_form": goals,
            "zone": visitor_zone(request),
        },
    )


@login_required
@require_POST
def save_goals(request):
    form = GoalsForm(request.POST)
    if form.is_valid():
        matching.save_goals(
            request.user,
            competences=form.cleaned_data["competences"],
            goals=form.cleaned_data["goals"],
        )
        messages.success(request, _("Your goals are saved; suggestions use them now."))
    else:
        messages.error(
            request,
            _("Those goals could not be saved: %(errors)s") % {"errors": form.errors.as_text()},
        )
    return redirect("mentoring:finder")


@require_http_methods(["GET", "POST"])
def mentor_detail(request, pk: int):
    profile = get_object_or_404(
        MentorProfile.objects.select_related("user", "institution").prefetch_related(
            "competences__framework"
        ),
        pk=pk,
    )
    zone = visitor_zone(request, profile.time_zone)
    form = BookingForm(request.POST or None, time_zone=zone)
    booking_error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={profile.get_absolute_url()}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.book(
                    profile,
                    request.user,
                    data["start"],
                    agenda=data["agenda"],
                    goal=data["goal"],
                    idempotency_key=data["idempotency_key"],
                )
            except services.BookingError as error:
                booking_error = error
                form.add_error(None, error.message)
            else:
                if session.status == "requested":
                    text = _(
                        "Session requested. An invitation with a calendar file is on its way "
                        "to %(email)s."
                    )
                else:
                    text = _(
                        "Session booked. An invitation with a calendar file is on its way to "
                        "%(email)s."
                    )
                messages.success(request, text % {"email": request.user.email})
                return redirect(session)
    context = {
        "profile": profile,
        "form": form,
        "booking_error": booking_error,
        "soon": [
            {"start": s.start.astimezone(ZoneInfo(zone)), "value": s.start.isoformat()}
            for s in (booking_error.free[:6] if booking_error else [])
        ],
        "is_self": request.user.is_authenticated and request.user.pk == profile.user_id,
        "room_per_session": services.room_per_session(profile),
        **slots_context(request, profile),
    }
    status = 409 if booking_error and booking_error.reason == slots.MENTOR_BUSY else 200
    if request.method == "POST" and not form.is_valid() and not booking_error:
        status = 400
    return render(request, "mentoring/mentor_detail.html", context, status=status)
