"""The times a learner may book with a mentor: the mentor's rules, hours, sessions and room,
loaded in a few queries and handed to the pure slot function in ``mentoring.slots``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from mentoring import slots
from mentoring.models import (
    DateOverride,
    MentorProfile,
    MentorSession,
    TimeOff,
    WeeklyAvailability,
)
from mentoring.services.base import AnyUser, resolve_now


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
    """Slot inputs for several mentors: four queries whatever their number."""
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
    # Time off wins over both: no times on any of its days.
    for row in TimeOff.objects.filter(
        mentor_id__in=ids, first_day__lte=last_day, last_day__gte=first_day
    ):
        day = max(row.first_day, first_day)
        while day <= min(row.last_day, last_day):
            inputs[row.mentor_id].overrides[day] = []
            day += timedelta(days=1)
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
    learner: AnyUser, *, now: datetime, until: datetime, exclude: MentorSession | None = None
) -> list[slots.Interval]:
    if learner is None or not learner.is_authenticated:
        return []
    rows = MentorSession.objects.filter(
        learner=learner, status__in=MentorSession.ACTIVE, ends_at__gt=now, starts_at__lt=until
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return [slots.Interval(s, e) for s, e in rows.values_list("starts_at", "ends_at")]


def has_room(profile: MentorProfile, inputs: SlotInputs, learner: AnyUser) -> bool:
    """Capacity: a new learner fits while fewer than ``capacity`` learners have sessions ahead."""
    if learner is not None and learner.pk in inputs.learners:
        return True
    return len(inputs.learners) < profile.capacity


def free_slots_for(
    profile: MentorProfile,
    learner: AnyUser = None,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
    exclude: MentorSession | None = None,
) -> list[slots.Interval]:
    """The times ``learner`` may book with ``profile`` (all free times if no learner)."""
    now = resolve_now(now)
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
