"""Free slots for one mentor over 90 days with 500 existing sessions.

Prints the median time of:
  service   mentoring.services.free_slots_for: load rules and sessions from the database, then
            the one pure slot function (what a page view pays);
  pure      mentoring.slots.free_slots on lists already in memory;
  plain     the same computation written with plain datetime arithmetic on the same preloaded
            lists (a loop per day and range, a linear scan of the sessions per candidate),
and the ratios to ``plain`` measured side by side in this run. It checks that all three agree.

Run: DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python bench/slots.py
"""

import os
import random
import statistics
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from mentoring import services, slots  # noqa: E402
from mentoring.models import MentorProfile, MentorSession, WeeklyAvailability  # noqa: E402

DAYS = 90
SESSIONS = 500
RUNS = 15
ZONE = "Europe/Berlin"
NOW = datetime(2026, 2, 2, 7, 0, tzinfo=UTC)  # 90 days later crosses the March DST change


def plain_free_slots(weekly, busy, *, now, end, minutes, step, gap, zone, notice):
    """The straightforward version: same rules (no caps or overrides here), no indexing."""
    tz = ZoneInfo(zone)
    length, stride = timedelta(minutes=minutes), timedelta(minutes=step)
    earliest = now + notice
    found = []
    day = now.astimezone(tz).date()
    last = end.astimezone(tz).date()
    while day <= last:
        for weekday, start, stop in weekly:
            if weekday != day.weekday():
                continue
            moment = datetime.combine(day, start, tzinfo=tz).astimezone(UTC)
            finish = datetime.combine(day, stop, tzinfo=tz).astimezone(UTC)
            while moment + length <= finish:
                if earliest <= moment < end and not any(
                    moment < b_end + gap and b_start - gap < moment + length
                    for b_start, b_end in busy
                ):
                    found.append(moment)
                moment += stride
        day += timedelta(days=1)
    return sorted(found)


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = clock.perf_counter()
        fn()
        times.append((clock.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    creation = connection.creation
    old_name = creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    User = get_user_model()
    mentor_user = User.objects.create_user(email="bench-mentor@example.org", time_zone=ZONE)
    profile = MentorProfile.objects.create(
        user=mentor_user,
        organisation="Bench",
        time_zone=ZONE,
        session_minutes=30,
        slot_step_minutes=30,
        buffer_before_minutes=0,
        buffer_after_minutes=15,
        min_notice_hours=4,
        booking_window_days=DAYS,
        capacity=1000,
    )
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(mentor=profile, weekday=d, start_time=time(a), end_time=time(b))
        for d in range(5)
        for a, b in ((8, 12), (13, 20))
    )
    end = NOW + timedelta(days=DAYS)
    everything = services.free_slots_for(profile, now=NOW, start=NOW, end=end)
    rng = random.Random(6)
    learners = [User.objects.create_user(email=f"bench-learner-{n}@example.org") for n in range(50)]
    chosen, taken = [], []
    for candidate in rng.sample(everything, len(everything)):
        if len(chosen) == SESSIONS:
            break
        pad = timedelta(minutes=15)
        if any(candidate.overlaps(slots.Interval(a - pad, b + pad)) for a, b in taken):
            continue
        chosen.append(candidate)
        taken.append((candidate.start, candidate.end))
    MentorSession.objects.bulk_create(
        MentorSession(
            mentor=profile,
            learner=learners[i % len(learners)],
            starts_at=s.start,
            ends_at=s.end,
            idempotency_key=f"bench-{i}",
        )
        for i, s in enumerate(chosen)
    )

    inputs = services.load_inputs([profile], now=NOW, until=end)[profile.pk]
    rules = services.rules_for(profile)
    weekly = [(w.weekday, w.start, w.end) for w in inputs.weekly]
    busy = [(i.start, i.end) for i in inputs.busy]
    gap = rules.gap
    notice = timedelta(minutes=rules.min_notice_minutes)

    def service():
        return services.free_slots_for(profile, now=NOW, start=NOW, end=end)

    def pure():
        return slots.free_slots(
            rules, inputs.weekly, inputs.overrides, inputs.busy, now=NOW, start=NOW, end=end
        )

    def plain():
        return plain_free_slots(
            weekly, busy, now=NOW, end=end, minutes=30, step=30, gap=gap, zone=ZONE, notice=notice
        )

    a, b, c = [s.start for s in service()], [s.start for s in pure()], plain()
    assert a == b == c, "the three computations disagree"
    print(
        f"mentor in {ZONE}, {DAYS} days, {len(chosen)} sessions booked, {len(b)} free slots "
        "(all three agree)"
    )
    plain_ms = median_ms(plain)
    pure_ms = median_ms(pure)
    service_ms = median_ms(service)
    print(f"{'plain datetime, preloaded':<32}{plain_ms:9.2f} ms   1.00x")
    print(f"{'slots.free_slots, preloaded':<32}{pure_ms:9.2f} ms   {pure_ms / plain_ms:.2f}x")
    print(
        f"{'services.free_slots_for (+ DB)':<32}{service_ms:9.2f} ms   {service_ms / plain_ms:.2f}x"
    )
    print(f"median of {RUNS} runs each; ratio = time / plain (lower is faster)")


if __name__ == "__main__":
    main()
