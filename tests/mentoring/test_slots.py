"""The one pure slot function: rules, overrides, sessions, buffers, notice, window, caps, DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentoring import slots
from mentoring.slots import Interval, Rules, WeeklyRange

MONDAY = date(2026, 3, 9)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def rules(**extra) -> Rules:
    return Rules(**{"time_zone": "Europe/Berlin", "session_minutes": 60, "step_minutes": 60,
                    "window_days": 60, **extra})  # fmt: skip


def at(day: date, hour: int, minute: int = 0, zone: str = "Europe/Berlin") -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def starts(found, zone="Europe/Berlin") -> list[str]:
    return [s.start.astimezone(ZoneInfo(zone)).strftime("%H:%M") for s in found]


def day_slots(r, weekly, day, busy=(), overrides=None, now=NOW, learner_busy=()):
    return slots.free_slots(
        r, weekly, overrides or {}, list(busy), now=now,
        start=at(day, 0), end=at(day + timedelta(days=1), 0), learner_busy=list(learner_busy),
    )  # fmt: skip


WEEKDAYS_9_TO_12 = [WeeklyRange(d, time(9), time(12)) for d in range(5)]


def test_weekly_ranges_give_slots_at_each_step():
    assert starts(day_slots(rules(), WEEKDAYS_9_TO_12, MONDAY)) == ["09:00", "10:00", "11:00"]


def test_several_ranges_on_one_weekday_all_count():
    weekly = [WeeklyRange(0, time(9), time(10)), WeeklyRange(0, time(14), time(16))]
    assert starts(day_slots(rules(), weekly, MONDAY)) == ["09:00", "14:00", "15:00"]


def test_a_slot_must_fit_entirely_inside_the_range():
    found = day_slots(rules(session_minutes=45, step_minutes=30), WEEKDAYS_9_TO_12, MONDAY)
    assert starts(found) == ["09:00", "09:30", "10:00", "10:30", "11:00"]


def test_weekend_without_ranges_has_no_slots():
    assert day_slots(rules(), WEEKDAYS_9_TO_12, MONDAY + timedelta(days=5)) == []


def test_day_off_override_removes_the_day():
    assert day_slots(rules(), WEEKDAYS_9_TO_12, MONDAY, overrides={MONDAY: []}) == []


def test_override_hours_replace_the_weekly_ones_on_that_date():
    found = day_slots(rules(), WEEKDAYS_9_TO_12, MONDAY, overrides={MONDAY: [(time(15), time(17))]})
    assert starts(found) == ["15:00", "16:00"]


def test_an_existing_session_takes_its_slot():
    busy = [Interval(at(MONDAY, 10), at(MONDAY, 11))]
    assert starts(day_slots(rules(), WEEKDAYS_9_TO_12, MONDAY, busy)) == ["09:00", "11:00"]


def test_buffers_keep_the_larger_gap_around_existing_sessions():
    busy = [Interval(at(MONDAY, 10), at(MONDAY, 11))]
    found = day_slots(
        rules(session_minutes=30, step_minutes=30, buffer_after_minutes=30), WEEKDAYS_9_TO_12,
        MONDAY, busy,
    )  # fmt: skip
    # 09:00–09:30 ends 30 minutes before the session; 09:30 would end right at it.
    assert starts(found) == ["09:00", "11:30"]


def test_the_learners_own_sessions_are_not_offered():
    mine = [Interval(at(MONDAY, 9, 30), at(MONDAY, 10))]
    found = day_slots(rules(), WEEKDAYS_9_TO_12, MONDAY, learner_busy=mine)
    assert starts(found) == ["10:00", "11:00"]


def test_minimum_notice_hides_slots_too_soon():
    now = at(MONDAY, 8)
    found = day_slots(rules(min_notice_minutes=150), WEEKDAYS_9_TO_12, MONDAY, now=now)
    assert starts(found) == ["11:00"]


def test_nothing_in_the_past_is_offered():
    now = at(MONDAY, 10, 15)
    assert starts(day_slots(rules(), WEEKDAYS_9_TO_12, MONDAY, now=now)) == ["11:00"]


def test_booking_window_ends_the_offer():
    found = slots.free_slots(rules(window_days=8), WEEKDAYS_9_TO_12, {}, [], now=NOW)
    assert max(s.start for s in found) < NOW + timedelta(days=8)
    assert at(MONDAY, 9) in {s.start for s in found}  # day 7 is inside
    assert at(MONDAY + timedelta(days=1), 9) not in {s.start for s in found}


def test_daily_cap_closes_a_day_with_enough_sessions():
    busy = [Interval(at(MONDAY, 9), at(MONDAY, 10)), Interval(at(MONDAY, 11), at(MONDAY, 12))]
    assert day_slots(rules(max_per_day=2), WEEKDAYS_9_TO_12, MONDAY, busy) == []


def test_weekly_cap_closes_the_rest_of_the_iso_week():
    busy = [Interval(at(MONDAY, 9), at(MONDAY, 10))]
    found = slots.free_slots(
        rules(max_per_week=1), WEEKDAYS_9_TO_12, {}, busy, now=NOW,
        start=at(MONDAY, 0), end=at(MONDAY + timedelta(days=8), 0),
    )  # fmt: skip
    days = {s.start.astimezone(ZoneInfo("Europe/Berlin")).date() for s in found}
    assert days == {MONDAY + timedelta(days=7)}


# --- daylight saving ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # Clocks go forward: 02:00–03:00 does not exist; the range is two real hours.
        ("Europe/Berlin", date(2026, 3, 29), ["01:00", "03:00"]),
        ("America/New_York", date(2026, 3, 8), ["01:00", "03:00"]),
        # Clocks go back: 02:00 (Berlin) / 01:00 (New York) happens twice; four real hours.
        ("Europe/Berlin", date(2026, 10, 25), ["01:00", "02:00", "02:00", "03:00"]),
        ("America/New_York", date(2026, 11, 1), ["01:00", "01:00", "02:00", "03:00"]),
    ],
)
def test_a_range_across_a_dst_change_covers_the_real_hours(zone, day, expected):
    weekly = [WeeklyRange(6, time(1), time(4))]  # Sundays 01:00–04:00 wall clock
    now = datetime(2026, 1, 1, tzinfo=UTC)
    found = slots.free_slots(
        rules(time_zone=zone, window_days=365), weekly, {}, [], now=now,
        start=at(day, 0, zone=zone), end=at(day + timedelta(days=1), 0, zone=zone),
    )  # fmt: skip
    assert starts(found, zone) == expected
    assert all(s.end - s.start == timedelta(hours=60 / 60) for s in found)
    assert len({s.start for s in found}) == len(found)


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [("Europe/Berlin", date(2026, 3, 23), date(2026, 3, 30)),
     ("America/New_York", date(2026, 3, 2), date(2026, 3, 9)),
     ("Europe/Berlin", date(2026, 10, 19), date(2026, 10, 26)),
     ("America/New_York", date(2026, 10, 26), date(2026, 11, 2))],
)  # fmt: skip
def test_weekly_hours_stay_on_the_mentors_wall_clock_across_dst(zone, before, after):
    weekly = [WeeklyRange(0, time(9), time(10))]
    r = rules(time_zone=zone, window_days=365)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    first = slots.free_slots(r, weekly, {}, [], now=now, start=at(before, 0, zone=zone),
                             end=at(before, 23, zone=zone))  # fmt: skip
    second = slots.free_slots(r, weekly, {}, [], now=now, start=at(after, 0, zone=zone),
                              end=at(after, 23, zone=zone))  # fmt: skip
    assert starts(first, zone) == starts(second, zone) == ["09:00"]
    # One week later in real time is off by the DST hour: the UTC times differ.
    assert second[0].start - first[0].start != timedelta(days=7)


def test_a_learner_in_berlin_sees_a_new_york_slot_an_hour_earlier_between_the_two_changes():
    """US clocks move on 8 March 2026, EU ones on 29 March: for three weeks the gap is 5 h."""
    weekly = [WeeklyRange(0, time(9), time(10))]
    r = rules(time_zone="America/New_York", window_days=365)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    berlin = []
    for day in (date(2026, 3, 2), date(2026, 3, 16), date(2026, 4, 6)):
        found = slots.free_slots(r, weekly, {}, [], now=now, start=at(day, 0, zone="UTC"),
                                 end=at(day, 23, zone="UTC"))  # fmt: skip
        berlin.append(starts(found, "Europe/Berlin")[0])
    assert berlin == ["15:00", "14:00", "15:00"]


def test_a_wall_time_the_clocks_skip_is_refused_with_a_clear_message():
    with pytest.raises(slots.NonexistentTimeError) as error:
        slots.localize(date(2026, 3, 29), time(2, 30), "Europe/Berlin")
    assert "02:30 does not exist on Sunday 29 March 2026 in Europe/Berlin" in str(error.value)


def test_a_chosen_time_without_offset_in_a_dst_gap_is_refused():
    with pytest.raises(slots.NonexistentTimeError):
        slots.parse_local("2026-03-08T02:30", "America/New_York")


def test_an_ambiguous_wall_time_is_read_as_its_first_occurrence():
    moment = slots.parse_local("2026-10-25T02:30", "Europe/Berlin")
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, not CET
    assert slots.is_ambiguous(date(2026, 10, 25), time(2, 30), "Europe/Berlin")


def test_a_time_with_an_offset_is_exact():
    assert slots.parse_local("2026-10-25T02:30:00+01:00", "Europe/Berlin") == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )


# --- why a time is not bookable ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "extra", "busy", "reason"),
    [
        (at(date(2026, 3, 1), 10), {}, [], slots.PAST),
        (at(date(2026, 3, 2), 11), {"min_notice_minutes": 24 * 60}, [], slots.NOTICE),
        (at(date(2026, 5, 4), 10), {"window_days": 30}, [], slots.WINDOW),
        (at(MONDAY, 13), {}, [], slots.OUTSIDE),
        (at(MONDAY, 9, 30), {}, [], slots.OUTSIDE),
        (at(MONDAY, 10), {"max_per_day": 1}, [(9, 10)], slots.DAY_CAP),
        (at(MONDAY, 10), {"max_per_week": 1}, [(9, 10)], slots.WEEK_CAP),
        (at(MONDAY, 10), {}, [(10, 11)], slots.MENTOR_BUSY),
        (at(MONDAY, 10), {}, [], None),
    ],
)
def test_why_not_names_the_first_reason(moment, extra, busy, reason):
    taken = [Interval(at(MONDAY, a), at(MONDAY, b)) for a, b in busy]
    found = slots.why_not(rules(**extra), WEEKDAYS_9_TO_12, {}, taken, now=NOW, at=moment)
    assert found == reason


def test_why_not_names_the_learners_own_overlap():
    mine = [Interval(at(MONDAY, 10), at(MONDAY, 11))]
    reason = slots.why_not(
        rules(), WEEKDAYS_9_TO_12, {}, [], now=NOW, at=at(MONDAY, 10), learner_busy=mine
    )
    assert reason == slots.LEARNER_BUSY
