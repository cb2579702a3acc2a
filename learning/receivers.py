"""Signal receivers of the learning app (connected in ``LearningConfig.ready``).

Each turns something a service did, after its transaction committed, into background work (a
task). Receivers call tasks; services never do.
"""

from __future__ import annotations

from typing import Any

from learning import tasks


def request_course_award(sender: Any, enrolment_id: int, **kwargs: Any) -> None:
    """``award_requested``: award the completed course's badge in the background."""
    tasks.request_course_award.delay(enrolment_id)
