"""iCalendar (RFC 5545) for sessions: invitations (RFC 5546 iTIP) and subscription feeds.

One session is one event for its whole life: the UID never changes, SEQUENCE rises on every
change of time or status, a new or moved session goes out as METHOD:REQUEST and a cancelled one
(or a declined request) as METHOD:CANCEL with STATUS:CANCELLED. Times carry the mentor's TZID,
with its VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import MentorSession

PRODID = "-//Co-Create Academy//Mentoring//EN"
REQUEST = "REQUEST"
CALLED_OFF = (MentorSession.Status.CANCELLED, MentorSession.Status.DECLINED)
CANCEL = "CANCEL"


def uid_for(session: MentorSession) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "cocreate.example"
    return f"mentoring-session-{session.uid}@{host}"


def method_for(session: MentorSession) -> str:
    return CANCEL if session.status in CALLED_OFF else REQUEST


def _status(session: MentorSession) -> str:
    return {
        MentorSession.Status.REQUESTED: "TENTATIVE",
        MentorSession.Status.CANCELLED: "CANCELLED",
        MentorSession.Status.DECLINED: "CANCELLED",
    }.get(session.status, "CONFIRMED")


def _address(user, *, role: str | None = None, partstat: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.get_full_name())
    if role:
        address.params["role"] = vText(role)
        address.params["cutype"] = vText("INDIVIDUAL")
    if partstat:
        address.params["partstat"] = vText(partstat)
    return address


def _summary(session: MentorSession) -> str:
    return _("Mentoring: %(mentor)s and %(learner)s") % {
        "mentor": session.mentor.name,
        "learner": session.learner.get_full_name(),
    }


def _description(session: MentorSession) -> str:
    """The event's text, in the active language (the recipient's: see ``notifications``)."""
    lines = [_("One-to-one mentoring session on %(site)s.") % {"site": settings.WAGTAIL_SITE_NAME}]
    if session.goal:
        lines.append(_("Goal: %(goal)s") % {"goal": session.goal})
    if session.agenda:
        lines.append(_("Agenda: %(agenda)s") % {"agenda": session.agenda})
    if session.meeting_url and session.is_active:
        lines.append(_("Join: %(url)s") % {"url": session.meeting_url})
    lines.append(
        _("Details, reschedule or cancel: %(url)s")
        % {"url": f"{settings.SITE_URL}{session.get_absolute_url()}"}
    )
    if session.status == MentorSession.Status.CANCELLED and session.cancellation_reason:
        lines.append(_("Cancelled: %(reason)s") % {"reason": session.cancellation_reason})
    if session.status == MentorSession.Status.DECLINED:
        lines.append((_("Declined by the mentor.") + " " + session.cancellation_reason).strip())
    return "\n".join(lines)


def session_event(session: MentorSession, *, stamp: datetime | None = None) -> Event:
    zone = ZoneInfo(session.mentor.time_zone)
    event = Event()
    event.add("uid", uid_for(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0))
    event.add("last-modified", session.updated_at.astimezone(UTC).replace(microsecond=0))
    event.add("created", session.created_at.astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", _summary(session))
    event.add("description", _description(session))
    event.add("status", _status(session))
    event.add("transp", "TRANSPARENT" if session.status in CALLED_OFF else "OPAQUE")
    event.add("url", f"{settings.SITE_URL}{session.get_absolute_url()}")
    if session.meeting_url and session.is_active:  # a called-off event keeps no way in
        event.add("location", session.meeting_url)
    event.add("organizer", _address(session.mentor.user))
    mentor_state = "NEEDS-ACTION" if session.status == "requested" else "ACCEPTED"
    if session.status in CALLED_OFF:
        mentor_state = learner_state = "DECLINED"
    else:
        learner_state = "ACCEPTED"
    event.add(
        "attendee",
        _address(session.mentor.user, role="CHAIR", partstat=mentor_state),
    )
    event.add(
        "attendee",
        _address(session.learner, role="REQ-PARTICIPANT", partstat=learner_state),
    )
    return event


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    return calendar


def _with_timezones(calendar: Calendar, moments: Iterable[datetime]) -> bytes:
    moments = list(moments)
    if moments:
        first = min(moments).date() - timedelta(days=370)
        last = max(moments).date() + timedelta(days=370)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def invitation(session: MentorSession, *, stamp: datetime | None = None) -> tuple[str, bytes]:
    """(METHOD, the iTIP message) for the session's current state."""
    method = method_for(session)
    calendar = _calendar(method)
    calendar.add_component(session_event(session, stamp=stamp))
    return method, _with_timezones(calendar, [session.starts_at])


def feed(user, sessions: Iterable[MentorSession], *, stamp: datetime | None = None) -> bytes:
    """A subscription calendar (no METHOD, as for a published calendar) of a person's sessions."""
    calendar = _calendar(None, name=_("Mentoring · %(name)s") % {"name": user.get_full_name()})
    moments = []
    for session in sessions:
        calendar.add_component(session_event(session, stamp=stamp))
        moments.append(session.starts_at)
    return _with_timezones(calendar, moments)
