"""Thin views: read the request, call a service, render. Rules live in services and slots."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import calendar, matching, mentor_profiles, programmes, services, slots
from .forms import (
    BookingForm,
    CancelForm,
    DateOverrideForm,
    FeedbackForm,
    FinderForm,
    GoalsForm,
    MentorProfileForm,
    NoteForm,
    RescheduleForm,
    WeeklyAvailabilityForm,
)
from .models import LearnerGoals, MentoringProgramme, MentorProfile, MentorSession

DAYS_SHOWN = 7


def _zone(request, fallback: str = "UTC") -> str:
    user = request.user
    return user.time_zone if user.is_authenticated and user.time_zone else fallback


def _start_of(day: date, zone: str) -> datetime:
    """The first instant of a local day (midnight, or the first instant after a gap)."""
    tz = ZoneInfo(zone)
    return min(
        datetime.combine(day, time(0), tzinfo=tz).replace(fold=f).astimezone(UTC) for f in (0, 1)
    )


def _week(request, zone: str) -> tuple[date, date, date | None, date]:
    """(first day shown, today, previous first day or None, next first day) in ``zone``."""
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    try:
        first = date.fromisoformat(request.GET.get("from") or request.POST.get("week") or "")
    except ValueError:
        first = today
    first = max(first, today)
    previous = first - timedelta(days=DAYS_SHOWN) if first > today else None
    if previous is not None and previous < today:
        previous = today
    return first, today, previous, first + timedelta(days=DAYS_SHOWN)


def _slot_days(free: list[slots.Interval], first: date, zone: str, mentor_zone: str) -> list:
    tz, mtz = ZoneInfo(zone), ZoneInfo(mentor_zone)
    days = {first + timedelta(days=i): [] for i in range(DAYS_SHOWN)}
    for slot in free:
        local = slot.start.astimezone(tz)
        if local.date() in days:
            days[local.date()].append(
                {
                    "value": slot.start.isoformat(),
                    "local": local,
                    "end": slot.end.astimezone(tz),
                    "mentor_local": slot.start.astimezone(mtz),
                }
            )
    return [{"date": day, "slots": items} for day, items in days.items()]


def _slots_context(request, profile, *, exclude=None) -> dict:
    zone = _zone(request, profile.time_zone)
    first, today, previous, nxt = _week(request, zone)
    learner = request.user if request.user.is_authenticated else None
    start, end = _start_of(first, zone), _start_of(nxt, zone)
    free = services.free_slots_for(profile, learner, start=start, end=end, exclude=exclude)
    upcoming = [] if free else services.free_slots_for(profile, learner, exclude=exclude)[:1]
    return {
        "zone": zone,
        "mentor_zone": profile.time_zone,
        "same_zone": ZoneInfo(zone).key == ZoneInfo(profile.time_zone).key,
        "week_first": first,
        "week_last": nxt - timedelta(days=1),
        "week_previous": previous,
        "week_next": nxt,
        "days": _slot_days(free, first, zone, profile.time_zone),
        "free_count": len(free),
        "next_free": upcoming[0] if upcoming else None,
        "next_free_week": (
            upcoming[0].start.astimezone(ZoneInfo(zone)).date() if upcoming else None
        ),
    }


# --- learners: finding and booking ------------------------------------------------------------


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
            "zone": _zone(request),
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
        messages.success(request, "Your goals are saved; suggestions use them now.")
    else:
        messages.error(request, "Those goals could not be saved: " + form.errors.as_text())
    return redirect("mentoring:finder")


@require_http_methods(["GET", "POST"])
def mentor_detail(request, pk: int):
    profile = get_object_or_404(
        MentorProfile.objects.select_related("user", "institution").prefetch_related(
            "competences__framework"
        ),
        pk=pk,
    )
    zone = _zone(request, profile.time_zone)
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
                verb = "requested" if session.status == "requested" else "booked"
                messages.success(
                    request,
                    f"Session {verb}. An invitation with a calendar file is on its way to "
                    f"{request.user.email}.",
                )
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
        **_slots_context(request, profile),
    }
    status = 409 if booking_error and booking_error.reason == slots.MENTOR_BUSY else 200
    if request.method == "POST" and not form.is_valid() and not booking_error:
        status = 400
    return render(request, "mentoring/mentor_detail.html", context, status=status)


# --- sessions ---------------------------------------------------------------------------------


def _session_or_404(request, uid) -> MentorSession:
    session = (
        MentorSession.objects.select_related("mentor__user", "learner", "cancelled_by")
        .filter(uid=uid)
        .first()
    )
    if session is None or not services.can_view(request.user, session):
        raise Http404("No such session.")
    return session


def _session_page(request, session, *, forms=None, status=200):
    user = request.user
    is_mentor = user.pk == session.mentor.user_id
    is_learner = user.pk == session.learner_id
    now = timezone.now()
    zone = _zone(request, session.mentor.time_zone)
    other_zone = session.learner.time_zone if is_mentor else session.mentor.time_zone
    active = session.is_active
    forms = forms or {}
    context = {
        "session": session,
        "is_mentor": is_mentor,
        "is_learner": is_learner,
        "zone": zone,
        "other_zone": other_zone,
        "other_start": session.starts_at.astimezone(ZoneInfo(other_zone)),
        "other": session.learner.get_full_name() if is_mentor else session.mentor.name,
        "notes": services.notes_for(session, user),
        "started": session.starts_at <= now,
        "can_change": services.can_still_change(session, user, now),
        "can_confirm": is_mentor and session.status == "requested" and session.starts_at > now,
        "can_close": active and session.starts_at <= now,
        "cancel_form": forms.get("cancel") or CancelForm(),
        "note_form": forms.get("note") or NoteForm(),
        "feedback_form": forms.get("feedback")
        or FeedbackForm(
            initial={"rating": session.rating, "feedback": session.feedback}
            if session.rating
            else None
        ),
        "cutoff": session.starts_at - timedelta(hours=session.mentor.cancellation_cutoff_hours),
    }
    return render(request, "mentoring/session_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request, uid):
    session = _session_or_404(request, uid)
    if request.method == "GET":
        return _session_page(request, session)
    action = request.POST.get("action", "")
    user = request.user
    forms = {}
    try:
        if action == "confirm":
            services.confirm(session, by=user)
            messages.success(request, "Confirmed. Both of you get an updated invitation.")
        elif action == "cancel":
            form = forms["cancel"] = CancelForm(request.POST)
            if not form.is_valid():
                return _session_page(request, session, forms=forms, status=400)
            services.cancel(session, by=user, reason=form.cleaned_data["reason"])
            messages.success(request, "The session is cancelled; both calendars are updated.")
        elif action == "complete":
            services.mark_completed(session, by=user)
            messages.success(request, "Marked as completed. Add notes for the learner below.")
        elif action == "no_show":
            services.mark_no_show(session, by=user, side=request.POST.get("side", ""))
            messages.success(request, "Recorded as a no-show.")
        elif action == "note":
            form = forms["note"] = NoteForm(request.POST)
            if not form.is_valid():
                return _session_page(request, session, forms=forms, status=400)
            services.add_note(session, by=user, **form.cleaned_data)
            messages.success(request, "Note saved.")
        elif action == "feedback":
            form = forms["feedback"] = FeedbackForm(request.POST)
            if not form.is_valid():
                return _session_page(request, session, forms=forms, status=400)
            services.leave_feedback(session, by=user, **form.cleaned_data)
            messages.success(request, "Thank you — your mentor sees your feedback.")
        else:
            return HttpResponse("Unknown action.", status=400)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except services.MentoringError as error:
        messages.error(request, error.message)
        session.refresh_from_db()
        return _session_page(request, session, forms=forms, status=400)
    return redirect(session)


@login_required
@require_http_methods(["GET", "POST"])
def session_reschedule(request, uid):
    session = _session_or_404(request, uid)
    profile = session.mentor
    zone = _zone(request, profile.time_zone)
    form = RescheduleForm(request.POST or None, time_zone=zone)
    booking_error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule(session, form.cleaned_data["start"], by=request.user)
        except PermissionError as error:
            raise PermissionDenied(str(error)) from error
        except services.BookingError as error:
            booking_error = error
            form.add_error(None, error.message)
        except services.MentoringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Moved. Both of you get an updated invitation.")
            return redirect(session)
    context = {
        "session": session,
        "profile": profile,
        "form": form,
        "booking_error": booking_error,
        **_slots_context(request, profile, exclude=session),
    }
    return render(
        request,
        "mentoring/session_reschedule.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def session_ics(request, uid):
    session = _session_or_404(request, uid)
    method, ics = calendar.invitation(session)
    response = HttpResponse(ics, content_type=f"text/calendar; method={method}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentoring-{session.uid}.ics"'
    return response


@login_required
@require_GET
def my_sessions(request):
    now = timezone.now()
    sessions = list(services.sessions_of(request.user))
    upcoming = [s for s in sessions if s.is_active and s.ends_at > now]
    to_close = [s for s in sessions if s.is_active and s.ends_at <= now]
    past = [s for s in reversed(sessions) if not s.is_active][:30]
    feed = services.feed_for(request.user)
    progress = [
        programmes.programme_progress(p, request.user)
        for p in MentoringProgramme.objects.filter(learners=request.user).select_related(
            "badge_class__issuer"
        )
    ]
    return render(
        request,
        "mentoring/my_sessions.html",
        {
            "upcoming": upcoming,
            "to_close": to_close,
            "past": past,
            "feed_url": request.build_absolute_uri(feed.get_absolute_url()),
            "programmes": progress,
            "zone": _zone(request),
            "is_mentor": mentor_profiles.is_mentor(request.user),
        },
    )


@require_GET
def feed(request, token: str):
    ics = services.feed_ics(token)
    if ics is None:
        raise Http404("No such calendar.")
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def feed_rotate(request):
    services.rotate_feed(request.user)
    messages.success(
        request,
        "Your calendar address is new; the old one stopped working. Subscribe again with the "
        "new one.",
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "mentoring:sessions"  # never off-site
    return redirect(target)


# --- mentors: their desk ----------------------------------------------------------------------


def _own_profile(request) -> MentorProfile:
    try:
        return mentor_profiles.ensure_profile(request.user)
    except PermissionError as error:
        raise PermissionDenied(
            "Only mentors have a mentor desk. Ask your institution to add you as a mentor."
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
            messages.success(request, "Your mentor profile is saved.")
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
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "week":
                week = WeeklyAvailabilityForm(request.POST)
                if week.is_valid():
                    mentor_profiles.set_weekly_availability(profile, week.ranges, by=request.user)
                    messages.success(request, "Your weekly hours are saved.")
                    return redirect("mentoring:availability")
                status = 400
            elif which == "override":
                override = DateOverrideForm(request.POST)
                if override.is_valid():
                    data = override.cleaned_data
                    mentor_profiles.set_date_override(
                        profile, data["date"], data["hours"], by=request.user
                    )
                    what = "a day off" if not data["hours"] else "other hours"
                    messages.success(request, f"{data['date']:%A %-d %B %Y} is now {what}.")
                    return redirect("mentoring:availability")
                status = 400
            elif which == "remove-override":
                day = date.fromisoformat(request.POST.get("date", ""))
                mentor_profiles.remove_date_override(profile, day, by=request.user)
                messages.success(request, f"{day:%A %-d %B %Y} follows your weekly hours again.")
                return redirect("mentoring:availability")
        except services.MentoringError as error:
            status = 400
            if which == "week":
                week.errors.setdefault(-1, []).append(error.message)
            else:
                override.add_error("hours" if error.field == "ranges" else None, error.message)
        except ValueError:
            status = 400
            messages.error(request, "That date could not be read.")
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
            "overrides": sorted(overrides.items()),
            "preview": _slot_days(
                preview, now.astimezone(tz).date(), profile.time_zone, profile.time_zone
            ),  # fmt: skip
            "hours": [f"{h:02d}:00" for h in range(0, 25, 3)],
        },
        status=status,
    )


# --- programmes -------------------------------------------------------------------------------


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
            messages.success(request, f"You joined {programme.name}. Book your first session.")
        return redirect(programme)
    is_member = user.is_authenticated and programme.learners.filter(pk=user.pk).exists()
    manager = programmes.can_manage_programme(user, programme)
    return render(
        request,
        "mentoring/programme_detail.html",
        {
            "programme": programme,
            "mentors": programme.mentors.select_related("user", "institution"),
            "is_member": is_member,
            "progress": programmes.programme_progress(programme, user) if is_member else None,
            "report": programmes.programme_report(programme) if manager else None,
            "zone": _zone(request),
        },
    )
