"""A mentor blocks several days at once (a holiday): no times are offered in them, what was
already booked there is listed for the mentor to decide, and bad ranges are refused clearly.

Personas: ``mentor`` (Paul, Berlin, weekdays 09–17), ``mentee`` (Lena, who booked),
``omar`` (a learner who would like to book), ``time_off_rival`` (another mentor)."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentoring import mentor_profiles, services, slots
from mentoring.models import MentorSession, TimeOff
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)  # NOW's date in Berlin


@pytest.fixture
def time_off_rival(db):
    return make_mentor("rita@elsewhere.example")


def free_days(profile, learner=None) -> set[date]:
    return {
        slot.start.astimezone(ZoneInfo(profile.time_zone)).date()
        for slot in services.free_slots_for(profile, learner, now=NOW)
    }


def test_no_times_are_offered_in_a_blocked_range(mentor, omar, monday):
    before = free_days(mentor)
    assert {monday, monday + timedelta(days=1), monday + timedelta(days=2)} <= before
    mentor_profiles.block_dates(
        mentor, monday, monday + timedelta(days=1), reason="Ski trip", by=mentor.user, now=NOW
    )
    after = free_days(mentor)
    assert monday not in after and monday + timedelta(days=1) not in after
    assert monday + timedelta(days=2) in after  # the day after the range is bookable
    assert monday - timedelta(days=3) in after  # and the Friday before it
    with pytest.raises(services.BookingError) as refused:
        services.book(mentor, omar, at(monday, 11), now=NOW)
    assert refused.value.reason == slots.OUTSIDE


def test_sessions_already_inside_the_range_stay_and_are_listed(booked, mentor, monday):
    off = mentor_profiles.block_dates(mentor, monday, monday, by=mentor.user, now=NOW)
    booked.refresh_from_db()
    assert booked.status == MentorSession.Status.CONFIRMED  # nothing cancelled on its own
    assert mentor_profiles.sessions_in_time_off(mentor, now=NOW) == [(off, [booked])]


def test_a_range_that_holds_nothing_lists_nothing(booked, mentor, monday):
    later = monday + timedelta(days=14)
    off = mentor_profiles.block_dates(mentor, later, later, by=mentor.user, now=NOW)
    assert mentor_profiles.sessions_in_time_off(mentor, now=NOW) == [(off, [])]


def test_blocking_the_same_range_twice_keeps_one(mentor, monday):
    one = mentor_profiles.block_dates(mentor, monday, monday, by=mentor.user, now=NOW)
    two = mentor_profiles.block_dates(mentor, monday, monday, by=mentor.user, now=NOW)
    assert one.pk == two.pk and TimeOff.objects.count() == 1


def test_removing_time_off_offers_the_days_again(mentor, monday):
    off = mentor_profiles.block_dates(mentor, monday, monday, by=mentor.user, now=NOW)
    assert mentor_profiles.remove_time_off(mentor, off.pk, by=mentor.user) == 1
    assert mentor_profiles.remove_time_off(mentor, off.pk, by=mentor.user) == 0
    assert monday in free_days(mentor)


@pytest.mark.parametrize(
    ("first", "last", "field", "says"),
    [
        (TODAY + timedelta(days=9), TODAY + timedelta(days=7), "last_day", "before it starts"),
        (TODAY - timedelta(days=9), TODAY - timedelta(days=7), "first_day", "has passed"),
        (TODAY - timedelta(days=1), TODAY + timedelta(days=3), "first_day", "has passed"),
        (TODAY, TODAY + timedelta(days=400), "last_day", "at most 183 days"),
        (TODAY + timedelta(days=900), TODAY + timedelta(days=901), "first_day", "two years"),
    ],
    ids=["ends-before-start", "in-the-past", "starts-yesterday", "too-long", "too-far-ahead"],
)
def test_bad_ranges_are_refused_clearly(mentor, first, last, field, says):
    with pytest.raises(services.MentoringError, match=says) as refused:
        mentor_profiles.block_dates(mentor, first, last, by=mentor.user, now=NOW)
    assert refused.value.field == field
    assert not TimeOff.objects.exists()


def test_today_may_be_blocked(mentor):
    off = mentor_profiles.block_dates(mentor, TODAY, TODAY, by=mentor.user, now=NOW)
    assert off.days == 1


@pytest.mark.parametrize("who", ["mentee", "time_off_rival"])
def test_only_the_mentor_blocks_their_own_days(mentor, monday, who, request):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionError):
        mentor_profiles.block_dates(
            mentor, monday, monday, by=getattr(person, "user", person), now=NOW
        )
    off = mentor_profiles.block_dates(mentor, monday, monday, by=mentor.user, now=NOW)
    with pytest.raises(PermissionError):
        mentor_profiles.remove_time_off(mentor, off.pk, by=getattr(person, "user", person))
    assert TimeOff.objects.count() == 1


# --- the pages --------------------------------------------------------------------------------


def test_the_mentor_blocks_a_holiday_on_the_availability_page(client, booked, mentor, clock):
    client.force_login(mentor.user)
    response = client.post(
        "/mentors/desk/availability/",
        {"form": "time-off", "first_day": "2026-03-09", "last_day": "2026-03-13",
         "reason": "Summer holiday"},
    )  # fmt: skip
    assert response.status_code == 302
    assert TimeOff.objects.get().last_day == date(2026, 3, 13)
    page = client.get("/mentors/desk/availability/").content.decode()
    assert "You are off from Monday 9 March to Friday 13 March 2026" in page
    assert "Summer holiday" in page and "Still booked in these days" in page
    assert booked.get_absolute_url() in page
    desk = client.get("/mentors/desk/").content.decode()
    assert "Booked during your time off" in desk and booked.get_absolute_url() in desk


def test_a_range_ending_before_it_starts_is_refused_on_the_page(client, mentor, clock):
    client.force_login(mentor.user)
    response = client.post(
        "/mentors/desk/availability/",
        {"form": "time-off", "first_day": "2026-03-13", "last_day": "2026-03-09"},
    )
    assert response.status_code == 400
    assert "before it starts" in response.content.decode()
    assert not TimeOff.objects.exists()


def test_the_desk_says_nothing_about_time_off_that_holds_no_session(client, mentor, clock):
    mentor_profiles.block_dates(
        mentor, date(2026, 3, 9), date(2026, 3, 10), by=mentor.user, now=NOW
    )
    client.force_login(mentor.user)
    assert "Booked during your time off" not in client.get("/mentors/desk/").content.decode()
