"""Mentoring business rules: profiles, availability, booking, the session life cycle, e-mails,
reminders, feeds, programmes and matching. Views, tasks, the admin and commands call these.

Every state change is atomic; everything that may run twice (a double submit, a retried task)
changes nothing the second time.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from cms import roles
from credentials import services as credentials
from credentials.models import Award, BadgeClass

from . import calendar, matching, slots
from .models import (
    CalendarFeed,
    DateOverride,
    LearnerGoals,
    MentoringProgramme,
    MentorProfile,
    MentorSession,
    SessionNote,
    SessionReminder,
    WeeklyAvailability,
)

logger = logging.getLogger(__name__)
Status = MentorSession.Status
REMINDERS = {
    SessionReminder.Kind.DAY: timedelta(hours=24),
    SessionReminder.Kind.HOUR: timedelta(hours=1),
}


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


# --- profiles ---------------------------------------------------------------------------------


def is_mentor(user) -> bool:
    return user.is_authenticated and (
        roles.has_role(user, roles.MENTORS) or MentorProfile.objects.filter(user=user).exists()
    )


@transaction.atomic
def ensure_profile(user) -> MentorProfile:
    """The mentor's profile, created with sensible defaults the first time. Idempotent."""
    if not is_mentor(user):
        raise PermissionError(f"{user} is not a mentor.")
    institution = credentials.issuers_for(user).first() if not user.is_superuser else None
    profile, _ = MentorProfile.objects.get_or_create(
        user=user,
        defaults={
            "time_zone": user.time_zone or "UTC",
            "organisation": institution.name if institution else "",
            "institution": institution,
            "sector": (
                MentorProfile.Sector.ACADEMIA
                if institution is not None and institution.kind == "university"
                else MentorProfile.Sector.INDUSTRY
            ),
            "languages": f",{user.language or 'en'},",
        },
    )
    return profile


def _mentor_acting(session_or_profile, by) -> MentorProfile:
    profile = getattr(session_or_profile, "mentor", session_or_profile)
    if by is None or profile.user_id != by.pk:
        raise PermissionError("Only the mentor may do this.")
    return profile


PROFILE_FIELDS = {
    "headline", "organisation", "sector", "institution", "bio", "photo", "competences",
    "languages", "time_zone", "session_minutes", "slot_step_minutes", "buffer_before_minutes",
    "buffer_after_minutes", "min_notice_hours", "booking_window_days", "max_sessions_per_day",
    "max_sessions_per_week", "capacity", "cancellation_cutoff_hours", "meeting_url",
    "requires_confirmation", "is_listed",
}  # fmt: skip


@transaction.atomic
def update_profile(profile: MentorProfile, changes: dict, *, by) -> MentorProfile:
    """Apply profile changes made by the mentor. Weekly hours keep their wall-clock times when
    the time zone changes; booked sessions keep their real times."""
    _mentor_acting(profile, by)
    changes = dict(changes)
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise MentoringError(f"Cannot change {', '.join(sorted(unknown))} here.")
    competences = changes.pop("competences", None)
    languages = changes.pop("languages", None)
    photo = changes.pop("photo", None)
    for name, value in changes.items():
        setattr(profile, name, value)
    if languages is not None:
        if not languages:
            raise MentoringError("Choose at least one language.", field="languages")
        profile.language_codes = languages
    if photo is False:
        profile.photo = None
    elif photo:
        profile.photo = photo
    profile.full_clean()
    profile.booking_version += 1
    profile.save()
    if competences is not None:
        profile.competences.set(competences)
    return profile


# --- availability -----------------------------------------------------------------------------


def _check_ranges(ranges: Sequence[tuple[time, time]], where: str) -> list[tuple[time, time]]:
    cleaned = []
    for start, end in ranges:
        if end != slots.MIDNIGHT and end <= start:
            raise MentoringError(
                f"{where}: the range {start:%H:%M}–{end:%H:%M} ends before it starts. "
                "Use 00:00 as the end for midnight.",
                field="ranges",
            )
        cleaned.append((start, end))
    cleaned.sort()

    def end_of(item):
        return time.max if item[1] == slots.MIDNIGHT else item[1]

    for a, b in zip(cleaned, cleaned[1:], strict=False):
        if b[0] < end_of(a):
            raise MentoringError(
                f"{where}: {a[0]:%H:%M}–{a[1]:%H:%M} and {b[0]:%H:%M}–{b[1]:%H:%M} overlap. "
                "Merge them into one range.",
                field="ranges",
            )
    return cleaned


@transaction.atomic
def set_weekly_availability(
    profile: MentorProfile, ranges: Iterable[tuple[int, time, time]], *, by
) -> list[WeeklyAvailability]:
    """Replace the mentor's weekly ranges (wall-clock times in their zone)."""
    _mentor_acting(profile, by)
    by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, start, end in ranges:
        if weekday not in range(7):
            raise MentoringError(f"{weekday} is not a weekday (0 = Monday … 6 = Sunday).")
        by_day[weekday].append((start, end))
    rows = []
    for weekday, items in sorted(by_day.items()):
        label = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        for start, end in _check_ranges(items, label[weekday]):
            rows.append(
                WeeklyAvailability(mentor=profile, weekday=weekday, start_time=start, end_time=end)
            )
    MentorProfile.objects.filter(pk=profile.pk).update(booking_version=F("booking_version") + 1)
    profile.weekly.all().delete()
    return WeeklyAvailability.objects.bulk_create(rows)


def mentor_today(profile: MentorProfile, now: datetime | None = None) -> date:
    return _now(now).astimezone(ZoneInfo(profile.time_zone)).date()


@transaction.atomic
def set_date_override(
    profile: MentorProfile,
    day: date,
    ranges: Sequence[tuple[time, time]],
    *,
    by,
    now: datetime | None = None,
) -> list[DateOverride]:
    """Replace what the mentor offers on ``day``: no ranges is a day off, else these hours.

    A range boundary that does not exist on that date (clocks going forward) is refused.
    """
    _mentor_acting(profile, by)
    if day < mentor_today(profile, now):
        raise MentoringError(f"{day:%-d %B %Y} has passed; change today or later.", field="date")
    where = f"{day:%A %-d %B %Y}"
    cleaned = _check_ranges(ranges, where)
    for start, end in cleaned:
        for moment in (start, end):
            if moment == slots.MIDNIGHT and moment is end:
                continue
            try:
                slots.localize(day, moment, profile.time_zone)
            except slots.NonexistentTimeError as error:
                raise MentoringError(str(error), field="ranges") from error
    MentorProfile.objects.filter(pk=profile.pk).update(booking_version=F("booking_version") + 1)
    profile.overrides.filter(date=day).delete()
    if not cleaned:
        return [DateOverride.objects.create(mentor=profile, date=day)]
    return DateOverride.objects.bulk_create(
        DateOverride(mentor=profile, date=day, start_time=s, end_time=e) for s, e in cleaned
    )


@transaction.atomic
def remove_date_override(profile: MentorProfile, day: date, *, by) -> int:
    _mentor_acting(profile, by)
    return profile.overrides.filter(date=day).delete()[0]


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

    def free() -> list[slots.Interval]:
        if not has_room(profile, inputs, learner):
            return []
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
            schedule_reminders(session, now=now)
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
            schedule_reminders(current, now=now)
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
    _mentor_acting(session, by)
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
    _mentor_acting(session, by)
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
    _mentor_acting(session, by)
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


# --- e-mails and reminders --------------------------------------------------------------------


def _announce(session: MentorSession) -> None:
    from . import tasks

    pk = session.pk
    transaction.on_commit(lambda: tasks.send_invitation.delay(pk))


def _local(moment: datetime, zone: str) -> str:
    tz = ZoneInfo(zone)
    return f"{moment.astimezone(tz):%A %-d %B %Y, %H:%M} ({tz.key})"


def send_invitation(session_id: int) -> bool:
    """E-mail both sides the iTIP message for the session's current SEQUENCE, once."""
    session = MentorSession.objects.select_related("mentor__user", "learner").get(pk=session_id)
    claimed = MentorSession.objects.filter(
        pk=session_id, sent_sequence__lt=session.sequence
    ).update(sent_sequence=session.sequence)
    if not claimed:
        return False
    method, ics = calendar.invitation(session)
    headline = session.last_change or "booked"
    people = [
        (session.learner, session.learner.time_zone, session.mentor.name),
        (session.mentor.user, session.mentor.time_zone, session.learner.get_full_name()),
    ]
    try:
        for person, zone, other in people:
            context = {
                "session": session,
                "person": person,
                "other": other,
                "when": _local(session.starts_at, zone),
                "minutes": session.minutes,
                "headline": headline,
                "is_mentor": person.pk == session.mentor.user_id,
                "url": f"{settings.SITE_URL}{session.get_absolute_url()}",
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
    except Exception:
        MentorSession.objects.filter(pk=session_id, sent_sequence=session.sequence).update(
            sent_sequence=session.sequence - 1
        )
        raise
    return True


def schedule_reminders(session: MentorSession, *, now: datetime | None = None) -> None:
    """Fresh reminders for the session's current start; the old unsent ones go."""
    now = _now(now)
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
    now = _now(now)
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
        context = {
            "session": session,
            "person": person,
            "other": other,
            "when": _local(session.starts_at, zone),
            "soon": "in 1 hour" if reminder.kind == SessionReminder.Kind.HOUR else "tomorrow",
            "url": f"{settings.SITE_URL}{session.get_absolute_url()}",
            "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string("mentoring/email/reminder_subject.txt", context)
        body = render_to_string("mentoring/email/reminder.txt", context)
        EmailMultiAlternatives(" ".join(subject.split()), body, to=[person.email]).send()


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


# --- programmes -------------------------------------------------------------------------------


@dataclass
class Progress:
    programme: MentoringProgramme
    learner: object
    counted: list[MentorSession]
    weeks: float
    award: Award | None

    @property
    def sessions_done(self) -> int:
        return len(self.counted)

    @property
    def sessions_needed(self) -> int:
        return max(self.programme.required_sessions - len(self.counted), 0)

    @property
    def weeks_needed(self) -> float:
        return max(self.programme.minimum_weeks - self.weeks, 0)

    @property
    def met(self) -> bool:
        return self.sessions_needed == 0 and self.weeks_needed == 0

    @property
    def percent(self) -> int:
        return min(100, round(100 * len(self.counted) / self.programme.required_sessions))


def programme_progress(programme: MentoringProgramme, learner, *, award_map=None) -> Progress:
    counted = list(
        MentorSession.objects.filter(
            learner=learner,
            mentor__in=programme.mentors.all(),
            status=Status.COMPLETED,
            feedback_at__isnull=False,
        )
        .select_related("mentor__user")
        .order_by("starts_at")
    )
    weeks = (counted[-1].starts_at - counted[0].starts_at).days / 7 if len(counted) > 1 else 0.0
    if award_map is not None:
        award = award_map.get(learner.pk)
    else:
        award = (
            Award.objects.filter(badge_class=programme.badge_class, recipient=learner)
            .order_by("issued_on")
            .first()
        )
    return Progress(programme, learner, counted, weeks, award)


def evaluate_programme(programme: MentoringProgramme, learner) -> Award | None:
    """Award the programme's badge if the learner meets its rule. Idempotent."""
    if not programme.learners.filter(pk=learner.pk).exists():
        return None
    progress = programme_progress(programme, learner)
    if progress.award is not None or not progress.met:
        return progress.award
    badge = BadgeClass.objects.get(pk=programme.badge_class_id)
    if badge.status != BadgeClass.Status.PUBLISHED:
        logger.warning("%s met %s but its badge is not published", learner, programme)
        return None
    evidence = [
        credentials.Evidence(
            name=f"Mentoring session with {s.mentor.name}",
            narrative=(
                f"{s.minutes}-minute one-to-one session on {s.starts_at:%-d %B %Y} with "
                f"{s.mentor.name} ({s.mentor.organisation}, {s.mentor.get_sector_display()}); "
                f"the learner rated it {s.rating}/5."
            ),
        )
        for s in progress.counted
    ]
    evidence.append(
        credentials.Evidence(
            name=programme.name,
            narrative=f"Met the rule of the programme: {programme.rule_text}.",
            url=f"{settings.SITE_URL}{programme.get_absolute_url()}",
        )
    )
    return credentials.award(
        badge,
        learner,
        evidence,
        idempotency_key=f"mentoring-programme:{programme.pk}:{learner.pk}",
    )


def evaluate_programmes(learner) -> list[Award]:
    awards = []
    for programme in MentoringProgramme.objects.filter(learners=learner).select_related(
        "badge_class"
    ):
        try:
            given = evaluate_programme(programme, learner)
        except credentials.AwardError:
            logger.exception("Could not award the badge of %s to %s", programme, learner)
            continue
        if given is not None:
            awards.append(given)
    return awards


def session_completed(session_id: int) -> None:
    """After a session is marked completed: course completions and programme badges."""
    session = MentorSession.objects.select_related("learner").get(pk=session_id)
    try:
        from learning import services as learning_services
    except ImportError:
        learning_services = None
    update = getattr(learning_services, "update_completions_for", None)
    if update is not None:
        update(session.learner)
    evaluate_programmes(session.learner)


@transaction.atomic
def join_programme(programme: MentoringProgramme, learner) -> None:
    if not learner.is_authenticated:
        raise PermissionError("Log in to join a programme.")
    if not programme.open_enrolment and not programme.learners.filter(pk=learner.pk).exists():
        raise MentoringError("This programme takes learners by invitation only.")
    programme.learners.add(learner)


def can_manage_programme(user, programme: MentoringProgramme) -> bool:
    return user.is_authenticated and (
        user.is_superuser or credentials.can_act_for(user, programme.badge_class.issuer)
    )


def programme_report(programme: MentoringProgramme) -> dict:
    """The programme dashboard: learners' progress and the sessions given."""
    learners = list(programme.learners.all())
    awards = {
        a.recipient_id: a
        for a in Award.objects.filter(badge_class=programme.badge_class, recipient__in=learners)
    }
    sessions = MentorSession.objects.filter(
        mentor__in=programme.mentors.all(), learner__in=learners
    )
    held = sessions.filter(status=Status.COMPLETED)
    return {
        "progress": [
            programme_progress(programme, learner, award_map=awards) for learner in learners
        ],
        "mentors": programme.mentors.select_related("user", "institution"),
        "upcoming": sessions.filter(status__in=MentorSession.ACTIVE, starts_at__gte=timezone.now())
        .select_related("mentor__user", "learner")
        .order_by("starts_at")[:20],
        "completed": held.count(),
        "hours": round(_minutes(held) / 60, 1),
        "rating": held.aggregate(avg=Avg("rating"))["avg"],
        "no_shows": sessions.filter(status=Status.NO_SHOW).count(),
        "awarded": len(awards),
    }


def _minutes(sessions: QuerySet[MentorSession]) -> int:
    total = 0
    for starts_at, ends_at in sessions.values_list("starts_at", "ends_at"):
        total += int((ends_at - starts_at).total_seconds() // 60)
    return total


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
        "hours": round(_minutes(held) / 60, 1),
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


# --- learners: goals and suggestions ----------------------------------------------------------


@transaction.atomic
def save_goals(user, *, competences: Iterable, goals: str) -> LearnerGoals:
    record, _ = LearnerGoals.objects.get_or_create(user=user)
    record.goals = goals.strip()
    record.save()
    record.competences.set(competences)
    return record


@dataclass
class Suggestion:
    profile: MentorProfile
    score: float
    reasons: list[str]
    free: list[slots.Interval]
    room: bool

    @property
    def next_slot(self) -> slots.Interval | None:
        return self.free[0] if self.free else None


def suggest(
    learner,
    profiles: Sequence[MentorProfile],
    *,
    now: datetime | None = None,
    horizon_days: int = 14,
) -> list[Suggestion]:
    """Every mentor scored for this learner, each score explained; best first.

    Points: 3 for each competence shared with the learner's courses, 2 for each shared with the
    learner's stated goals, 1.5 for a common language, 1 for a shared programme, up to 2 for
    free time in the next two weeks; a mentor with no free time or no room scores nothing.
    """
    now = _now(now)
    until = now + timedelta(days=horizon_days)
    inputs = load_inputs(profiles, now=now, until=until)
    mine = learner_busy(learner, now=now, until=until)
    from_courses = matching.course_competences(learner) if learner.is_authenticated else {}
    goals = (
        LearnerGoals.objects.filter(user=learner).prefetch_related("competences").first()
        if learner.is_authenticated
        else None
    )
    goal_ids = {c.pk for c in goals.competences.all()} if goals else set()
    programme_mentors = (
        set(
            MentoringProgramme.mentors.through.objects.filter(
                mentoringprogramme__learners=learner
            ).values_list("mentorprofile_id", flat=True)
        )
        if learner.is_authenticated
        else set()
    )
    language = getattr(learner, "language", "") or ""
    language_name = dict(settings.LANGUAGES).get(language, language)
    suggestions = []
    for profile in profiles:
        data = inputs[profile.pk]
        reasons: list[str] = []
        score = 0.0
        competences = list(profile.competences.all())
        shared_course = [c for c in competences if c.pk in from_courses]
        if shared_course:
            courses = sorted({t for c in shared_course for t in from_courses[c.pk]})
            score += 3 * len(shared_course)
            reasons.append(
                f"Coaches {', '.join(c.name for c in shared_course)} — taught in your course"
                f"{'s' if len(courses) > 1 else ''} {', '.join(courses)}"
            )
        shared_goals = [c for c in competences if c.pk in goal_ids and c not in shared_course]
        if shared_goals:
            score += 2 * len(shared_goals)
            reasons.append(f"Matches your goals: {', '.join(c.name for c in shared_goals)}")
        if language and language in profile.language_codes:
            score += 1.5
            reasons.append(f"Speaks {language_name}")
        if profile.pk in programme_mentors:
            score += 1
            reasons.append("Mentors in a programme you are in")
        room = has_room(profile, data, learner if learner.is_authenticated else None)
        free = (
            slots.free_slots(
                rules_for(profile),
                data.weekly,
                data.overrides,
                data.busy,
                now=now,
                end=until,
                learner_busy=mine,
            )  # fmt: skip
            if room
            else []
        )
        if not room:
            score = 0.0
            reasons.append(f"Has no room for new learners right now ({profile.capacity} at once)")
        elif not free:
            score = 0.0
            reasons.append(f"No free time in the next {horizon_days} days")
        else:
            score += min(len(free), 20) / 10
            reasons.append(f"{len(free)} free time{'s' if len(free) != 1 else ''} in the next "
                           f"{horizon_days} days")  # fmt: skip
            spare = profile.capacity - len(data.learners)
            if learner.pk not in data.learners and spare > 0:
                reasons.append(f"Room for {spare} more learner{'s' if spare != 1 else ''}")
        suggestions.append(Suggestion(profile, round(score, 1), reasons, free, room))
    suggestions.sort(
        key=lambda s: (-s.score, s.next_slot.start if s.next_slot else now, s.profile.name)
    )
    return suggestions


# --- the learning app's hooks ----------------------------------------------------------------


def count_sessions_for_course(user, course_page) -> int:
    """Completed sessions relevant to a course: with a mentor sharing one of its competences
    (any completed session when the course names no competence)."""
    completed = MentorSession.objects.filter(learner=user, status=Status.COMPLETED)
    wanted = matching.course_competence_ids(course_page)
    if wanted:
        completed = completed.filter(mentor__competences__in=wanted).distinct()
    return completed.count()


def upcoming_for_dashboard(user) -> list[dict]:
    """The learner's next sessions, for the learning dashboard."""
    rows = (
        MentorSession.objects.filter(
            learner=user, status__in=MentorSession.ACTIVE, ends_at__gt=timezone.now()
        )
        .select_related("mentor__user")
        .order_by("starts_at")[:10]
    )
    return [
        {
            "title": f"Mentoring with {s.mentor.name}"
            + (" (awaiting confirmation)" if s.status == Status.REQUESTED else ""),
            "starts_at": s.starts_at,
            "url": s.get_absolute_url(),
            "with_whom": s.mentor.name,
        }
        for s in rows
    ]


def mentors_listed() -> QuerySet[MentorProfile]:
    return (
        MentorProfile.objects.filter(is_listed=True, user__is_active=True)
        .select_related("user", "institution")
        .prefetch_related("competences__framework")
    )
