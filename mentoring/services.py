"""Booking and the session life cycle: free times, booking, moving, cancelling, confirming,
completing, notes and feedback; who sees which session, calendar feeds and the mentor's desk.
Views, tasks, the admin and commands call these.

Mentors' profiles and availability are in ``mentor_profiles``, e-mails and reminders in
``notifications``, programmes and their badges in ``programmes``, the mentor finder in
``matching`` and what the learning app asks of mentoring in ``learning_hooks``.

Every state change is atomic; everything that may run twice (a double submit, a retried task)
changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from . import calendar, notifications, slots
from .models import (
    CalendarFeed,
    DateOverride,
    MentorProfile,
    MentorSession,
    SessionNote,
    WeeklyAvailability,
)

Status = MentorSession.Status


class MentoringError(ValueError):
    """A request that cannot be carried out, with a message a person can read."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class BookingError(MentoringError):
    """A time that cannot be booked; carries the times that are still free."""

    def __init__(self, message: str, *, reason: str = "", free: Sequence[slots.Interval] = ()):
        super().__init__(message, field="start")
        self.reason = reason
        self.free = list(free)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def mentor_acting(session_or_profile, by) -> MentorProfile:
    """The profile (of the session or itself) when ``by`` is its mentor; else PermissionError."""
    profile = getattr(session_or_profile, "mentor", session_or_profile)
    if by is None or profile.user_id != by.pk:
        raise PermissionError("Only the mentor may do this.")
    return profile


# --- slot inputs ------------------------------------------------------------------------------


def rules_for(profile: MentorProfile, *, session_minutes: int | None = None) -> slots.Rules:
    return slots.Rules(
        time_zone=profile.time_zone,
        session_minutes=session_minutes or profile.session_minutes,
        step_minutes=profile.slot_step_minutes,
        buffer_before_minutes=profile.buffer_before_minutes,
        buffer_after_minutes=profile.buffer_after_minutes,
        min_notice_minutes=profile.min_notice_hours * 60,
        window_days=profile.booking_window_days,
        max_per_day=profile.max_sessions_per_day,
        max_per_week=profile.max_sessions_per_week,
    )


@dataclass
class SlotInputs:
    """Everything the slot function needs for one mentor, loaded in a few queries."""

    weekly: list[slots.WeeklyRange] = field(default_factory=list)
    overrides: dict[date, list[tuple[time, time]]] = field(default_factory=dict)
    busy: list[slots.Interval] = field(default_factory=list)
    learners: set[int] = field(default_factory=set)  # with an upcoming session


def load_inputs(
    profiles: Sequence[MentorProfile],
    *,
    now: datetime,
    until: datetime,
    exclude: MentorSession | None = None,
) -> dict[int, SlotInputs]:
    """Slot inputs for several mentors: three queries whatever their number."""
    ids = [p.pk for p in profiles]
    inputs = {pk: SlotInputs() for pk in ids}
    for row in WeeklyAvailability.objects.filter(mentor_id__in=ids):
        inputs[row.mentor_id].weekly.append(
            slots.WeeklyRange(row.weekday, row.start_time, row.end_time)
        )
    first_day = (now - timedelta(days=2)).date()
    last_day = (until + timedelta(days=2)).date()
    for row in DateOverride.objects.filter(mentor_id__in=ids, date__range=(first_day, last_day)):
        day = inputs[row.mentor_id].overrides.setdefault(row.date, [])
        if row.start_time is not None:
            day.append((row.start_time, row.end_time))
    # Sessions from a week back (caps count the whole week) to the end of the window.
    active = MentorSession.objects.filter(
        mentor_id__in=ids, status__in=MentorSession.ACTIVE, ends_at__gt=now - timedelta(days=8)
    )
    if exclude is not None:
        active = active.exclude(pk=exclude.pk)
    for mentor_id, learner_id, starts_at, ends_at in active.values_list(
        "mentor_id", "learner_id", "starts_at", "ends_at"
    ):
        if starts_at < until + timedelta(days=8):
            inputs[mentor_id].busy.append(slots.Interval(starts_at, ends_at))
        if ends_at > now:
            inputs[mentor_id].learners.add(learner_id)
    return inputs


def learner_busy(
    learner, *, now: datetime, until: datetime, exclude: MentorSession | None = None
) -> list[slots.Interval]:
    if learner is None or not learner.is_authenticated:
        return []
    rows = MentorSession.objects.filter(
        learner=learner, status__in=MentorSession.ACTIVE, ends_at__gt=now, starts_at__lt=until
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return [slots.Interval(s, e) for s, e in rows.values_list("starts_at", "ends_at")]


def has_room(profile: MentorProfile, inputs: SlotInputs, learner) -> bool:
    """Capacity: a new learner fits while fewer than ``capacity`` learners have sessions ahead."""
    if learner is not None and learner.pk in inputs.learners:
        return True
    return len(inputs.learners) < profile.capacity


def free_slots_for(
    profile: MentorProfile,
    learner=None,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
    exclude: MentorSession | None = None,
) -> list[slots.Interval]:
    """The times ``learner`` may book with ``profile`` (all free times if no learner)."""
    now = _now(now)
    until = min(end or now + timedelta(days=profile.booking_window_days + 1),
                now + timedelta(days=profile.booking_window_days + 1))  # fmt: skip
    inputs = load_inputs([profile], now=now, until=until, exclude=exclude)[profile.pk]
    if not has_room(profile, inputs, learner):
        return []
    minutes = exclude.minutes if exclude is not None else None
    return slots.free_slots(
        rules_for(profile, session_minutes=minutes),
        inputs.weekly,
        inputs.overrides,
        inputs.busy,
        now=now,
        start=start,
        end=end,
        learner_busy=learner_busy(learner, now=now, until=until, exclude=exclude),
    )


# --- booking ----------------------------------------------------------------------------------


def _reason_message(reason: str, profile: MentorProfile, at: datetime, learner) -> str:
    name = profile.name
    zone = ZoneInfo(getattr(learner, "time_zone", None) or profile.time_zone)
    when = f"{at.astimezone(zone):%a %-d %b %Y, %H:%M} ({zone.key})"
    return {
        slots.PAST: f"{when} has already passed. Pick one of the free times below.",
        slots.NOTICE: f"{name} needs at least {profile.min_notice_hours} hours' notice, so "
        f"{when} is too soon. Pick a later time.",
        slots.WINDOW: f"{name} takes bookings up to {profile.booking_window_days} days ahead; "
        f"{when} is further out.",
        slots.OUTSIDE: f"{name} is not available at {when}. Pick one of the free times below.",
        slots.DAY_CAP: f"{name} already holds as many sessions that day as they take on "
        f"({profile.max_sessions_per_day}). Pick another day.",
        slots.WEEK_CAP: f"{name} already holds as many sessions that week as they take on "
        f"({profile.max_sessions_per_week}). Pick another week.",
        slots.MENTOR_BUSY: f"Sorry — {when} was just taken, {name} is no longer free then. "
        "Here are the times that are still free.",
        slots.LEARNER_BUSY: f"You already have a mentoring session at {when}. "
        "Pick a time that does not overlap it.",
    }[reason]


def _lock(profile: MentorProfile) -> MentorProfile:
    """Serialise bookings of one mentor: write the mentor's row first, then read and check.

    On PostgreSQL the UPDATE holds the row lock until commit; on SQLite it takes the database
    write lock at once, so no other booking reads a stale picture in between.
    """
    MentorProfile.objects.filter(pk=profile.pk).update(booking_version=F("booking_version") + 1)
    return MentorProfile.objects.select_related("user").get(pk=profile.pk)


def _check_time(
    profile: MentorProfile,
    learner,
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
            f"{profile.name} is mentoring as many learners as they can right now "
            f"({profile.capacity}). Ask again later, or choose another mentor.",
            reason="capacity",
        )
    reason = slots.why_not(
        rules, inputs.weekly, inputs.overrides, inputs.busy, now=now, at=at, learner_busy=mine
    )
    if reason:
        raise BookingError(
            _reason_message(reason, profile, at, learner), reason=reason, free=free()
        )


def _key(learner, idempotency_key: str | None) -> str | None:
    return f"{learner.pk}:{idempotency_key.strip()[:100]}" if idempotency_key else None


def book(
    profile: MentorProfile,
    learner,
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
    now = _now(now)
    key = _key(learner, idempotency_key)
    if key and (existing := MentorSession.objects.filter(idempotency_key=key).first()):
        return existing
    if not learner.is_authenticated or not learner.is_active:
        raise PermissionError("Log in to book a session.")
    if profile.user_id == learner.pk:
        raise BookingError("You cannot book a session with yourself.", reason="self")
    if not profile.is_listed or not profile.user.is_active:
        raise BookingError(f"{profile.name} is not taking bookings at the moment.", reason="off")
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
                meeting_url=locked.meeting_url,
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
    return session


def _cutoff_passed(session: MentorSession, by, now: datetime) -> bool:
    """Learners may cancel or move a session until the mentor's cut-off; the mentor until it
    starts (a mentor who cannot come must be able to say so)."""
    if by.pk == session.mentor.user_id:
        return now >= session.starts_at
    cutoff = timedelta(hours=session.mentor.cancellation_cutoff_hours)
    return now >= session.starts_at - cutoff


def can_still_change(session: MentorSession, user, now: datetime | None = None) -> bool:
    """May ``user`` still move or cancel this session (before the cut-off that applies)?"""
    return session.is_active and not _cutoff_passed(session, user, _now(now))


def _participant(session: MentorSession, by) -> None:
    if by is None or by.pk not in (session.learner_id, session.mentor.user_id):
        raise PermissionError("Only the learner and the mentor of a session may change it.")


def _locked_session(session: MentorSession) -> MentorSession:
    return (
        MentorSession.objects.select_for_update()
        .select_related("mentor__user", "learner")
        .get(pk=session.pk)
    )


def reschedule(
    session: MentorSession, new_start: datetime, *, by, now: datetime | None = None
) -> MentorSession:
    """Move the session to a new free time; it stays the same session (same UID)."""
    now = _now(now)
    _participant(session, by)
    try:
        with transaction.atomic():
            profile = _lock(session.mentor)
            current = _locked_session(session)
            if not current.is_active:
                raise MentoringError(
                    f"This session is {current.get_status_display().lower()}; it cannot be moved."
                )
            if _cutoff_passed(current, by, now):
                raise MentoringError(
                    f"Sessions can be moved until {profile.cancellation_cutoff_hours} hours "
                    "before they start. Write to your mentor if something came up.",
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
    session: MentorSession, *, by, reason: str, now: datetime | None = None
) -> MentorSession:
    """Cancel with who and why. Cancelling a cancelled session changes nothing."""
    now = _now(now)
    _participant(session, by)
    current = _locked_session(session)
    if current.status == Status.CANCELLED:
        return current
    if not current.is_active:
        raise MentoringError(
            f"This session is {current.get_status_display().lower()}; it cannot be cancelled."
        )
    if _cutoff_passed(current, by, now):
        raise MentoringError(
            f"Sessions can be cancelled until {current.mentor.cancellation_cutoff_hours} hours "
            "before they start. Write to your mentor if something came up."
        )
    if not (reason or "").strip():
        raise MentoringError("Say briefly why, so the other person knows.", field="reason")
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
def confirm(session: MentorSession, *, by, now: datetime | None = None) -> MentorSession:
    now = _now(now)
    mentor_acting(session, by)
    current = _locked_session(session)
    if current.status == Status.CONFIRMED:
        return current
    if current.status != Status.REQUESTED:
        raise MentoringError("Only a requested session can be confirmed.")
    if current.starts_at <= now:
        raise MentoringError("This request's time has passed; it can no longer be confirmed.")
    current.status, current.confirmed_at = Status.CONFIRMED, now
    current.last_change = "confirmed"
    current.sequence += 1
    current.save()
    _announce(current)
    return current


def _held(current: MentorSession, now: datetime) -> None:
    if current.starts_at > now:
        raise MentoringError("The session has not started yet.")


@transaction.atomic
def mark_completed(session: MentorSession, *, by, now: datetime | None = None) -> MentorSession:
    """The mentor says the session took place. Counts towards courses and programmes."""
    now = _now(now)
    mentor_acting(session, by)
    current = _locked_session(session)
    if current.status == Status.COMPLETED:
        return current
    if not current.is_active:
        raise MentoringError(f"This session is {current.get_status_display().lower()}.")
    _held(current, now)
    current.status, current.completed_at = Status.COMPLETED, now
    current.save()
    from . import tasks

    transaction.on_commit(lambda: tasks.session_completed.delay(current.pk))
    return current


@transaction.atomic
def mark_no_show(
    session: MentorSession, *, by, side: str, now: datetime | None = None
) -> MentorSession:
    """Record who did not come: the mentor reports the learner, the learner the mentor."""
    now = _now(now)
    _participant(session, by)
    current = _locked_session(session)
    expected = (
        MentorSession.Side.LEARNER if by.pk == current.mentor.user_id else MentorSession.Side.MENTOR
    )
    if side != expected:
        raise MentoringError("You can only report that the other person did not come.")
    if current.status == Status.NO_SHOW and current.no_show_side == side:
        return current
    if not current.is_active:
        raise MentoringError(f"This session is {current.get_status_display().lower()}.")
    _held(current, now)
    current.status, current.no_show_side = Status.NO_SHOW, side
    current.save()
    return current


@transaction.atomic
def add_note(session: MentorSession, *, by, body: str, shared: bool) -> SessionNote:
    mentor_acting(session, by)
    if not (body or "").strip():
        raise MentoringError("Write something in the note.", field="body")
    return SessionNote.objects.create(session=session, author=by, body=body.strip(), shared=shared)


@transaction.atomic
def leave_feedback(
    session: MentorSession, *, by, rating: int, feedback: str, now: datetime | None = None
) -> MentorSession:
    """The learner rates a completed session (1–5) and may say more. Saying it again updates."""
    now = _now(now)
    if by is None or by.pk != session.learner_id:
        raise PermissionError("Only the learner of a session may rate it.")
    current = _locked_session(session)
    if current.status != Status.COMPLETED:
        raise MentoringError("You can rate a session once your mentor marked it completed.")
    if rating not in range(1, 6):
        raise MentoringError("Choose a rating from 1 to 5.", field="rating")
    current.rating, current.feedback, current.feedback_at = rating, feedback.strip(), now
    current.save(update_fields=["rating", "feedback", "feedback_at", "updated_at"])
    from . import tasks

    transaction.on_commit(lambda: tasks.evaluate_programmes.delay(current.learner_id))
    return current


def _announce(session: MentorSession) -> None:
    from . import tasks

    pk = session.pk
    transaction.on_commit(lambda: tasks.send_invitation.delay(pk))


# --- who sees what ----------------------------------------------------------------------------


def can_view(user, session: MentorSession) -> bool:
    return user.is_authenticated and (
        user.pk in (session.learner_id, session.mentor.user_id) or user.is_superuser
    )


def notes_for(session: MentorSession, user) -> list[SessionNote]:
    """The mentor reads every note; the learner only shared ones; nobody else any."""
    notes = list(session.notes.all())
    if user.pk == session.mentor.user_id:
        return notes
    if user.pk == session.learner_id:
        return [note for note in notes if note.shared]
    return []


def sessions_of(user) -> QuerySet[MentorSession]:
    return (
        MentorSession.objects.filter(Q(learner=user) | Q(mentor__user=user))
        .select_related("mentor__user", "learner")
        .order_by("starts_at")
    )


# --- calendar feeds ---------------------------------------------------------------------------


@transaction.atomic
def feed_for(user) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": CalendarFeed.new_token()}
    )
    return feed


@transaction.atomic
def rotate_feed(user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = feed_for(user)
    feed.token = CalendarFeed.new_token()
    feed.save(update_fields=["token"])
    return feed


def feed_ics(token: str, *, now: datetime | None = None) -> bytes | None:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    since = _now(now) - timedelta(days=180)
    sessions = sessions_of(feed.user).filter(starts_at__gte=since)
    return calendar.feed(feed.user, sessions)


# --- dashboards -------------------------------------------------------------------------------


def mentor_report(profile: MentorProfile, *, now: datetime | None = None) -> dict:
    now = _now(now)
    sessions = profile.sessions.select_related("learner")
    held = sessions.filter(status=Status.COMPLETED)
    counts = dict(sessions.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "requests": sessions.filter(status=Status.REQUESTED, starts_at__gt=now),
        "upcoming": sessions.filter(status__in=MentorSession.ACTIVE, starts_at__gt=now)[:25],
        "to_close": sessions.filter(status__in=MentorSession.ACTIVE, starts_at__lte=now).order_by(
            "-starts_at"
        )[:10],
        "recent": sessions.filter(status__in=[Status.COMPLETED, Status.NO_SHOW]).order_by(
            "-starts_at"
        )[:10],
        "hours": round(total_minutes(held) / 60, 1),
        "completed": counts.get(Status.COMPLETED, 0),
        "rating": held.aggregate(avg=Avg("rating"))["avg"],
        "ratings": held.filter(rating__isnull=False).count(),
        "no_shows": sessions.filter(status=Status.NO_SHOW, no_show_side="learner").count(),
        "cancelled": counts.get(Status.CANCELLED, 0),
        "learners": sessions.filter(status__in=MentorSession.ACTIVE, ends_at__gt=now)
        .values("learner")
        .distinct()
        .count(),
    }


def total_minutes(sessions: QuerySet[MentorSession]) -> int:
    """The booked minutes of these sessions, added up."""
    total = 0
    for starts_at, ends_at in sessions.values_list("starts_at", "ends_at"):
        total += int((ends_at - starts_at).total_seconds() // 60)
    return total
