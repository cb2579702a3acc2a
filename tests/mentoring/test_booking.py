"""Booking: what books, what is refused with which message, and that nothing half-books."""

from datetime import time, timedelta

import pytest

from mentoring import mentor_profiles, services, slots
from mentoring.models import MentorSession, SessionReminder
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db


def test_booking_a_free_time_confirms_the_session(mentor, mentee, monday):
    session = services.book(mentor, mentee, at(monday, 10), goal="Plan a pilot", now=NOW)
    assert session.status == MentorSession.Status.CONFIRMED
    assert session.ends_at - session.starts_at == timedelta(minutes=60)
    assert session.meeting_url == mentor.meeting_url
    assert session.sequence == 0


def test_booking_creates_both_reminders(booked):
    kinds = set(booked.reminders.values_list("kind", flat=True))
    assert kinds == {SessionReminder.Kind.DAY, SessionReminder.Kind.HOUR}


def test_a_mentor_who_confirms_bookings_gets_a_request(mentee, monday):
    mentor = make_mentor("anouk@uni.example", requires_confirmation=True)
    session = services.book(mentor, mentee, at(monday, 10), now=NOW)
    assert session.status == MentorSession.Status.REQUESTED


def test_the_same_idempotency_key_books_once(mentor, mentee, monday):
    first = services.book(mentor, mentee, at(monday, 10), idempotency_key="k1", now=NOW)
    again = services.book(mentor, mentee, at(monday, 10), idempotency_key="k1", now=NOW)
    assert again == first
    assert MentorSession.objects.count() == 1


def test_the_same_key_from_two_learners_books_twice(mentor, mentee, omar, monday):
    services.book(mentor, mentee, at(monday, 10), idempotency_key="k1", now=NOW)
    services.book(mentor, omar, at(monday, 11), idempotency_key="k1", now=NOW)
    assert MentorSession.objects.count() == 2


@pytest.mark.parametrize(
    ("moment", "profile", "reason", "words"),
    [
        (lambda d: at(d, 13, 0) + timedelta(hours=5), {}, slots.OUTSIDE, "is not available"),
        (lambda d: at(d, 9, 30), {}, slots.OUTSIDE, "is not available"),
        (lambda d: NOW - timedelta(hours=1), {}, slots.PAST, "already passed"),
        (lambda d: at(d - timedelta(days=7), 10), {"min_notice_hours": 24}, slots.NOTICE,
         "hours' notice"),
        (lambda d: at(d + timedelta(days=28), 10), {"booking_window_days": 14}, slots.WINDOW,
         "days ahead"),
    ],
)  # fmt: skip
def test_a_time_that_is_not_free_is_refused_and_nothing_is_booked(
    mentee, monday, moment, profile, reason, words
):
    mentor = make_mentor("m@helix.example", **profile)
    with pytest.raises(services.BookingError) as error:
        services.book(mentor, mentee, moment(monday), now=NOW)
    assert error.value.reason == reason
    assert words in error.value.message
    assert error.value.free, "the error carries the current free times"
    assert not MentorSession.objects.exists()


def test_over_the_daily_cap_is_refused(mentee, omar, monday):
    mentor = make_mentor("m@helix.example", max_sessions_per_day=1)
    services.book(mentor, omar, at(monday, 9), now=NOW)
    with pytest.raises(services.BookingError) as error:
        services.book(mentor, mentee, at(monday, 11), now=NOW)
    assert error.value.reason == slots.DAY_CAP
    assert MentorSession.objects.count() == 1


def test_over_the_weekly_cap_is_refused(mentee, omar, monday):
    mentor = make_mentor("m@helix.example", max_sessions_per_week=1)
    services.book(mentor, omar, at(monday, 9), now=NOW)
    with pytest.raises(services.BookingError) as error:
        services.book(mentor, mentee, at(monday + timedelta(days=2), 11), now=NOW)
    assert error.value.reason == slots.WEEK_CAP


def test_a_mentor_at_capacity_refuses_new_learners_but_not_current_ones(mentee, omar, monday):
    mentor = make_mentor("m@helix.example", capacity=1)
    services.book(mentor, mentee, at(monday, 9), now=NOW)
    with pytest.raises(services.BookingError) as error:
        services.book(mentor, omar, at(monday, 11), now=NOW)
    assert error.value.reason == "capacity"
    assert services.book(mentor, mentee, at(monday, 14), now=NOW).pk


def test_a_taken_time_is_refused_for_a_second_learner(booked, mentor, omar, monday):
    with pytest.raises(services.BookingError) as error:
        services.book(mentor, omar, at(monday, 10), now=NOW)
    assert error.value.reason == slots.MENTOR_BUSY
    assert "just taken" in error.value.message
    assert at(monday, 10) not in {s.start for s in error.value.free}


def test_an_overlapping_time_with_another_mentor_is_refused_for_the_learner(booked, mentee):
    other = make_mentor("maya@example.com", zone="America/New_York", hours=((4, 12),))
    with pytest.raises(services.BookingError) as error:
        services.book(other, mentee, booked.starts_at, now=NOW)
    assert error.value.reason == slots.LEARNER_BUSY


def test_a_buffer_keeps_the_next_session_away(mentee, omar, monday):
    mentor = make_mentor(
        "m@helix.example", session_minutes=30, slot_step_minutes=30, buffer_after_minutes=30
    )
    services.book(mentor, mentee, at(monday, 10), now=NOW)
    with pytest.raises(services.BookingError):
        services.book(mentor, omar, at(monday, 10, 30), now=NOW)
    assert services.book(mentor, omar, at(monday, 11), now=NOW).pk


def test_nobody_books_themselves(mentor, monday):
    with pytest.raises(services.BookingError, match="yourself"):
        services.book(mentor, mentor.user, at(monday, 10), now=NOW)


def test_an_unlisted_mentor_takes_no_bookings(mentee, monday):
    mentor = make_mentor("m@helix.example", is_listed=False)
    with pytest.raises(services.BookingError, match="not taking bookings"):
        services.book(mentor, mentee, at(monday, 10), now=NOW)


def test_an_override_day_off_refuses_a_weekly_time(mentor, mentee, monday):
    mentor_profiles.set_date_override(mentor, monday, [], by=mentor.user, now=NOW)
    with pytest.raises(services.BookingError) as error:
        services.book(mentor, mentee, at(monday, 10), now=NOW)
    assert error.value.reason == slots.OUTSIDE


def test_free_slots_for_a_learner_leave_out_their_own_sessions(booked, mentee, monday):
    other = make_mentor("maya@example.com", zone="America/New_York", hours=((3, 12),))
    free = services.free_slots_for(other, mentee, start=at(monday, 0), end=at(monday, 23), now=NOW)
    assert free and all(not (s.start < booked.ends_at and booked.starts_at < s.end) for s in free)


def test_the_sqlite_path_rechecks_inside_the_locked_transaction(
    mentor, mentee, omar, monday, monkeypatch
):
    """Even if a stale check said yes, the check inside the transaction refuses."""
    services.book(mentor, mentee, at(monday, 10), now=NOW)
    assert services.book.__name__  # the public function is what views call
    with pytest.raises(services.BookingError):
        services.book(mentor, omar, at(monday, 10), now=NOW)
    assert MentorSession.objects.filter(starts_at=at(monday, 10)).count() == 1


def test_weekly_hours_with_midnight_end_cover_the_evening(mentee, monday):
    mentor = make_mentor("night@helix.example", hours=())
    mentor_profiles.set_weekly_availability(mentor, [(0, time(22), time(0))], by=mentor.user)
    assert services.book(mentor, mentee, at(monday, 23), now=NOW).pk
