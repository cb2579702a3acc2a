"""After a session ends, its learner is asked once, by e-mail, to rate it — never for a
cancelled, declined or no-show session, and never twice however often beat runs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

from mentoring import notifications, receivers, services, signals, tasks
from mentoring.models import MentorSession
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db


def asks() -> list:
    return [m for m in mail.outbox if m.subject.startswith("How was your mentoring session")]


@pytest.fixture
def held_session(booked, mentor):
    """Paul marked Lena's session completed during it (Monday 9 March, 10:00–11:00 Berlin)."""
    services.mark_completed(booked, by=mentor.user, now=booked.starts_at + timedelta(minutes=30))
    booked.refresh_from_db()
    mail.outbox.clear()
    return booked


def test_beat_asks_for_feedback_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["mentoring-send-feedback-requests"]
    assert entry["task"] == tasks.send_feedback_requests.name == "mentoring.send_feedback_requests"
    assert entry["schedule"] == 60.0


def test_the_learner_is_asked_once_after_the_session_ends(held_session, mentee):
    after = held_session.ends_at + timedelta(minutes=1)
    assert notifications.send_feedback_requests(now=after) == 1
    (message,) = asks()
    assert message.to == [mentee.email]
    assert "with Paul" in message.subject
    rate = f"{settings.SITE_URL}{held_session.get_absolute_url()}#rate"
    assert rate in message.body
    for later in (after, after + timedelta(minutes=1), after + timedelta(days=2)):
        assert notifications.send_feedback_requests(now=later) == 0
    assert len(asks()) == 1
    held_session.refresh_from_db()
    assert held_session.feedback_requested_at == after


def test_nobody_is_asked_before_the_session_ends(held_session):
    assert notifications.send_feedback_requests(now=held_session.ends_at - timedelta(1)) == 0
    assert asks() == []


def test_a_rated_session_is_not_asked_about(held_session, mentee):
    services.leave_feedback(held_session, by=mentee, rating=4, feedback="", now=NOW)
    assert notifications.send_feedback_requests(now=held_session.ends_at + timedelta(1)) == 0


def test_sessions_long_past_are_not_asked_about(held_session):
    assert notifications.send_feedback_requests(now=held_session.ends_at + timedelta(31)) == 0


def test_cancelled_declined_no_show_and_unclosed_sessions_are_never_asked_about(
    mentor, mentee, omar, monday
):
    cancelled = services.book(mentor, mentee, at(monday, 10), now=NOW)
    services.cancel(cancelled, by=mentee, reason="Ill", now=NOW)
    no_show = services.book(mentor, omar, at(monday, 12), now=NOW)
    services.mark_no_show(no_show, by=mentor.user, side="learner", now=no_show.ends_at)
    unclosed = services.book(mentor, mentee, at(monday, 14), now=NOW)
    choosy = make_mentor("rosa@helix.example", requires_confirmation=True)
    declined = services.book(choosy, omar, at(monday, 16), now=NOW)
    services.decline(declined, by=choosy.user, now=NOW)
    statuses = set(MentorSession.objects.values_list("status", flat=True))
    assert statuses == {"cancelled", "no_show", "confirmed", "declined"}
    assert unclosed.status == "confirmed"
    assert notifications.send_feedback_requests(now=at(monday, 20)) == 0
    assert asks() == []


def test_marking_it_completed_after_it_ended_asks_at_once_and_beat_not_again(
    booked, mentor, clock, django_capture_on_commit_callbacks
):
    clock(booked.ends_at + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_completed(booked, by=mentor.user)
    assert len(asks()) == 1
    assert tasks.send_feedback_requests.apply().get() == 0
    assert len(asks()) == 1


def test_a_failed_e_mail_is_asked_again_next_time(held_session, monkeypatch):
    after = held_session.ends_at + timedelta(minutes=1)

    def broken(*args, **kwargs):
        raise OSError("SMTP is down")

    monkeypatch.setattr(notifications.EmailMultiAlternatives, "send", broken)
    with pytest.raises(OSError):
        notifications.send_feedback_requests(now=after)
    monkeypatch.undo()
    assert notifications.send_feedback_requests(now=after + timedelta(minutes=1)) == 1


def test_completing_a_session_enqueues_the_request(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.session_completed, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.send_feedback_request, "delay", queued.append)
    signals.session_completed.send(sender=MentorSession, session_pk=7)
    assert queued == [7]
    receivers.ask_for_feedback(sender=MentorSession, session_pk=8)
    assert queued == [7, 8]
