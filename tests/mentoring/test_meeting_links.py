"""Each booking meets at its own link: by default a private video room with an unguessable
name, shown to both sides, in the invitation and its .ics; the mentor may change one session's.

Personas: ``roomy_mentor`` (Mia, who gave no link of her own), ``mentor`` (Paul, who uses his
own fixed link), ``mentee`` and ``omar`` (learners)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from mentoring import calendar, services
from mentoring.conf import settings as conf
from mentoring.models import MentorSession
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db
ROOM = re.compile(r"^https://meet\.jit\.si/cocreate-[0-9a-f]{32}$")


@pytest.fixture
def roomy_mentor(db):
    return make_mentor("mia@helix.example", meeting_url="")


@pytest.fixture
def two_rooms(roomy_mentor, mentee, omar, monday):
    return (
        services.book(roomy_mentor, mentee, at(monday, 10), now=NOW),
        services.book(roomy_mentor, omar, at(monday, 14), now=NOW),
    )


def test_each_booking_gets_its_own_unguessable_room_by_default(two_rooms):
    first, second = two_rooms
    assert ROOM.match(first.meeting_url) and ROOM.match(second.meeting_url)
    assert first.meeting_url != second.meeting_url


def test_the_default_room_address_is_a_setting(settings, roomy_mentor, mentee, monday):
    settings.MENTORING_MEETING_ROOM_URL = "https://video.uni.example/r/{room}"
    session = services.book(roomy_mentor, mentee, at(monday, 10), now=NOW)
    assert re.match(r"^https://video\.uni\.example/r/[0-9a-f]{32}$", session.meeting_url)
    assert conf.MENTORING_MEETING_ROOM_URL.endswith("{room}")


def test_a_mentor_template_with_room_gives_a_room_per_session(roomy_mentor, mentee, omar, monday):
    roomy_mentor.meeting_url = "https://whereby.example/mia-{room}"
    roomy_mentor.save()
    a = services.book(roomy_mentor, mentee, at(monday, 10), now=NOW)
    b = services.book(roomy_mentor, omar, at(monday, 14), now=NOW)
    assert a.meeting_url.startswith("https://whereby.example/mia-")
    assert a.meeting_url != b.meeting_url


def test_a_mentor_who_chose_one_fixed_link_keeps_it(booked, mentor):
    assert booked.meeting_url == mentor.meeting_url == "https://meet.example/room"


def test_the_link_is_in_the_invitation_and_its_calendar_file(
    roomy_mentor, mentee, monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.book(roomy_mentor, mentee, at(monday, 10), now=NOW)
    assert {m.to[0] for m in mail.outbox} == {mentee.email, roomy_mentor.user.email}
    for message in mail.outbox:
        assert f"Join: {session.meeting_url}" in message.body
    _, ics = calendar.invitation(session)
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == session.meeting_url
    assert session.meeting_url in str(event["DESCRIPTION"])


def test_both_sides_see_the_link_on_the_session_page(client, two_rooms, mentee, roomy_mentor):
    session = two_rooms[0]
    for person in (mentee, roomy_mentor.user):
        client.force_login(person)
        assert session.meeting_url in client.get(session.get_absolute_url()).content.decode()


def test_the_mentor_changes_one_sessions_link_and_both_are_told(
    two_rooms, roomy_mentor, mentee, django_capture_on_commit_callbacks
):
    first, second = two_rooms
    before = second.meeting_url
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.set_meeting_link(
            first, "https://zoom.example/j/123", by=roomy_mentor.user, now=NOW
        )
    assert changed.meeting_url == "https://zoom.example/j/123"
    assert changed.sequence == first.sequence + 1
    second.refresh_from_db()
    assert second.meeting_url == before  # the other session keeps its own
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {mentee.email, roomy_mentor.user.email}
    assert told[mentee.email].subject.startswith("New meeting link:")
    assert "Join: https://zoom.example/j/123" in told[mentee.email].body


def test_the_same_link_again_changes_nothing(two_rooms, roomy_mentor):
    first = two_rooms[0]
    again = services.set_meeting_link(first, first.meeting_url, by=roomy_mentor.user, now=NOW)
    assert again.sequence == first.sequence


def test_an_empty_link_gives_a_fresh_private_room(two_rooms, roomy_mentor):
    first = two_rooms[0]
    fresh = services.set_meeting_link(first, "  ", by=roomy_mentor.user, now=NOW)
    assert ROOM.match(fresh.meeting_url) and fresh.meeting_url != first.meeting_url


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "ftp://files.example/x",
        "not a link",
        "https://x.example/" + "a" * 200,
    ],
)
def test_a_bad_link_is_refused(two_rooms, roomy_mentor, bad):
    first = two_rooms[0]
    with pytest.raises(services.MentoringError) as refused:
        services.set_meeting_link(first, bad, by=roomy_mentor.user, now=NOW)
    assert refused.value.field == "meeting_url"
    first.refresh_from_db()
    assert ROOM.match(first.meeting_url)


@pytest.mark.parametrize("who", ["mentee", "omar", "mentor"])
def test_only_the_sessions_mentor_changes_its_link(two_rooms, who, request):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionError):
        services.set_meeting_link(
            two_rooms[0], "https://evil.example/", by=getattr(person, "user", person), now=NOW
        )


def test_the_link_of_a_past_or_cancelled_session_stays(two_rooms, roomy_mentor, omar):
    first, second = two_rooms
    with pytest.raises(services.MentoringError, match="upcoming"):
        services.set_meeting_link(
            first, "https://x.example/", by=roomy_mentor.user, now=first.ends_at + timedelta(1)
        )
    services.cancel(second, by=omar, reason="Ill", now=NOW)
    with pytest.raises(services.MentoringError, match="upcoming"):
        services.set_meeting_link(second, "https://x.example/", by=roomy_mentor.user, now=NOW)


def test_the_mentor_changes_the_link_on_the_session_page(client, two_rooms, roomy_mentor, clock):
    first = two_rooms[0]
    client.force_login(roomy_mentor.user)
    assert (
        "Change the link of this session" in client.get(first.get_absolute_url()).content.decode()
    )
    response = client.post(
        first.get_absolute_url(), {"action": "meeting_link", "meeting_url": "not a link"}
    )
    assert response.status_code == 400
    assert "Paste the full meeting link" in response.content.decode()
    response = client.post(
        first.get_absolute_url(),
        {"action": "meeting_link", "meeting_url": "https://zoom.example/j/9"},
    )
    assert response.status_code == 302
    assert MentorSession.objects.get(pk=first.pk).meeting_url == "https://zoom.example/j/9"


def test_the_learner_is_not_offered_the_change(client, two_rooms, mentee, clock):
    client.force_login(mentee)
    page = client.get(two_rooms[0].get_absolute_url()).content.decode()
    assert "Change the link of this session" not in page
    response = client.post(
        two_rooms[0].get_absolute_url(),
        {"action": "meeting_link", "meeting_url": "https://evil.example/"},
    )
    assert response.status_code == 403
