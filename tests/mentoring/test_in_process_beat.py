"""Under `make run` no Celery beat runs: with ``MENTORING_DUE_WORK_IN_PROCESS`` (on in
cms/settings/dev.py, off elsewhere) a thread of the web process sends due reminders and
feedback requests, each once."""

import ast
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail

from mentoring import receivers, services
from mentoring.conf import settings as conf
from mentoring.models import SessionReminder
from tests.mentoring.conftest import NOW, at, make_mentor

ROOT = Path(__file__).resolve().parents[2]


def reminders_sent() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Reminder:")]


@pytest.fixture
def beat_stopped_after():
    """Whatever a test starts, the in-process beat is stopped when it ends."""
    yield receivers.in_process_beat
    receivers.in_process_beat.halt()


def test_it_is_on_under_make_run_and_off_by_default():
    assert conf._declared["MENTORING_DUE_WORK_IN_PROCESS"].default is False
    dev = ast.parse((ROOT / "cms" / "settings" / "dev.py").read_text(encoding="utf-8"))
    assigned = {
        target.id: ast.unparse(node.value)
        for node in dev.body
        if isinstance(node, ast.Assign)
        for target in node.targets
    }
    assert assigned["MENTORING_DUE_WORK_IN_PROCESS"].endswith("True)")


@pytest.mark.django_db
def test_with_the_setting_off_a_request_starts_nothing(client, settings, monkeypatch):
    settings.MENTORING_DUE_WORK_IN_PROCESS = False
    started = []
    monkeypatch.setattr(receivers.in_process_beat, "start", lambda: started.append(1))
    client.get("/mentors/")
    assert started == []


@pytest.mark.django_db(transaction=True)
def test_with_the_setting_on_a_due_reminder_goes_out_without_beat_once(
    client, settings, clock, mentee, beat_stopped_after
):
    settings.MENTORING_DUE_WORK_IN_PROCESS = True
    mentor = make_mentor("paul@helix.example")
    session = services.book(mentor, mentee, at(NOW.date() + timedelta(days=7), 10), now=NOW)
    clock(session.starts_at - timedelta(hours=23))  # the 24-hour reminder is due
    mail.outbox.clear()

    client.get("/mentors/")  # the first request starts the in-process beat
    beat = beat_stopped_after
    thread = beat.thread
    deadline = time.monotonic() + 20
    while len(reminders_sent()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    client.get("/mentors/")  # a later request finds it running
    assert beat.thread is thread and thread.is_alive()
    beat.halt()

    assert sorted(m.to[0] for m in reminders_sent()) == sorted([mentee.email, mentor.user.email])
    day = SessionReminder.objects.get(session=session, kind=SessionReminder.Kind.DAY)
    assert day.outcome == "sent"
    receivers.run_due_work()  # the next minute sends nothing again
    assert len(reminders_sent()) == 2
