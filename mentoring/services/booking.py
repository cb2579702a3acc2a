"""Booking a session and changing it: book, move, cancel, confirm, decline.

Each change sends ``signals.session_changed`` after its transaction commits;
``receivers.send_invitation`` then e-mails both sides the session's new iCalendar message.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring import notifications, signals, slots
from mentoring.models import MentorProfile, MentorSession
from mentoring.services.base import (
    AnyUser,
    BookingError,
    MentoringError,
    Status,
    locked_session,
    mentor_acting,
    require_participant,
    resolve_now,
)
from mentoring.services.free_times import (
    free_slots_for,
    has_room,
    learner_busy,
    load_inputs,
    rules_for,
)
from mentoring.services.meetings import new_meeting_link

UNSAVED = "unsaved"  # BookingError.reason when the database refused the write


def _reason_message(reason: str, profile: MentorProfile, at: datetime, learner: AnyUser) -> str:
    name = profile.name
    zone = ZoneInfo(getattr(learner, "time_zone", None) or profile.time_zone)
    when = _("%(when)s (%(zone)s)") % {
        "when": date_format(at.astimezone(zone), "D j M Y, H:i"),
        "zone": zone.key,
    }
    values = {
        "when": when,
        "name": name,
        "hours": profile.min_notice_hours,
        "days": profile.booking_window_days,
        "per_day": profile.max_sessions_per_day,
        "per_week": profile.max_sessions_per_week,
    }
    messages = {
        slots.PAST: _("%(when)s has already passed. Pick one of the free times below."),
        slots.NOTICE: _(
            "%(name)s needs at least %(hours)s hours' notice, so %(when)s is too soon. "
            "Pick a later time."
        ),
        slots.WINDOW: _(
            "%(name)s takes bookings up to %(days)s days ahead; %(when)s is further out."
        ),
        slots.OUTSIDE: _(
            "%(name)s is not available at %(when)s. Pick one of the free times below."
        ),
        slots.DAY_CAP: _(
            "%(name)s already holds as many sessions that day as they take on "
            "(%(per_day)s). Pick another day."
        ),
        slots.WEEK_CAP: _(
            "%(name)s already holds as many sessions that week as they take on "
            "(%(per_week)s). Pick another week."
        ),
        slots.MENTOR_BUSY: _(
            "Sorry — %(when)s was just taken, %(name)s is no longer free then. "
            "Here are the times that are still free."
        ),
        slots.LEARNER_BUSY: _(
            "You already have a mentoring session at %(when)s. "
            "Pick a time that does not overlap it."
        ),
    }
    return messages[reason] % values


def _lock(profile: MentorProfile) -> MentorProfile:
    """Serialise bookings of one mentor: write the mentor's row first, then read and check.

    On PostgreSQL the UPDATE holds the row lock until commit; on SQLite it takes the database
    write lock at once, so no other booking reads a stale picture in between.
    """
    MentorProfile.objects.filter(pk=profile.pk).update(booking_version=F("booking_version") + 1)
    return MentorProfile.objects.select_related("user").get(pk=profile.pk)


def _check_time(
    profile: MentorProfile,
    learner: AnyUser,
    at: datetime,
    *,
    now: datetime,
    exclude: MentorSession | None = None,
) -> None:
    until = now + timedelta(days=profile.booking_window_days + 2)
    inputs = load_inputs([profile], now=now, until=until, exclude=exclude)[profile.pk]
    mine = learner_busy(learner, now=now, until=until, exclude=exclude)
    rules = rules_for(profile, session_minutes=exclude.minutes if exclude else None)

    def free() -> list[slots.Interval]:  # asked only once there is room (see below)
        return slots.free_slots(
            rules,
            inputs.weekly,
            inputs.overrides,
            inputs.busy,
            now=now,
            learner_busy=mine,
            end=now + timedelta(days=14),
        )

    if not has_room(profile, inputs, learner):
        raise BookingError(
            _(
                "%(name)s is mentoring as many learners as they can right now "
                "(%(capacity)s). Ask again later, or choose another mentor."
            )
            % {"name": profile.name, "capacity": profile.capacity},
            reason="capacity",
        )
    reason = slots.why_not(
        rules, inputs.weekly, inputs.overrides, inputs.busy, now=now, at=at, learner_busy=mine
    )
    if reason:
        raise BookingError(
            _reason_message(reason, profile, at, learner), reason=reason, free=free()
        )


def _key(learner: AnyUser, idempotency_key: str | None) -> str | None:
    return f"{learner.pk}:{idempotency_key.strip()[:100]}" if idempotency_key else None


def book(
    profile: MentorProfile,
    learner: AnyUser,
    starts_at: datetime,
    *,
    agenda: str = "",
    goal: str = "",
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> MentorSession:
    """Book a session if the time is free; the same idempotency key books once.

    Raises BookingError (with the current free times) when the time is not bookable.
    """
    now = resolve_now(now)
    key = _key(learner, idempotency_key)
    if key and (existing := MentorSession.objects.filter(idempotency_key=key).first()):
        return existing
    if not learner.is_authenticated or not learner.is_active:
        raise PermissionError(_("Log in to book a session."))
    if profile.user_id == learner.pk:
        raise BookingError(_("You cannot book a session with yourself."), reason="self")
    if not profile.is_listed or not profile.user.is_active:
        raise BookingError(
            _("%(name)s is not taking bookings at the moment.") % {"name": profile.name},
            reason="off",
        )
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be an aware datetime")
    try:
        with transaction.atomic():
            locked = _lock(profile)
            _check_time(locked, learner, starts_at, now=now)
            confirmed = not locked.requires_confirmation
            session = MentorSession.objects.create(
                mentor=locked,
                learner=learner,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=locked.session_minutes),
                status=Status.CONFIRMED if confirmed else Status.REQUESTED,
                confirmed_at=now if confirmed else None,
                agenda=agenda.strip(),
                goal=goal.strip(),
                meeting_url=new_meeting_link(locked),
                idempotency_key=key,
                last_change="booked" if confirmed else "requested",
            )
            notifications.schedule_reminders(session, now=now)
            _announce(session)
    except IntegrityError as error:
        # Same key submitted twice at once, or the database's exclusion constraint caught a
        # concurrent overlap the check could not see.
        if key and (existing := MentorSession.objects.filter(idempotency_key=key).first()):
            return existing
        raise BookingError(
            _reason_message(slots.MENTOR_BUSY, profile, starts_at, learner),
            reason=slots.MENTOR_BUSY,
            free=free_slots_for(profile, learner, now=now, end=now + timedelta(days=14)),
        ) from error
    except DatabaseError as error:
        # The database refused a write partway (a lost connection, a timeout, a full disk): the
        # transaction rolled back as a whole, so nothing is half-stored and nobody is e-mailed.
        raise _not_saved() from error
    return session


def _not_saved() -> BookingError:
    return BookingError(
        _(
            "We could not save your booking just now, so nothing was booked. Please try again "
            "in a moment."
        ),
        reason=UNSAVED,
    )


def _cutoff_passed(session: MentorSession, by: AnyUser, now: datetime) -> bool:
    """Learners may cancel or move a session until the mentor's cut-off; the mentor until it
    starts (a mentor who cannot come must be able to say so)."""
    if by.pk == session.mentor.user_id:
        return now >= session.starts_at
    cutoff = timedelta(hours=session.mentor.cancellation_cutoff_hours)
    return now >= session.starts_at - cutoff


def can_still_change(session: MentorSession, user: AnyUser, now: datetime | None = None) -> bool:
    """May ``user`` still move or cancel this session (before the cut-off that applies)?"""
    return session.is_active and not _cutoff_passed(session, user, resolve_now(now))


def reschedule(
    session: MentorSession, new_start: datetime, *, by: AnyUser, now: datetime | None = None
) -> MentorSession:
    """Move the session to a new free time; it stays the same session (same UID)."""
    now = resolve_now(now)
    require_participant(session, by)
    try:
        with transaction.atomic():
            profile = _lock(session.mentor)
            current = locked_session(session)
            if not current.is_active:
                raise MentoringError(
                    _("This session is %(status)s; it cannot be moved.")
                    % {"status": current.get_status_display().lower()}
                )
            if _cutoff_passed(current, by, now):
                raise MentoringError(
                    _(
                        "Sessions can be moved until %(hours)s hours before they start. "
                        "Write to your mentor if something came up."
                    )
                    % {"hours": profile.cancellation_cutoff_hours},
                )
            if new_start == current.starts_at:
                return current
            _check_time(profile, current.learner, new_start, now=now, exclude=current)
            length = current.ends_at - current.starts_at
            current.starts_at, current.ends_at = new_start, new_start + length
            current.sequence += 1
            current.rescheduled_count += 1
            current.last_change = "moved"
            if by.pk == current.learner_id and profile.requires_confirmation:
                current.status, current.confirmed_at = Status.REQUESTED, None
            current.save()
            notifications.schedule_reminders(current, now=now)
            _announce(current)
    except IntegrityError as error:
        raise BookingError(
            _reason_message(slots.MENTOR_BUSY, session.mentor, new_start, session.learner),
            reason=slots.MENTOR_BUSY,
            free=free_slots_for(session.mentor, session.learner, now=now, exclude=session),
        ) from error
    return current


@transaction.atomic
def cancel(
    session: MentorSession, *, by: AnyUser, reason: str, now: datetime | None = None
) -> MentorSession:
    """Cancel with who and why. Cancelling a cancelled session changes nothing."""
    now = resolve_now(now)
    require_participant(session, by)
    current = locked_session(session)
    if current.status == Status.CANCELLED:
        return current
    if not current.is_active:
        raise MentoringError(
            _("This session is %(status)s; it cannot be cancelled.")
            % {"status": current.get_status_display().lower()}
        )
    if _cutoff_passed(current, by, now):
        raise MentoringError(
            _(
                "Sessions can be cancelled until %(hours)s hours before they start. "
                "Write to your mentor if something came up."
            )
            % {"hours": current.mentor.cancellation_cutoff_hours}
        )
    if not (reason or "").strip():
        raise MentoringError(_("Say briefly why, so the other person knows."), field="reason")
    current.status = Status.CANCELLED
    current.cancelled_at = now
    current.cancelled_by = by
    current.cancellation_reason = reason.strip()
    current.last_change = "cancelled"
    current.sequence += 1
    current.save()
    current.reminders.filter(handled_at__isnull=True).delete()
    _announce(current)
    return current


@transaction.atomic
def confirm(session: MentorSession, *, by: AnyUser, now: datetime | None = None) -> MentorSession:
    now = resolve_now(now)
    mentor_acting(session, by)
    current = locked_session(session)
    if current.status == Status.CONFIRMED:
        return current
    if current.status != Status.REQUESTED:
        raise MentoringError(_("Only a requested session can be confirmed."))
    if current.starts_at <= now:
        raise MentoringError(_("This request's time has passed; it can no longer be confirmed."))
    current.status, current.confirmed_at = Status.CONFIRMED, now
    current.last_change = "confirmed"
    current.sequence += 1
    current.save()
    _announce(current)
    return current


@transaction.atomic
def decline(
    session: MentorSession, *, by: AnyUser, message: str = "", now: datetime | None = None
) -> MentorSession:
    """The mentor says no to a request, with an optional message to the learner; the time is
    free again. Declining twice, or a request the learner has just withdrawn, changes nothing."""
    now = resolve_now(now)
    mentor_acting(session, by)
    current = locked_session(session)
    if current.status in (Status.DECLINED, Status.CANCELLED):
        return current
    if current.status != Status.REQUESTED:
        raise MentoringError(
            (
                _(
                    "This session is %(status)s, not a request: only requests can be declined. "
                    "Cancel it instead, with a reason."
                )
                if current.is_active
                else _("This session is %(status)s, not a request: only requests can be declined.")
            )
            % {"status": current.get_status_display().lower()}
        )
    current.status = Status.DECLINED
    current.cancelled_at = now
    current.cancelled_by = by
    current.cancellation_reason = (message or "").strip()[:2000]
    current.last_change = "declined"
    current.sequence += 1
    current.save()
    current.reminders.filter(handled_at__isnull=True).delete()
    _announce(current)
    return current


def sessions_awaiting_invitation(now: datetime | None = None, limit: int = 500) -> list[int]:
    """Upcoming sessions whose latest change was not e-mailed yet (the task queue was down when
    it was made); a beat sweep queues their invitations. Sending claims the change, so a session
    queued here and by its own commit is e-mailed once."""
    now = resolve_now(now)
    pending = MentorSession.objects.filter(sent_sequence__lt=F("sequence"), ends_at__gt=now)
    return list(pending.order_by("pk").values_list("pk", flat=True)[:limit])


def _announce(session: MentorSession) -> None:
    """After commit, ``session_changed``: ``receivers.send_invitation`` e-mails both sides."""
    pk = session.pk
    transaction.on_commit(lambda: signals.session_changed.send(sender=MentorSession, session_pk=pk))
