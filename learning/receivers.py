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


def award_approved_course(
    sender: Any, kind: str, state: str, subject_id: int, **kwargs: Any
) -> None:
    """``credentials.services.approval_decided``: a badge's institution approved a course
    awarding it; learners who completed it meanwhile get it now, in the background."""
    if kind == "course_badge" and state == "approved":
        tasks.award_waiting.delay(subject_id)


def email_attempt_request(sender: Any, change_id: int, **kwargs: Any) -> None:
    """``attempt_requested``: tell the course team a learner asks for another attempt."""
    tasks.email_attempt_request.delay(change_id)


def email_attempt_granted(sender: Any, change_id: int, **kwargs: Any) -> None:
    """``attempt_granted``: tell the learner they can answer the quiz again."""
    tasks.email_attempt_granted.delay(change_id)
