"""The database refusing a write in the middle of a booking: nothing is half-stored (no session
without its reminders, no invitation queued), the learner reads a clear message instead of a
server error, and booking again works, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError

from cms import roles
from mentoring import notifications
from mentoring.models import MentorSession, SessionReminder
from mentoring.services import booking
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def faults_booking(client, make_user, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    mentor = make_mentor("paul@helix.example")
    learner = make_user("lena@example.org", roles.LEARNERS, time_zone="Europe/Berlin")
    client.force_login(learner)
    start = at(NOW.date() + timedelta(days=7), 10)
    data = {"start": start.isoformat(), "goal": "Plan a pilot", "agenda": "",
            "idempotency_key": "key-1"}  # fmt: skip
    return mentor, data


@pytest.fixture
def faults_refusing_write(monkeypatch):
    """The reminders' write fails after the session row is written (a lost connection)."""
    real = notifications.schedule_reminders

    def refuse(session, **kwargs):
        real(session, **kwargs)
        assert MentorSession.objects.filter(pk=session.pk).exists()  # written, not committed
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(notifications, "schedule_reminders", refuse)
    return lambda: monkeypatch.setattr(notifications, "schedule_reminders", real)


def test_a_refused_write_stores_nothing_queues_nothing_and_says_so(
    client, faults_booking, faults_refusing_write, django_capture_on_commit_callbacks
):
    mentor, data = faults_booking
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(mentor.get_absolute_url(), data)
    assert response.status_code == 200
    assert "could not save your booking" in response.content.decode()
    assert MentorSession.objects.count() == 0
    assert SessionReminder.objects.count() == 0
    assert callbacks == [] and mail.outbox == []


def test_booking_again_after_the_refusal_books_once(
    client, faults_booking, faults_refusing_write, django_capture_on_commit_callbacks
):
    mentor, data = faults_booking
    with django_capture_on_commit_callbacks(execute=True):
        client.post(mentor.get_absolute_url(), data)
    faults_refusing_write()  # the database is back
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(mentor.get_absolute_url(), data)
        second = client.post(mentor.get_absolute_url(), data)  # the same form sent twice
    assert first.status_code == second.status_code == 302
    session = MentorSession.objects.get()
    assert SessionReminder.objects.filter(session=session).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["lena@example.org", "paul@helix.example"]


def test_the_service_raises_a_booking_error_not_a_database_error(
    faults_booking, faults_refusing_write
):
    from django.contrib.auth import get_user_model

    mentor, data = faults_booking
    learner = get_user_model().objects.get(email="lena@example.org")
    with pytest.raises(booking.BookingError) as error:
        booking.book(mentor, learner, at(NOW.date() + timedelta(days=7), 10), now=NOW)
    assert error.value.reason == booking.UNSAVED
    assert MentorSession.objects.count() == 0
