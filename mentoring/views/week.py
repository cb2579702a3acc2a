"""What the pages share: the visitor's time zone, and the week of free times a mentor's
page and the reschedule page show."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from mentoring import services, slots

DAYS_SHOWN = 7  # days of free times a page shows at once


def visitor_zone(request, fallback: str = "UTC") -> str:
    """The time zone pages are shown in: the visitor's own, else ``fallback``."""
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


def slot_days(free: list[slots.Interval], first: date, zone: str, mentor_zone: str) -> list:
    """The free times of the days shown from ``first``, by local day, with the mentor's time."""
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


def slots_context(request, profile, *, exclude=None) -> dict:
    """What a page needs to show a week of ``profile``'s free times to this visitor."""
    zone = visitor_zone(request, profile.time_zone)
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
        "days": slot_days(free, first, zone, profile.time_zone),
        "free_count": len(free),
        "next_free": upcoming[0] if upcoming else None,
        "next_free_week": (
            upcoming[0].start.astimezone(ZoneInfo(zone)).date() if upcoming else None
        ),
    }
