"""iCalendar invitations by e-mail (RFC 5545/5546) and the private, revocable feed."""

import pytest
from django.core import mail
from icalendar import Calendar

from mentoring import calendar as mentoring_calendar
from mentoring import notifications, services
from tests.mentoring.conftest import NOW, at

pytestmark = pytest.mark.django_db


def calendars(messages):
    """(content type parameters, parsed calendar) of each message's text/calendar part."""
    found = []
    for message in messages:
        for part in message.message().walk():
            if part.get_content_type() == "text/calendar":
                found.append((dict(part.get_params()), Calendar.from_ical(part.get_payload(
                    decode=True))))  # fmt: skip
    return found


def event(calendar):
    return calendar.walk("VEVENT")[0]


def book(mentor, mentee, moment, capture):
    with capture(execute=True):
        return services.book(mentor, mentee, moment, goal="Plan a pilot", now=NOW)


def test_booking_e_mails_both_sides_an_invitation(mentor, mentee, monday,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    book(mentor, mentee, at(monday, 10), django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.user.email])
    assert all(m.subject.startswith("Booked:") for m in mail.outbox)


def test_the_invitation_is_a_request_sent_as_text_calendar_with_method(
    mentor, mentee, monday, django_capture_on_commit_callbacks
):
    book(mentor, mentee, at(monday, 10), django_capture_on_commit_callbacks)
    params, calendar = calendars(mail.outbox)[0]
    assert params["method"] == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    assert event(calendar)["STATUS"] == "CONFIRMED"
    assert event(calendar)["SEQUENCE"] == 0


def test_the_invitation_also_comes_as_an_ics_attachment(
    mentor, mentee, monday, django_capture_on_commit_callbacks
):
    book(mentor, mentee, at(monday, 10), django_capture_on_commit_callbacks)
    names = [a[0] if isinstance(a, tuple) else a.filename for a in mail.outbox[0].attachments]
    assert names == ["invite.ics"]


def test_the_event_has_organizer_attendee_and_the_mentors_vtimezone(
    mentor, mentee, monday, django_capture_on_commit_callbacks
):
    book(mentor, mentee, at(monday, 10), django_capture_on_commit_callbacks)
    _, calendar = calendars(mail.outbox)[0]
    vevent = event(calendar)
    assert str(vevent["ORGANIZER"]) == f"mailto:{mentor.user.email}"
    attendees = [str(a) for a in vevent["ATTENDEE"]]
    assert f"mailto:{mentee.email}" in attendees
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert vevent.decoded("DTSTART").hour == 10  # 10:00 on the mentor's wall clock


def test_the_uid_stays_and_the_sequence_rises_through_reschedule_and_cancel(
    mentor, mentee, monday, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    session = book(mentor, mentee, at(monday, 10), capture)
    with capture(execute=True):
        services.reschedule(session, at(monday, 14), by=mentee, now=NOW)
    with capture(execute=True):
        services.cancel(session, by=mentee, reason="Exam moved", now=NOW)
    learner_mail = [m for m in mail.outbox if m.to == [mentee.email]]
    steps = [(p["method"], event(c)["SEQUENCE"], str(event(c)["STATUS"]), str(event(c)["UID"]))
             for p, c in calendars(learner_mail)]  # fmt: skip
    assert [s[:3] for s in steps] == [
        ("REQUEST", 0, "CONFIRMED"),
        ("REQUEST", 1, "CONFIRMED"),
        ("CANCEL", 2, "CANCELLED"),
    ]
    assert len({s[3] for s in steps}) == 1
    assert learner_mail[1].subject.startswith("Moved:")
    assert learner_mail[2].subject.startswith("Cancelled:")


def test_a_requested_session_is_tentative_until_confirmed(
    mentee, monday, django_capture_on_commit_callbacks
):
    from tests.mentoring.conftest import make_mentor

    mentor = make_mentor("anouk@uni.example", requires_confirmation=True)
    session = book(mentor, mentee, at(monday, 10), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(session, by=mentor.user, now=NOW)
    statuses = [str(event(c)["STATUS"]) for _, c in calendars(mail.outbox)]
    assert statuses == ["TENTATIVE", "TENTATIVE", "CONFIRMED", "CONFIRMED"]


def test_sending_the_same_sequence_twice_sends_once(booked):
    assert notifications.send_invitation(booked.pk) is True
    assert notifications.send_invitation(booked.pk) is False
    assert len(mail.outbox) == 2  # one per side


def test_the_feed_lists_a_persons_sessions(client, booked, mentee, clock):
    feed = services.feed_for(mentee)
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        str(event(Calendar.from_ical(mentoring_calendar.invitation(booked)[1]))["UID"])
    ]


def test_the_feed_keeps_a_cancelled_session_marked_cancelled(client, booked, mentee, clock):
    services.cancel(booked, by=mentee, reason="Exam moved", now=NOW)
    calendar = Calendar.from_ical(client.get(services.feed_for(mentee).get_absolute_url()).content)
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]


def test_a_new_feed_address_stops_the_old_one(client, mentee):
    old = services.feed_for(mentee).get_absolute_url()
    services.rotate_feed(mentee)
    assert client.get(old).status_code == 404
    assert client.get(services.feed_for(mentee).get_absolute_url()).status_code == 200


def test_an_unknown_feed_address_is_not_found(client, db):
    assert client.get("/mentors/calendar/not-a-token.ics").status_code == 404


def test_the_feed_of_one_person_does_not_show_anothers_sessions(client, booked, omar):
    calendar = Calendar.from_ical(client.get(services.feed_for(omar).get_absolute_url()).content)
    assert calendar.walk("VEVENT") == []


def test_the_session_ics_download_is_for_its_people_only(client, booked, omar):
    client.force_login(omar)
    assert client.get(f"/mentors/sessions/{booked.uid}/invite.ics").status_code == 404
    client.force_login(booked.learner)
    response = client.get(f"/mentors/sessions/{booked.uid}/invite.ics")
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content
