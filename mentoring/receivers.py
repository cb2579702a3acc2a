"""Signal receivers of the mentoring app (connected in ``MentoringConfig.ready``).

Each turns something a service did, after its transaction committed, into background work (a
task). Receivers call tasks; services never do. The change is stored by then: a task queue that
is down is logged, never turned into an error for the person who made the change.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import close_old_connections, connection

from mentoring import tasks
from mentoring.conf import settings as conf

log = logging.getLogger(__name__)
BEAT_SECONDS = 60.0  # as often as Celery beat runs the reminders (cms/settings/base.py)


def _queue(task: Any, *args: Any) -> None:
    try:
        task.delay(*args)
    except Exception:  # e.g. kombu's OperationalError: Redis is down; the change is committed
        log.exception("Could not queue %s%s", task.name, args)


def send_invitation(sender: Any, session_pk: int, **kwargs: Any) -> None:
    """``session_changed``: e-mail both sides the session's iCalendar message."""
    _queue(tasks.send_invitation, session_pk)


def count_completed_session(sender: Any, session_pk: int, **kwargs: Any) -> None:
    """``session_completed``: course completions and programme badges, in the background."""
    _queue(tasks.session_completed, session_pk)


def ask_for_feedback(sender: Any, session_pk: int, **kwargs: Any) -> None:
    """``session_completed``: ask the learner to rate it, if it has ended (else beat will)."""
    _queue(tasks.send_feedback_request, session_pk)


def evaluate_programmes(sender: Any, learner_pk: int, **kwargs: Any) -> None:
    """``session_rated``: award the programme badges the learner has earned."""
    _queue(tasks.evaluate_programmes, learner_pk)


# --- due work without Celery beat (make run) ------------------------------------------------


class _InProcessBeat:
    """One daemon thread per process that runs the beat's mentoring tasks every minute."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()

    def start(self) -> bool:
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                return False
            self.stop.clear()
            self.thread = threading.Thread(
                target=self._run, name="mentoring-in-process-beat", daemon=True
            )
            self.thread.start()
            return True

    def _run(self) -> None:
        while not self.stop.is_set():
            close_old_connections()
            try:
                run_due_work()
            finally:
                connection.close()  # this thread's own connection; a fresh one next minute
            self.stop.wait(BEAT_SECONDS)

    def halt(self, timeout: float = 5.0) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout)


in_process_beat = _InProcessBeat()


def run_due_work_in_process(sender: Any, **kwargs: Any) -> None:
    """``request_started``: with ``MENTORING_DUE_WORK_IN_PROCESS`` (``make run``, where no beat
    runs), start the in-process beat once; later requests find it running."""
    if conf.MENTORING_DUE_WORK_IN_PROCESS:
        in_process_beat.start()


def run_due_work() -> None:
    """The mentoring part of beat, here and now: due reminders, feedback requests and the
    invitations of changes made while the task queue was down. Each sends once, so running it
    beside a real beat is harmless."""
    for task in (
        tasks.send_due_reminders,
        tasks.send_feedback_requests,
        tasks.send_pending_invitations,
    ):
        try:
            task.apply(throw=True)
        except Exception:  # one failing task must not stop the others, nor the thread
            log.exception("In-process beat: %s failed; it runs again in a minute", task.name)
