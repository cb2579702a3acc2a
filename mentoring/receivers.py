"""Signal receivers of the mentoring app (connected in ``MentoringConfig.ready``).

Each turns something a service did, after its transaction committed, into background work (a
task). Receivers call tasks; services never do.
"""

from __future__ import annotations

from typing import Any

from mentoring import tasks


def send_invitation(sender: Any, session_pk: int, **kwargs: Any) -> None:
    """``session_changed``: e-mail both sides the session's iCalendar message."""
    tasks.send_invitation.delay(session_pk)


def count_completed_session(sender: Any, session_pk: int, **kwargs: Any) -> None:
    """``session_completed``: course completions and programme badges, in the background."""
    tasks.session_completed.delay(session_pk)


def evaluate_programmes(sender: Any, learner_pk: int, **kwargs: Any) -> None:
    """``session_rated``: award the programme badges the learner has earned."""
    tasks.evaluate_programmes.delay(learner_pk)
