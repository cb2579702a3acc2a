"""A mentor declines a request: an optional message, an e-mail to the learner, the time free
again; declining twice, or a request the learner just withdrew, is harmless.

Personas: ``choosy_mentor`` (Rosa, who confirms each request), ``mentee`` (Lena, who asked),
``mentor`` (Paul, another mentor), ``omar`` (another learner), ``decline_outside_staff``
(staff of an institution that is not Rosa's)."""

from datetime import timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from cms import roles
from mentoring import services
from mentoring.models import MentorSession
from tests.credentials.factories import make_issuer
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db
Status = MentorSession.Status


@pytest.fixture
def choosy_mentor(db):
    return make_mentor("rosa@helix.example", requires_confirmation=True, meeting_url="")


@pytest.fixture
def pending_request(choosy_mentor, mentee, monday):
    """Lena asks Rosa for Monday 9 March 2026, 10:00 Berlin; Rosa has not answered."""
    session = services.book(choosy_mentor, mentee, at(monday, 10), goal="Pitch", now=NOW)
    assert session.status == Status.REQUESTED
    mail.outbox.clear()
    return session


@pytest.fixture
def decline_outside_staff(make_user):
    user = make_user("staff@elsewhere-decline.example", roles.ISSUER_STAFF)
    make_issuer("elsewhere-decline").staff.add(user)
    return user


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run a service and then what it does after its transaction commits (the e-mails)."""

    def run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return run


def calendar_parts(message) -> list[Calendar]:
    return [
        Calendar.from_ical(part.get_payload(decode=True))
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


def test_declining_tells_the_learner_with_the_message_and_frees_the_time(
    on_commit, pending_request, choosy_mentor, mentee
):
    on_commit(
        services.decline,
        pending_request,
        by=choosy_mentor.user,
        message="I am at a fair that week.",
        now=NOW,
    )
    pending_request.refresh_from_db()
    assert pending_request.status == Status.DECLINED
    assert pending_request.cancellation_reason == "I am at a fair that week."
    assert not pending_request.reminders.filter(handled_at__isnull=True).exists()

    to_learner = [m for m in mail.outbox if m.to == [mentee.email]]
    assert len(to_learner) == 1
    message = to_learner[0]
    assert message.subject.startswith("Declined: mentoring with Rosa")
    assert "Rosa declined your request" in message.body
    assert "Message from Rosa: I am at a fair that week." in message.body
    assert choosy_mentor.get_absolute_url() in message.body  # pick another time
    (calendar,) = calendar_parts(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"

    free = services.free_slots_for(choosy_mentor, now=NOW)
    assert pending_request.starts_at in [slot.start for slot in free]


def test_the_message_is_optional(on_commit, pending_request, choosy_mentor, mentee):
    on_commit(services.decline, pending_request, by=choosy_mentor.user, now=NOW)
    body = next(m.body for m in mail.outbox if m.to == [mentee.email])
    assert "declined your request" in body and "Message from" not in body


def test_another_learner_can_book_the_declined_time(
    on_commit, pending_request, choosy_mentor, omar
):
    on_commit(services.decline, pending_request, by=choosy_mentor.user, now=NOW)
    again = services.book(choosy_mentor, omar, pending_request.starts_at, now=NOW)
    assert again.status == Status.REQUESTED


def test_declining_twice_changes_nothing_and_e_mails_once(
    on_commit, pending_request, choosy_mentor, mentee
):
    first = on_commit(
        services.decline, pending_request, by=choosy_mentor.user, message="Sorry", now=NOW
    )
    second = on_commit(
        services.decline,
        pending_request,
        by=choosy_mentor.user,
        message="Other words",
        now=NOW + timedelta(hours=1),
    )
    assert second.sequence == first.sequence
    assert second.cancellation_reason == "Sorry"
    assert len([m for m in mail.outbox if m.to == [mentee.email]]) == 1


def test_declining_a_request_the_learner_just_withdrew_is_harmless(
    on_commit, pending_request, choosy_mentor, mentee
):
    on_commit(services.cancel, pending_request, by=mentee, reason="Found another mentor", now=NOW)
    mail.outbox.clear()
    result = on_commit(
        services.decline, pending_request, by=choosy_mentor.user, message="No", now=NOW
    )
    assert result.status == Status.CANCELLED
    assert result.cancellation_reason == "Found another mentor"
    assert mail.outbox == []


def test_a_confirmed_session_is_cancelled_not_declined(on_commit, pending_request, choosy_mentor):
    on_commit(services.confirm, pending_request, by=choosy_mentor.user, now=NOW)
    with pytest.raises(services.MentoringError, match="Cancel it instead"):
        on_commit(services.decline, pending_request, by=choosy_mentor.user, now=NOW)
    pending_request.refresh_from_db()
    assert pending_request.status == Status.CONFIRMED


@pytest.mark.parametrize("who", ["mentee", "mentor", "decline_outside_staff"])
def test_only_the_mentor_of_the_request_may_decline_it(on_commit, pending_request, who, request):
    person = request.getfixturevalue(who)
    person = getattr(person, "user", person)  # ``mentor`` is another mentor's profile
    with pytest.raises(PermissionError):
        on_commit(services.decline, pending_request, by=person, now=NOW)
    pending_request.refresh_from_db()
    assert pending_request.status == Status.REQUESTED


# --- the page --------------------------------------------------------------------------------


def test_the_mentor_declines_on_the_session_page(client, pending_request, choosy_mentor, clock):
    client.force_login(choosy_mentor.user)
    page = client.get(pending_request.get_absolute_url()).content.decode()
    assert "Decline the request" in page and "Confirm the session" in page
    response = client.post(
        pending_request.get_absolute_url(),
        {"action": "decline", "message": "Try Paul instead."},
    )
    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == Status.DECLINED
    page = client.get(pending_request.get_absolute_url()).content.decode()
    assert "Declined" in page and "Try Paul instead." in page
    assert "Decline the request" not in page


def test_the_learner_sees_no_decline_and_cannot_post_one(client, pending_request, mentee, clock):
    client.force_login(mentee)
    page = client.get(pending_request.get_absolute_url()).content.decode()
    assert "Decline the request" not in page
    response = client.post(pending_request.get_absolute_url(), {"action": "decline"})
    assert response.status_code == 403
    pending_request.refresh_from_db()
    assert pending_request.status == Status.REQUESTED


def test_a_too_long_message_is_refused_on_the_page(client, pending_request, choosy_mentor, clock):
    client.force_login(choosy_mentor.user)
    response = client.post(
        pending_request.get_absolute_url(), {"action": "decline", "message": "x" * 501}
    )
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    pending_request.refresh_from_db()
    assert pending_request.status == Status.REQUESTED
