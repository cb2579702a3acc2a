"""How mentoring is wired: services announce after commit, receivers enqueue the tasks.

Services never import tasks (docs/architecture.md): a change to a session sends a signal of
``mentoring.signals`` once its transaction commits, and a receiver in ``mentoring.receivers``
(connected in ``MentoringConfig.ready``) enqueues the task, whose name is unchanged.
"""

import pytest

from mentoring import receivers, services, signals, tasks
from mentoring.models import MentorSession
from tests.mentoring.conftest import NOW, at

pytestmark = pytest.mark.django_db

SIGNALS = {
    "session_changed": signals.session_changed,
    "session_completed": signals.session_completed,
    "session_rated": signals.session_rated,
}


@pytest.fixture
def mentoring_announcements():
    """Every mentoring signal sent while the test runs: (name, sender, keyword arguments)."""
    heard = []
    listeners = []
    for name, signal in SIGNALS.items():

        def listen(sender, signal=None, _name=name, **kwargs):
            heard.append((_name, sender, kwargs))

        signal.connect(listen, weak=False)
        listeners.append((signal, listen))
    yield heard
    for signal, listen in listeners:
        signal.disconnect(listen)


def test_booking_announces_the_change_only_after_commit(
    mentor, mentee, monday, mentoring_announcements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session = services.book(mentor, mentee, at(monday, 10), now=NOW)
    assert mentoring_announcements == []  # nothing is sent before the booking commits
    for callback in callbacks:
        callback()
    assert mentoring_announcements == [
        ("session_changed", MentorSession, {"session_pk": session.pk})
    ]


@pytest.mark.parametrize("change", ["cancel", "reschedule"])
def test_each_change_of_a_session_announces_it(
    change, booked, monday, mentoring_announcements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        if change == "cancel":
            services.cancel(booked, by=booked.learner, reason="Ill", now=NOW)
        else:
            services.reschedule(booked, at(monday, 14), by=booked.learner, now=NOW)
    assert mentoring_announcements == [
        ("session_changed", MentorSession, {"session_pk": booked.pk})
    ]


def test_completing_and_rating_a_session_announce_it(
    booked, mentor, mentoring_announcements, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks.session_completed, "delay", lambda pk: None)
    monkeypatch.setattr(tasks.evaluate_programmes, "delay", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_completed(booked, by=mentor.user, now=booked.ends_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.leave_feedback(booked, by=booked.learner, rating=5, feedback="", now=NOW)
    assert mentoring_announcements == [
        ("session_completed", MentorSession, {"session_pk": booked.pk}),
        (
            "session_rated",
            MentorSession,
            {"session_pk": booked.pk, "learner_pk": booked.learner_id},
        ),
    ]


@pytest.mark.parametrize(
    "signal, arguments, task, expected",
    [
        (signals.session_changed, {"session_pk": 3}, tasks.send_invitation, 3),
        (signals.session_completed, {"session_pk": 4}, tasks.session_completed, 4),
        (signals.session_rated, {"session_pk": 5, "learner_pk": 6}, tasks.evaluate_programmes, 6),
    ],
)
def test_each_signal_enqueues_its_task_once(signal, arguments, task, expected, monkeypatch):
    queued = []
    monkeypatch.setattr(task, "delay", queued.append)
    signal.send(sender=MentorSession, **arguments)
    assert queued == [expected]  # connected once, however often ``ready()`` ran


def test_the_receivers_only_enqueue(monkeypatch):
    queued = []
    for task in (tasks.send_invitation, tasks.session_completed, tasks.evaluate_programmes):
        monkeypatch.setattr(task, "delay", lambda pk, _name=task.name: queued.append((_name, pk)))
    receivers.send_invitation(sender=MentorSession, session_pk=1)
    receivers.count_completed_session(sender=MentorSession, session_pk=2)
    receivers.evaluate_programmes(sender=MentorSession, session_pk=2, learner_pk=9)
    assert queued == [
        ("mentoring.send_invitation", 1),
        ("mentoring.session_completed", 2),
        ("mentoring.evaluate_programmes", 9),
    ]
