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
        assert services.set_meeting_link(
            first, "https://zoom.example/j/123", by=roomy_mentor.user, now=NOW
        )
    changed = MentorSession.objects.get(pk=first.pk)
    assert changed.meeting_url == "https://zoom.example/j/123"
    assert changed.sequence == first.sequence + 1
    second.refresh_from_db()
    assert second.meeting_url == before  # the other session keeps its own
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {mentee.email, roomy_mentor.user.email}
    assert told[mentee.email].subject.startswith("New meeting link:")
    assert "Join: https://zoom.example/j/123" in told[mentee.email].body


def test_the_same_link_again_changes_nothing_and_says_so(
    two_rooms, roomy_mentor, django_capture_on_commit_callbacks
):
    first = two_rooms[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.set_meeting_link(first, first.meeting_url, by=roomy_mentor.user, now=NOW)
    assert changed is False
    assert MentorSession.objects.get(pk=first.pk).sequence == first.sequence
    assert mail.outbox == []


def test_an_empty_link_gives_a_fresh_private_room(two_rooms, roomy_mentor):
    first = two_rooms[0]
    assert services.set_meeting_link(first, "  ", by=roomy_mentor.user, now=NOW) is True
    fresh = MentorSession.objects.get(pk=first.pk)
    assert ROOM.match(fresh.meeting_url) and fresh.meeting_url != first.meeting_url


def test_an_empty_link_gives_a_fixed_link_mentor_their_one_link_again(booked, mentor):
    assert services.set_meeting_link(booked, "", by=mentor.user, now=NOW) is False
    assert MentorSession.objects.get(pk=booked.pk).meeting_url == "https://meet.example/room"


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


def test_the_page_says_nothing_changed_and_sends_no_update_when_the_link_is_the_same(
    client, booked, mentor, clock, django_capture_on_commit_callbacks
):
    """Paul uses one fixed link: an empty link gives that link again, which is no change."""
    client.force_login(mentor.user)
    page = client.get(booked.get_absolute_url()).content.decode()
    assert "leave empty for the link in your mentor profile" in page
    assert "new private video room" not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            booked.get_absolute_url(), {"action": "meeting_link", "meeting_url": ""}, follow=True
        )
    page = response.content.decode()
    assert "Nothing changed" in page and "The meeting link is changed" not in page
    assert mail.outbox == []
    assert MentorSession.objects.get(pk=booked.pk).sequence == booked.sequence


def test_a_changed_link_on_the_page_says_both_get_an_update(client, two_rooms, roomy_mentor, clock):
    client.force_login(roomy_mentor.user)
    first = two_rooms[0]
    assert "new private video room" in client.get(first.get_absolute_url()).content.decode()
    response = client.post(
        first.get_absolute_url(),
        {"action": "meeting_link", "meeting_url": "https://zoom.example/j/7"},
        follow=True,
    )
    assert "The meeting link is changed; both of you get an update." in response.content.decode()


OWN_LINK = "each session gets its own meeting link"


@pytest.mark.parametrize(
    ("own_link", "promised"),
    [
        ("", True),
        ("https://whereby.example/mia-{room}", True),
        ("https://meet.example/mia", False),
    ],
    ids=["default-rooms", "own-link-with-room", "one-fixed-link"],
)
def test_the_booking_page_promises_a_link_per_session_only_when_it_is_true(
    client, roomy_mentor, mentee, own_link, promised
):
    roomy_mentor.meeting_url = own_link
    roomy_mentor.save()
    client.force_login(mentee)
    page = client.get(roomy_mentor.get_absolute_url()).content.decode()
    assert (OWN_LINK in page) is promised


def test_default_rooms_without_room_in_the_setting_are_not_promised_either(
    client, settings, roomy_mentor, mentee
):
    settings.MENTORING_MEETING_ROOM_URL = "https://video.uni.example/lobby"
    client.force_login(mentee)
    assert OWN_LINK not in client.get(roomy_mentor.get_absolute_url()).content.decode()


def location(session) -> str | None:
    _, ics = calendar.invitation(session)
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    return str(event["LOCATION"]) if "LOCATION" in event else None


def test_a_cancelled_or_declined_event_carries_no_link(roomy_mentor, mentee, omar, monday):
    cancelled = services.book(roomy_mentor, mentee, at(monday, 10), now=NOW)
    assert location(cancelled) == cancelled.meeting_url
    services.cancel(cancelled, by=mentee, reason="Ill", now=NOW)
    cancelled.refresh_from_db()
    assert location(cancelled) is None
    roomy_mentor.requires_confirmation = True
    roomy_mentor.save()
    declined = services.book(roomy_mentor, omar, at(monday, 14), now=NOW)
    services.decline(declined, by=roomy_mentor.user, now=NOW)
    declined.refresh_from_db()
    assert declined.status == MentorSession.Status.DECLINED
    assert location(declined) is None
    assert declined.meeting_url not in calendar.feed(omar, [declined]).decode().replace("\r\n ", "")
