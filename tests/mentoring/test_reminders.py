"""Reminders 24 h and 1 h before, sent by Celery beat from due rows, once each."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

from mentoring import notifications, services, tasks
from mentoring.models import SessionReminder
from tests.mentoring.conftest import NOW, at

pytestmark = pytest.mark.django_db


def reminder_mail():
    return [m for m in mail.outbox if m.subject.startswith("Reminder:")]


def test_beat_runs_the_reminder_task_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["mentoring-send-due-reminders"]
    assert entry["task"] == tasks.send_due_reminders.name == "mentoring.send_due_reminders"
    assert entry["schedule"] == 60.0


def test_a_due_reminder_goes_to_both_sides(booked):
    sent = notifications.send_due_reminders(now=booked.starts_at - timedelta(hours=23))
    assert sent == 1
    assert sorted(m.to[0] for m in reminder_mail()) == sorted(
        [booked.learner.email, booked.mentor.user.email]
    )
    assert "tomorrow" in reminder_mail()[0].subject


def test_a_reminder_is_sent_once_however_often_beat_runs(booked):
    moment = booked.starts_at - timedelta(minutes=50)
    notifications.send_due_reminders(now=moment)
    notifications.send_due_reminders(now=moment)
    notifications.send_due_reminders(now=moment + timedelta(minutes=1))
    assert len(reminder_mail()) == 4  # the 24 h and the 1 h reminder, to two people each
    assert not SessionReminder.objects.filter(handled_at__isnull=True).exists()


def test_a_reminder_not_yet_due_waits(booked):
    assert notifications.send_due_reminders(now=booked.starts_at - timedelta(hours=25)) == 0
    assert reminder_mail() == []


def test_a_cancelled_session_gets_no_reminder(booked, mentee):
    services.cancel(booked, by=mentee, reason="Exam moved", now=NOW)
    SessionReminder.objects.create(
        session=booked, kind="1h", for_starts_at=booked.starts_at,
        due_at=booked.starts_at - timedelta(hours=1),
    )  # fmt: skip
    assert notifications.send_due_reminders(now=booked.starts_at - timedelta(minutes=30)) == 0
    assert SessionReminder.objects.get().outcome == "skipped: session cancelled"


def test_a_rescheduled_session_gets_fresh_reminders_for_the_new_time(booked, mentee, monday):
    notifications.send_due_reminders(now=booked.starts_at - timedelta(hours=23))  # 24 h one sent
    new_start = at(monday + timedelta(days=2), 14)
    services.reschedule(booked, new_start, by=mentee, now=booked.starts_at - timedelta(hours=30))
    pending = SessionReminder.objects.filter(handled_at__isnull=True, session=booked)
    assert sorted(pending.values_list("for_starts_at", flat=True)) == [new_start, new_start]
    mail.outbox.clear()
    assert notifications.send_due_reminders(now=new_start - timedelta(minutes=59)) == 2
    assert all("14:00" in m.body or "09:00" in m.body or "13:00" in m.body for m in mail.outbox)


def test_a_reminder_for_an_old_start_is_skipped(booked, mentee, monday):
    stale = SessionReminder.objects.create(
        session=booked, kind="1h", for_starts_at=booked.starts_at - timedelta(days=1),
        due_at=NOW,
    )  # fmt: skip
    notifications.send_due_reminders(now=NOW + timedelta(minutes=1))
    stale.refresh_from_db()
    assert stale.outcome == "skipped: session moved"


def test_a_booking_less_than_a_day_ahead_gets_only_the_one_hour_reminder(mentor, mentee):
    soon = at(NOW.date(), 15)  # Monday 2 March, 15:00 Berlin: 6 hours after NOW
    session = services.book(mentor, mentee, soon, now=NOW)
    assert list(session.reminders.values_list("kind", flat=True)) == ["1h"]


def test_the_beat_task_only_calls_the_service(booked, monkeypatch):
    calls = []
    monkeypatch.setattr(notifications, "send_due_reminders", lambda: calls.append(1) or 7)
    assert tasks.send_due_reminders.delay().get() == 7
    assert calls == [1]
