"""E-mails and reminders: the calendar invitation both sides receive when a session is booked,
moved, confirmed, declined or cancelled, the reminders a day and an hour before it, and the
learner's one request for feedback after a completed session.

The booking services enqueue these on commit; the Celery tasks call them. Each message goes out
once, even when a task is retried or several workers run at the same time.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lib.i18n import in_language_of

from . import calendar
from .models import MentorSession, SessionReminder

logger = logging.getLogger(__name__)
FEEDBACK_WINDOW = timedelta(days=30)  # older sessions are not asked about any more
REMINDERS = {
    SessionReminder.Kind.DAY: timedelta(hours=24),
    SessionReminder.Kind.HOUR: timedelta(hours=1),
}


def _local(moment: datetime, zone: str) -> str:
    """The moment in ``zone``, with weekday and month names in the active language."""
    tz = ZoneInfo(zone)
    when = date_format(moment.astimezone(tz), "l j F Y, H:i")
    return _("%(when)s (%(zone)s)") % {"when": when, "zone": tz.key}


def send_invitation(session_id: int) -> bool:
    """E-mail both sides the iTIP message for the session's current SEQUENCE, once."""
    session = MentorSession.objects.select_related("mentor__user", "learner").get(pk=session_id)
    claimed = MentorSession.objects.filter(
        pk=session_id, sent_sequence__lt=session.sequence
    ).update(sent_sequence=session.sequence)
    if not claimed:
        return False
    headline = session.last_change or "booked"
    people = [
        (session.learner, session.learner.time_zone, session.mentor.name),
        (session.mentor.user, session.mentor.time_zone, session.learner.get_full_name()),
    ]
    try:
        for person, zone, other in people:
            with in_language_of(person):
                _send_invitation_to(session, person, zone, other, headline)
    except Exception:
        MentorSession.objects.filter(pk=session_id, sent_sequence=session.sequence).update(
            sent_sequence=session.sequence - 1
        )
        raise
    return True


def _send_invitation_to(session: MentorSession, person, zone: str, other: str, headline: str):
    """One side's invitation: call it inside ``in_language_of(person)``."""
    method, ics = calendar.invitation(session)
    context = {
        "session": session,
        "person": person,
        "other": other,
        "when": _local(session.starts_at, zone),
        "minutes": session.minutes,
        "headline": headline,
        "is_mentor": person.pk == session.mentor.user_id,
        "url": f"{settings.SITE_URL}{session.get_absolute_url()}",
        "mentor_url": f"{settings.SITE_URL}{session.mentor.get_absolute_url()}",
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
    }
    subject = render_to_string("mentoring/email/invitation_subject.txt", context)
    body = render_to_string("mentoring/email/invitation.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[person.email])
    message.attach_alternative(ics.decode(), f"text/calendar; method={method}")
    message.attach(
        "invite.ics" if method == calendar.REQUEST else "cancel.ics", ics, "application/ics"
    )
    message.send()


def schedule_reminders(session: MentorSession, *, now: datetime | None = None) -> None:
    """Fresh reminders for the session's current start; the old unsent ones go."""
    now = now or timezone.now()
    session.reminders.filter(handled_at__isnull=True).delete()
    for kind, before in REMINDERS.items():
        due = session.starts_at - before
        if due > now:
            SessionReminder.objects.get_or_create(
                session=session,
                kind=kind,
                for_starts_at=session.starts_at,
                defaults={"due_at": due},
            )


def send_due_reminders(now: datetime | None = None) -> int:
    """Send each due reminder once, if its session is still on at the same time. Returns the
    number sent. Safe to run in several workers at once: each row is claimed before sending."""
    now = now or timezone.now()
    sent = 0
    due = SessionReminder.objects.filter(handled_at__isnull=True, due_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due[:500]):
        if not SessionReminder.objects.filter(pk=pk, handled_at__isnull=True).update(
            handled_at=now, outcome="claimed"
        ):
            continue  # another worker has it
        reminder = SessionReminder.objects.select_related(
            "session__mentor__user", "session__learner"
        ).get(pk=pk)
        session = reminder.session
        if not session.is_active:
            outcome = f"skipped: session {session.status}"
        elif session.starts_at != reminder.for_starts_at:
            outcome = "skipped: session moved"
        elif session.starts_at <= now:
            outcome = "skipped: session started"
        else:
            try:
                _send_reminder(reminder)
            except Exception:
                SessionReminder.objects.filter(pk=pk).update(handled_at=None, outcome="")
                logger.exception("Reminder %s could not be sent; it will be retried", pk)
                continue
            outcome = "sent"
            sent += 1
        SessionReminder.objects.filter(pk=pk).update(outcome=outcome)
    return sent


def _send_reminder(reminder: SessionReminder) -> None:
    session = reminder.session
    people = [
        (session.learner, session.learner.time_zone, session.mentor.name),
        (session.mentor.user, session.mentor.time_zone, session.learner.get_full_name()),
    ]
    for person, zone, other in people:
        with in_language_of(person):
            context = {
                "session": session,
                "person": person,
                "other": other,
                "when": _local(session.starts_at, zone),
                "soon": _("in 1 hour")
                if reminder.kind == SessionReminder.Kind.HOUR
                else _("tomorrow"),
                "url": f"{settings.SITE_URL}{session.get_absolute_url()}",
                "SITE_NAME": settings.WAGTAIL_SITE_NAME,
            }
            subject = render_to_string("mentoring/email/reminder_subject.txt", context)
            body = render_to_string("mentoring/email/reminder.txt", context)
            EmailMultiAlternatives(" ".join(subject.split()), body, to=[person.email]).send()


def sessions_awaiting_feedback_request(now: datetime | None = None, limit: int = 500) -> list[int]:
    """Completed sessions that ended (within the last 30 days), are not rated yet and whose
    learner was not asked yet. Cancelled, declined and no-show sessions are never asked about."""
    now = now or timezone.now()
    pending = MentorSession.objects.filter(
        status=MentorSession.Status.COMPLETED,
        ends_at__lte=now,
        ends_at__gt=now - FEEDBACK_WINDOW,
        rating__isnull=True,
        feedback_requested_at__isnull=True,
    )
    return list(pending.order_by("ends_at").values_list("pk", flat=True)[:limit])


def send_feedback_requests(now: datetime | None = None) -> int:
    """Ask each learner whose session is due for it to rate it, once. Returns how many were
    sent. Safe to run again and in several workers at once: each session is claimed first."""
    now = now or timezone.now()
    return sum(send_feedback_request(pk, now=now) for pk in sessions_awaiting_feedback_request(now))


def send_feedback_request(session_id: int, *, now: datetime | None = None) -> bool:
    """E-mail the learner of a completed, ended, unrated session a link to rate it — once."""
    now = now or timezone.now()
    due = MentorSession.objects.filter(
        pk=session_id,
        status=MentorSession.Status.COMPLETED,
        ends_at__lte=now,
        ends_at__gt=now - FEEDBACK_WINDOW,
        rating__isnull=True,
        feedback_requested_at__isnull=True,
    )
    if not due.update(feedback_requested_at=now):
        return False  # not due, already asked, or another worker has it
    session = MentorSession.objects.select_related("mentor__user", "learner").get(pk=session_id)
    learner = session.learner
    try:
        with in_language_of(learner):
            _send_feedback_request_to(session, learner)
    except Exception:
        MentorSession.objects.filter(pk=session_id, feedback_requested_at=now).update(
            feedback_requested_at=None
        )
        raise
    return True


def _send_feedback_request_to(session: MentorSession, learner) -> None:
    """The learner's request to rate the session: call it inside ``in_language_of(learner)``."""
    context = {
        "session": session,
        "person": learner,
        "other": session.mentor.name,
        "when": _local(session.starts_at, learner.time_zone or session.mentor.time_zone),
        "url": f"{settings.SITE_URL}{session.get_absolute_url()}#rate",
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
    }
    subject = render_to_string("mentoring/email/feedback_request_subject.txt", context)
    body = render_to_string("mentoring/email/feedback_request.txt", context)
    EmailMultiAlternatives(" ".join(subject.split()), body, to=[learner.email]).send()
