"""The mentor desk lists each session once, in its section; saved exceptions read as sentences."""

import pytest

from mentoring import services
from mentoring.models import MentorSession
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_mentor(db):
    return make_mentor("rosa@helix.example", requires_confirmation=True)


@pytest.fixture
def desk_sessions(desk_mentor, mentee, omar, monday):
    """One request Rosa has not answered yet, and one she confirmed."""
    waiting = services.book(desk_mentor, mentee, at(monday, 10), goal="Waiting goal", now=NOW)
    confirmed = services.book(desk_mentor, omar, at(monday, 14), goal="Sure goal", now=NOW)
    services.confirm(confirmed, by=desk_mentor.user, now=NOW)
    return waiting, confirmed


def test_a_request_is_only_under_requests_and_a_confirmed_one_only_under_upcoming(
    desk_mentor, desk_sessions
):
    waiting, confirmed = desk_sessions
    report = services.mentor_report(desk_mentor, now=NOW)
    assert list(report["requests"]) == [waiting]
    assert list(report["upcoming"]) == [confirmed]


def test_the_desk_page_shows_each_session_once(client, desk_mentor, desk_sessions, clock):
    waiting, confirmed = desk_sessions
    client.force_login(desk_mentor.user)
    page = client.get("/mentors/desk/").content.decode()
    assert page.count(waiting.get_absolute_url()) == 1
    assert page.count(confirmed.get_absolute_url()) == 1
    requests, upcoming = page.split('id="upcoming-title"')
    assert "Waiting goal" in requests and "Waiting goal" not in upcoming
    assert "Sure goal" in upcoming and "Sure goal" not in requests


def test_with_only_requests_the_upcoming_section_says_what_to_do(
    client, desk_mentor, mentee, monday, clock
):
    services.book(desk_mentor, mentee, at(monday, 10), now=NOW)
    client.force_login(desk_mentor.user)
    page = client.get("/mentors/desk/").content.decode()
    assert "Confirm the requests above and they move here." in page
    assert MentorSession.objects.get().status == "requested"


def test_other_hours_on_a_date_read_as_a_sentence(client, mentor, clock):
    client.force_login(mentor.user)
    response = client.post(
        "/mentors/desk/availability/",
        {"form": "override", "date": "2026-03-14", "hours": "10:00–12:00, 14:00–16:00"},
        follow=True,
    )
    page = response.content.decode()
    assert "On Saturday 14 March 2026 you offer 10:00–12:00, 14:00–16:00 instead of your " in page
    assert "is now other hours" not in page


def test_a_day_off_reads_as_a_sentence(client, mentor, clock):
    client.force_login(mentor.user)
    response = client.post(
        "/mentors/desk/availability/", {"form": "override", "date": "2026-03-10"}, follow=True
    )
    assert "Tuesday 10 March 2026 is now a day off." in response.content.decode()
