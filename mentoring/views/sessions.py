"""A session's pages, for its learner and its mentor: the session, moving it, its invitation;
each person's list of sessions and private calendar feed."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.redirects import safe_next
from mentoring import calendar, mentor_profiles, programmes, services
from mentoring.forms import (
    CancelForm,
    DeclineForm,
    FeedbackForm,
    MeetingLinkForm,
    NoteForm,
    RescheduleForm,
)
from mentoring.models import MentoringProgramme, MentorSession
from mentoring.views.week import slots_context, visitor_zone


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
    zone = visitor_zone(request, session.mentor.time_zone)
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
        "can_decline": is_mentor and session.status == "requested",
        "can_change_link": is_mentor and active and session.ends_at > now,
        "decline_form": forms.get("decline") or DeclineForm(),
        "link_form": forms.get("link")
        or MeetingLinkForm(
            initial={"meeting_url": session.meeting_url},
            room_per_session=services.room_per_session(session.mentor),
        ),
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
            messages.success(request, _("Confirmed. Both of you get an updated invitation."))
        elif action == "decline":
            form = forms["decline"] = DeclineForm(request.POST)
            if not form.is_valid():
                return _session_page(request, session, forms=forms, status=400)
            services.decline(session, by=user, message=form.cleaned_data["message"])
            messages.success(
                request, _("Declined. The learner gets an e-mail, and the time is free again.")
            )
        elif action == "meeting_link":
            form = forms["link"] = MeetingLinkForm(
                request.POST, room_per_session=services.room_per_session(session.mentor)
            )
            if not form.is_valid():
                return _session_page(request, session, forms=forms, status=400)
            if services.set_meeting_link(session, form.cleaned_data["meeting_url"], by=user):
                messages.success(
                    request, _("The meeting link is changed; both of you get an update.")
                )
            else:
                messages.info(
                    request, _("Nothing changed: the session already meets at that link.")
                )
        elif action == "cancel":
            form = forms["cancel"] = CancelForm(request.POST)
            if not form.is_valid():
                return _session_page(request, session, forms=forms, status=400)
            services.cancel(session, by=user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The session is cancelled; both calendars are updated."))
        elif action == "complete":
            services.mark_completed(session, by=user)
            messages.success(request, _("Marked as completed. Add notes for the learner below."))
        elif action == "no_show":
            services.mark_no_show(session, by=user, side=request.POST.get("side", ""))
            messages.success(request, _("Recorded as a no-show."))
        elif action == "note":
            form = forms["note"] = NoteForm(request.POST)
            if not form.is_valid():
                return _session_page(request, session, forms=forms, status=400)
            services.add_note(session, by=user, **form.cleaned_data)
            messages.success(request, _("Note saved."))
        elif action == "feedback":
            form = forms["feedback"] = FeedbackForm(request.POST)
            if not form.is_valid():
                return _session_page(request, session, forms=forms, status=400)
            services.leave_feedback(session, by=user, **form.cleaned_data)
            messages.success(request, _("Thank you — your mentor sees your feedback."))
        else:
            return HttpResponse("Unknown action.", status=400)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except services.MentoringError as error:
        if error.field == "meeting_url" and "link" in forms:
            forms["link"].add_error("meeting_url", error.message)
        else:
            messages.error(request, error.message)
        session.refresh_from_db()
        return _session_page(request, session, forms=forms, status=400)
    return redirect(session)


@login_required
@require_http_methods(["GET", "POST"])
def session_reschedule(request, uid):
    session = _session_or_404(request, uid)
    profile = session.mentor
    zone = visitor_zone(request, profile.time_zone)
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
            messages.success(request, _("Moved. Both of you get an updated invitation."))
            return redirect(session)
    context = {
        "session": session,
        "profile": profile,
        "form": form,
        "booking_error": booking_error,
        **slots_context(request, profile, exclude=session),
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
            "zone": visitor_zone(request),
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
        _(
            "Your calendar address is new; the old one stopped working. Subscribe again with the "
            "new one."
        ),
    )
    return redirect(safe_next(request, "mentoring:sessions"))  # never off-site
