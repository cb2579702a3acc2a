"""Mentors' pages, their desk: the numbers, their profile, their hours and days off."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mentoring import mentor_profiles, services
from mentoring.forms import (
    DateOverrideForm,
    MentorProfileForm,
    TimeOffForm,
    WeeklyAvailabilityForm,
)
from mentoring.models import MentorProfile
from mentoring.views.week import slot_days

UNDO_TIME_OFF = "mentoring.undo_time_off"  # the session key of the last removal's undo


def _own_profile(request) -> MentorProfile:
    try:
        return mentor_profiles.ensure_profile(request.user)
    except PermissionError as error:
        raise PermissionDenied(
            _("Only mentors have a mentor desk. Ask your institution to add you as a mentor.")
        ) from error


@login_required
@require_GET
def dashboard(request):
    profile = _own_profile(request)
    report = services.mentor_report(profile)
    feed = services.feed_for(request.user)
    return render(
        request,
        "mentoring/dashboard.html",
        {
            "profile": profile,
            "report": report,
            "feed_url": request.build_absolute_uri(feed.get_absolute_url()),
            "has_hours": profile.weekly.exists(),
            "programmes": profile.programmes.select_related("badge_class"),
            "time_off": [
                (off, held) for off, held in mentor_profiles.sessions_in_time_off(profile) if held
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = _own_profile(request)
    form = MentorProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        editable = mentor_profiles.PROFILE_FIELDS
        changes = {k: v for k, v in form.cleaned_data.items() if k in editable}
        profile.refresh_from_db()
        try:
            mentor_profiles.update_profile(profile, changes, by=request.user)
        except services.MentoringError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your mentor profile is saved."))
            return redirect("mentoring:dashboard")
    return render(
        request,
        "mentoring/profile_form.html",
        {"form": form, "profile": profile},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    profile = _own_profile(request)
    week = WeeklyAvailabilityForm(initial=list(profile.weekly.all()))
    override = DateOverrideForm()
    time_off_form = TimeOffForm()
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "week":
                week = WeeklyAvailabilityForm(request.POST)
                if week.is_valid():
                    mentor_profiles.set_weekly_availability(profile, week.ranges, by=request.user)
                    messages.success(request, _("Your weekly hours are saved."))
                    return redirect("mentoring:availability")
                status = 400
            elif which == "override":
                override = DateOverrideForm(request.POST)
                if override.is_valid():
                    data = override.cleaned_data
                    mentor_profiles.set_date_override(
                        profile, data["date"], data["hours"], by=request.user
                    )
                    messages.success(request, _override_saved(data["date"], data["hours"]))
                    return redirect("mentoring:availability")
                status = 400
            elif which == "time-off":
                time_off_form = TimeOffForm(request.POST)
                if time_off_form.is_valid():
                    data = time_off_form.cleaned_data
                    mentor_profiles.block_dates(
                        profile, data["first_day"], data["last_day"], reason=data["reason"],
                        by=request.user,
                    )  # fmt: skip
                    messages.success(request, _time_off_saved(data["first_day"], data["last_day"]))
                    return redirect("mentoring:availability")
                status = 400
            elif which == "remove-time-off":
                removed = mentor_profiles.remove_time_off(
                    profile, int(request.POST.get("time_off", "")), by=request.user
                )
                if removed:  # the page shows it once, with an Undo button
                    request.session[UNDO_TIME_OFF] = {
                        "text": _time_off_removed(removed.first_day, removed.last_day),
                        "token": mentor_profiles.undo_token(profile, removed),
                    }
                else:
                    messages.info(request, _("That time off was already removed."))
                return redirect(f"{reverse('mentoring:availability')}#time-off")
            elif which == "undo-remove-time-off":
                restored = mentor_profiles.restore_time_off(
                    profile, request.POST.get("undo", ""), by=request.user
                )
                messages.success(request, _time_off_saved(restored.first_day, restored.last_day))
                return redirect(f"{reverse('mentoring:availability')}#time-off")
            elif which == "remove-override":
                day = date.fromisoformat(request.POST.get("date", ""))
                mentor_profiles.remove_date_override(profile, day, by=request.user)
                messages.success(
                    request,
                    _("%(date)s follows your weekly hours again.")
                    % {"date": date_format(day, "l j F Y")},
                )
                return redirect("mentoring:availability")
        except services.MentoringError as error:
            status = 400
            if which == "week":
                week.errors.setdefault(-1, []).append(error.message)
            elif which == "time-off":
                field = error.field if error.field in time_off_form.fields else None
                time_off_form.add_error(field, error.message)
            elif which == "undo-remove-time-off":
                messages.error(request, error.message)
            else:
                override.add_error("hours" if error.field == "ranges" else None, error.message)
        except ValueError:
            status = 400
            messages.error(request, _("That could not be read. Try again from this page."))
    today = mentor_profiles.mentor_today(profile)
    overrides: dict[date, list] = {}
    for row in profile.overrides.filter(date__gte=today):
        overrides.setdefault(row.date, []).append(row)
    now = timezone.now()
    preview = services.free_slots_for(profile, end=now + timedelta(days=7))
    tz = ZoneInfo(profile.time_zone)
    return render(
        request,
        "mentoring/availability.html",
        {
            "profile": profile,
            "week": week,
            "week_errors": week.errors.get(-1, []),
            "override_form": override,
            "time_off_form": time_off_form,
            "time_off": mentor_profiles.sessions_in_time_off(profile),
            "undo_time_off": request.session.pop(UNDO_TIME_OFF, None),
            "overrides": sorted(overrides.items()),
            "preview": slot_days(
                preview, now.astimezone(tz).date(), profile.time_zone, profile.time_zone
            ),  # fmt: skip
            "hours": [f"{h:02d}:00" for h in range(0, 25, 3)],
        },
        status=status,
    )


def _override_saved(day: date, hours: list) -> str:
    when = date_format(day, "l j F Y")
    if not hours:
        return _("%(date)s is now a day off.") % {"date": when}
    ranges = ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in hours)
    return _("On %(date)s you offer %(ranges)s instead of your weekly hours.") % {
        "date": when,
        "ranges": ranges,
    }


def _time_off_removed(first: date, last: date) -> str:
    if first == last:
        days = date_format(first, "l j F Y")
    else:
        days = f"{date_format(first, 'j F')} – {date_format(last, 'j F Y')}"
    return _(
        "Time off %(days)s removed: learners can book your weekly hours on those days again."
    ) % {"days": days}


def _time_off_saved(first: date, last: date) -> str:
    if first == last:
        return _("You are off on %(date)s: learners cannot book that day.") % {
            "date": date_format(first, "l j F Y")
        }
    return _("You are off from %(first)s to %(last)s: learners cannot book those days.") % {
        "first": date_format(first, "l j F"),
        "last": date_format(last, "l j F Y"),
    }
