"""Signal receivers of the mentoring app (connected in ``MentoringConfig.ready``).

Each turns something a service did, after its transaction committed, into background work (a
task). Receivers call tasks; services never do. The change is stored by then: a task queue that
is down is logged, never turned into an error for the person who made the change.
"""

from __future__ import annotations

import logging
from typing import Any

from mentoring import tasks

log = logging.getLogger(__name__)


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


def evaluate_programmes(sender: Any, learner_pk: int, **kwargs: Any) -> None:
    """``session_rated``: award the programme badges the learner has earned."""
    _queue(tasks.evaluate_programmes, learner_pk)
