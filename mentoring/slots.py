"""Free slots: one pure function from a mentor's rules to the times a learner may book.

Nothing here touches the database or the clock: callers pass the rules, the weekly ranges, the
date overrides, the sessions already booked and ``now``. Everything returned is in UTC.

Wall-clock rules live in the mentor's IANA time zone, and daylight-saving days are handled
deterministically:

* A weekly or override range covers exactly the real instants whose wall-clock time in the
  mentor's zone lies inside it. On a day when the clocks go forward the missing hour simply is
  not there (02:00–04:00 in Europe/Berlin on the last Sunday of March is one hour long); on a
  day when they go back the repeated hour counts twice (01:00–04:00 is four real hours), so a
  range always means "whenever my clock shows these times".
* Slots start every ``step_minutes`` of real time from the start of each range, and every slot
  lasts exactly ``session_minutes`` of real time, whatever the clocks do in between.
* A single wall time typed by a person (an override range, a booking time without an offset)
  that does not exist in the zone is refused with :class:`NonexistentTimeError`; an ambiguous
  one (the repeated hour) is read as its first occurrence (``fold=0``, Python's default).

Buffers: a session keeps ``buffer_before`` minutes before it and ``buffer_after`` minutes after
it free of the mentor's other sessions; buffers do not add up, so two sessions are at least
the larger of the two buffers apart. Caps count the mentor's sessions on the same local day
and in the same ISO week (Monday to Sunday) of the mentor's zone.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _

MIDNIGHT = time(0, 0)

# Reasons a requested start time is not bookable, most fundamental first.
PAST = "past"
NOTICE = "notice"
WINDOW = "window"
OUTSIDE = "outside"
DAY_CAP = "day_cap"
WEEK_CAP = "week_cap"
MENTOR_BUSY = "mentor_busy"
LEARNER_BUSY = "learner_busy"


class NonexistentTimeError(ValueError):
    """A wall-clock time that the clocks skip on a daylight-saving day."""

    def __init__(self, day: date, wall: time, zone: str):
        self.day, self.wall, self.zone = day, wall, zone
        super().__init__(
            _(
                "%(time)s does not exist on %(date)s in %(zone)s: the clocks go forward that "
                "night. Choose a time before or after the change."
            )
            % {"time": f"{wall:%H:%M}", "date": date_format(day, "l j F Y"), "zone": zone}
        )


@dataclass(frozen=True)
class Rules:
    """A mentor's booking rules; durations in minutes."""

    time_zone: str
    session_minutes: int
    step_minutes: int = 30
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    min_notice_minutes: int = 0
    window_days: int = 60
    max_per_day: int | None = None
    max_per_week: int | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def gap(self) -> timedelta:
        return timedelta(minutes=max(self.buffer_before_minutes, self.buffer_after_minutes))


@dataclass(frozen=True)
class WeeklyRange:
    """Available every ``weekday`` (0 = Monday) from ``start`` to ``end`` (00:00 = midnight)."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True, order=True)
class Interval:
    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


# --- wall clock ↔ UTC -------------------------------------------------------------------------


def localize(day: date, wall: time, zone: str | ZoneInfo) -> datetime:
    """The aware datetime for ``wall`` on ``day`` in ``zone``.

    Raises NonexistentTimeError for a time the clocks skip; an ambiguous time is its first
    occurrence (fold=0).
    """
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    local = datetime.combine(day, wall, tzinfo=tz)
    back = local.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTimeError(day, wall, str(tz.key))
    return local


def parse_local(value: str | datetime, zone: str | ZoneInfo) -> datetime:
    """Read a time a person chose: with an offset it is exact; without, it is a wall time in
    ``zone`` (refused if nonexistent, first occurrence if ambiguous). Returns UTC."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = localize(moment.date(), moment.time(), zone)
    return moment.astimezone(UTC)


def is_ambiguous(day: date, wall: time, zone: str | ZoneInfo) -> bool:
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    first = datetime.combine(day, wall, tzinfo=tz)
    return first.utcoffset() != first.replace(fold=1).utcoffset()


@lru_cache(maxsize=4096)
def _segments(zone_key: str, day: date) -> tuple[tuple[datetime, datetime, timedelta], ...]:
    """The stretches of real time around local ``day`` with a constant UTC offset.

    Returns (utc_start, utc_end, offset) triples (naive UTC datetimes) that together cover every
    instant whose wall-clock time falls on ``day``, with a margin.
    """
    tz = ZoneInfo(zone_key)
    naive = datetime.combine(day, MIDNIGHT)
    lo = naive - timedelta(hours=30)
    hi = naive + timedelta(hours=54)

    def offset_at(utc_naive: datetime) -> timedelta:
        return utc_naive.replace(tzinfo=UTC).astimezone(tz).utcoffset()

    current = offset_at(lo)
    if offset_at(hi) == current and offset_at(naive + timedelta(hours=12)) == current:
        return ((lo, hi, current),)  # no transition near this day: the usual case
    segments = []
    start = lo
    # Probe every hour; transitions are at least hours apart, so none is missed.
    probe = lo
    while probe < hi:
        nxt = min(probe + timedelta(hours=1), hi)
        if offset_at(nxt) != current:
            # Binary search the first second with the new offset.
            a, b = probe, nxt
            while b - a > timedelta(seconds=1):
                mid = a + (b - a) / 2
                if offset_at(mid) == current:
                    a = mid
                else:
                    b = mid
            b = b.replace(microsecond=0)
            segments.append((start, b, current))
            start, current = b, offset_at(b)
        probe = nxt
    segments.append((start, hi, current))
    return tuple(segments)


def wall_range_to_utc(
    day: date, start: time, end: time, zone: str | ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """Real (UTC, aware) intervals during which the clock in ``zone`` shows a time in
    [start, end) on ``day``. ``end`` of 00:00 means midnight at the end of the day."""
    key = zone.key if isinstance(zone, ZoneInfo) else zone
    wall_start = datetime.combine(day, start)
    wall_end = datetime.combine(day + timedelta(days=1) if end == MIDNIGHT else day, end)
    if wall_end <= wall_start:
        return []
    out: list[tuple[datetime, datetime]] = []
    for seg_start, seg_end, offset in _segments(key, day):
        a = max(wall_start, seg_start + offset)
        b = min(wall_end, seg_end + offset)
        if a < b:
            ua, ub = (a - offset).replace(tzinfo=UTC), (b - offset).replace(tzinfo=UTC)
            if out and out[-1][1] >= ua:
                out[-1] = (out[-1][0], max(out[-1][1], ub))
            else:
                out.append((ua, ub))
    return out


# --- the one function -------------------------------------------------------------------------


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def _week_of(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


class _Busy:
    """Sorted intervals with a fast "does anything overlap [a, b)?" test."""

    def __init__(self, intervals: Iterable[Interval]):
        items = sorted(intervals)
        self.starts = [i.start for i in items]
        self.items = items
        # Running maximum of the ends, so that one bisect answers the overlap question.
        self.max_end: list[datetime] = []
        latest = None
        for item in items:
            latest = item.end if latest is None or item.end > latest else latest
            self.max_end.append(latest)

    def overlaps(self, a: datetime, b: datetime) -> bool:
        # Any item starting before b whose end is after a?
        i = bisect.bisect_left(self.starts, b)
        return i > 0 and self.max_end[i - 1] > a


def free_slots(
    rules: Rules,
    weekly: Iterable[WeeklyRange],
    overrides: Mapping[date, Sequence[tuple[time, time]]],
    busy: Sequence[Interval],
    *,
    now: datetime,
    start: datetime | None = None,
    end: datetime | None = None,
    learner_busy: Sequence[Interval] = (),
    ignore_caps: bool = False,
) -> list[Interval]:
    """Every bookable session between ``start`` and ``end`` (default: now → booking window).

    ``overrides`` maps a local date to the ranges that replace the weekly ones that day (an
    empty sequence is a day off). ``busy`` are the mentor's sessions that are still on;
    ``learner_busy`` the learner's (no buffers apply to those).
    """
    tz = rules.zone
    length = timedelta(minutes=rules.session_minutes)
    step = timedelta(minutes=rules.step_minutes or rules.session_minutes)
    earliest = now + timedelta(minutes=rules.min_notice_minutes)
    latest = now + timedelta(days=rules.window_days)
    lo = max(earliest, start) if start else earliest
    hi = min(latest, end) if end else latest
    if hi <= lo:
        return []

    by_weekday: dict[int, list[tuple[time, time]]] = {}
    for item in weekly:
        by_weekday.setdefault(item.weekday, []).append((item.start, item.end))

    gap = rules.gap
    mentor = _Busy(Interval(i.start - gap, i.end + gap) for i in busy)
    learner = _Busy(learner_busy)
    per_day: Counter[date] = Counter()
    per_week: Counter[tuple[int, int]] = Counter()
    if not ignore_caps and (rules.max_per_day or rules.max_per_week):
        for item in busy:
            local = _local_day(item.start, tz)
            per_day[local] += 1
            per_week[_week_of(local)] += 1

    slots: list[Interval] = []
    day = _local_day(lo, tz) - timedelta(days=1)
    last_day = _local_day(hi, tz)
    while day <= last_day:
        if not ignore_caps and (
            (rules.max_per_day and per_day[day] >= rules.max_per_day)
            or (rules.max_per_week and per_week[_week_of(day)] >= rules.max_per_week)
        ):
            day += timedelta(days=1)
            continue
        ranges = overrides[day] if day in overrides else by_weekday.get(day.weekday(), ())
        for wall_start, wall_end in ranges:
            for a, b in wall_range_to_utc(day, wall_start, wall_end, tz):
                moment = a
                while moment + length <= b:
                    finish = moment + length
                    if (
                        lo <= moment < hi
                        and not mentor.overlaps(moment, finish)
                        and not learner.overlaps(moment, finish)
                    ):
                        slots.append(Interval(moment, finish))
                    moment += step
        day += timedelta(days=1)
    slots.sort()
    return [s for i, s in enumerate(slots) if i == 0 or s.start != slots[i - 1].start]


def why_not(
    rules: Rules,
    weekly: Iterable[WeeklyRange],
    overrides: Mapping[date, Sequence[tuple[time, time]]],
    busy: Sequence[Interval],
    *,
    now: datetime,
    at: datetime,
    learner_busy: Sequence[Interval] = (),
) -> str | None:
    """None if a session may start ``at``; otherwise the first reason it may not.

    The answer comes from :func:`free_slots` itself, so the check and the list never disagree.
    """
    weekly = list(weekly)
    around = {"start": at - timedelta(days=1), "end": at + timedelta(days=2)}
    slots = free_slots(rules, weekly, overrides, busy, now=now, learner_busy=learner_busy, **around)
    if any(s.start == at for s in slots):
        return None
    if at <= now:
        return PAST
    if at < now + timedelta(minutes=rules.min_notice_minutes):
        return NOTICE
    if at >= now + timedelta(days=rules.window_days):
        return WINDOW
    open_ = free_slots(rules, weekly, overrides, [], now=now, ignore_caps=True, **around)
    if not any(s.start == at for s in open_):
        return OUTSIDE
    tz = rules.zone
    local = _local_day(at, tz)
    day_count = sum(1 for i in busy if _local_day(i.start, tz) == local)
    if rules.max_per_day and day_count >= rules.max_per_day:
        return DAY_CAP
    week_count = sum(1 for i in busy if _week_of(_local_day(i.start, tz)) == _week_of(local))
    if rules.max_per_week and week_count >= rules.max_per_week:
        return WEEK_CAP
    mentor_only = free_slots(rules, weekly, overrides, busy, now=now, **around)
    if not any(s.start == at for s in mentor_only):
        return MENTOR_BUSY
    return LEARNER_BUSY
