"""A mentor blocks several days at once (a holiday): no times are offered in them, what was
already booked there is listed for the mentor to decide, and bad ranges are refused clearly.

Personas: ``mentor`` (Paul, Berlin, weekdays 09–17), ``mentee`` (Lena, who booked),
``omar`` (a learner who would like to book), ``time_off_rival`` (another mentor)."""

import re
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
    removed = mentor_profiles.remove_time_off(mentor, off.pk, by=mentor.user)
    assert (removed.first_day, removed.last_day) == (monday, monday)
    assert mentor_profiles.remove_time_off(mentor, off.pk, by=mentor.user) is None
    assert monday in free_days(mentor)


def removed_token(profile, first, last, reason=""):
    off = mentor_profiles.block_dates(profile, first, last, reason=reason, by=profile.user, now=NOW)
    removed = mentor_profiles.remove_time_off(profile, off.pk, by=profile.user)
    return mentor_profiles.undo_token(profile, removed)


def test_an_undo_restores_the_same_range_and_reason_once(mentor, monday):
    token = removed_token(mentor, monday, monday + timedelta(days=1), reason="Ski trip")
    assert monday in free_days(mentor)
    restored = mentor_profiles.restore_time_off(mentor, token, by=mentor.user, now=NOW)
    assert (restored.first_day, restored.last_day, restored.reason) == (
        monday, monday + timedelta(days=1), "Ski trip"
    )  # fmt: skip
    assert monday not in free_days(mentor)
    again = mentor_profiles.restore_time_off(mentor, token, by=mentor.user, now=NOW)
    assert again.pk == restored.pk and TimeOff.objects.count() == 1


def test_an_undo_restores_a_range_already_under_way(mentor):
    """Blocking could not start yesterday; undoing a removal of a running holiday can."""
    token = removed_token(mentor, TODAY, TODAY + timedelta(days=3))
    restored = mentor_profiles.restore_time_off(
        mentor, token, by=mentor.user, now=NOW + timedelta(days=2)
    )
    assert restored.first_day == TODAY


def test_an_undo_of_a_range_that_has_ended_restores_nothing(mentor):
    token = removed_token(mentor, TODAY, TODAY)
    with pytest.raises(services.MentoringError, match="nothing to restore"):
        mentor_profiles.restore_time_off(mentor, token, by=mentor.user, now=NOW + timedelta(3))
    assert not TimeOff.objects.exists()


def test_an_expired_or_forged_undo_restores_nothing(mentor, monday, monkeypatch):
    token = removed_token(mentor, monday, monday)
    for bad in (token[:-2] + "xx", "", "not-a-token"):
        with pytest.raises(services.MentoringError, match="expired"):
            mentor_profiles.restore_time_off(mentor, bad, by=mentor.user, now=NOW)
    monkeypatch.setattr(mentor_profiles, "UNDO_SECONDS", -1)
    with pytest.raises(services.MentoringError, match="expired"):
        mentor_profiles.restore_time_off(mentor, token, by=mentor.user, now=NOW)
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize("who", ["mentee", "time_off_rival"])
def test_only_the_mentor_undoes_their_own_removal(mentor, time_off_rival, monday, who, request):
    token = removed_token(mentor, monday, monday)
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionError):
        mentor_profiles.restore_time_off(mentor, token, by=getattr(person, "user", person), now=NOW)
    with pytest.raises(services.MentoringError):  # nor on their own profile
        mentor_profiles.restore_time_off(time_off_rival, token, by=time_off_rival.user, now=NOW)
    assert not TimeOff.objects.exists()


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


AVAILABILITY = "/mentors/desk/availability/"


def test_removing_time_off_on_the_page_offers_an_undo_once(client, mentor, clock):
    off = mentor_profiles.block_dates(
        mentor, date(2026, 3, 9), date(2026, 3, 13), reason="Summer holiday", by=mentor.user,
        now=NOW,
    )  # fmt: skip
    client.force_login(mentor.user)
    response = client.post(AVAILABILITY, {"form": "remove-time-off", "time_off": off.pk})
    assert response.status_code == 302 and response["Location"].endswith("#time-off")
    assert not TimeOff.objects.exists()
    page = client.get(AVAILABILITY).content.decode()
    assert "Time off 9 March – 13 March 2026 removed" in page
    assert 'value="undo-remove-time-off"' in page and ">Undo<" in page
    token = re.search(r'name="undo" value="([^"]+)"', page).group(1)
    assert 'value="undo-remove-time-off"' not in client.get(AVAILABILITY).content.decode()

    response = client.post(AVAILABILITY, {"form": "undo-remove-time-off", "undo": token})
    assert response.status_code == 302
    restored = TimeOff.objects.get(mentor=mentor)
    assert (restored.first_day, restored.last_day, restored.reason) == (
        date(2026, 3, 9), date(2026, 3, 13), "Summer holiday"
    )  # fmt: skip
    page = client.get(AVAILABILITY).content.decode()
    assert "You are off from Monday 9 March to Friday 13 March 2026" in page


def test_removing_it_twice_on_the_page_says_it_is_gone(client, mentor, clock):
    off = mentor_profiles.block_dates(mentor, TODAY, TODAY, by=mentor.user, now=NOW)
    client.force_login(mentor.user)
    client.post(AVAILABILITY, {"form": "remove-time-off", "time_off": off.pk})
    client.get(AVAILABILITY)
    client.post(AVAILABILITY, {"form": "remove-time-off", "time_off": off.pk})
    page = client.get(AVAILABILITY).content.decode()
    assert "already removed" in page and 'value="undo-remove-time-off"' not in page


def test_another_mentors_undo_restores_nothing_on_the_page(
    client, mentor, time_off_rival, mentee, monday, clock
):
    token = removed_token(mentor, monday, monday)
    client.force_login(time_off_rival.user)
    response = client.post(AVAILABILITY, {"form": "undo-remove-time-off", "undo": token})
    assert response.status_code == 400
    assert "That undo has expired" in response.content.decode()
    client.force_login(mentee)
    response = client.post(AVAILABILITY, {"form": "undo-remove-time-off", "undo": token})
    assert response.status_code == 403
    assert not TimeOff.objects.exists()
