"""Celery tasks: each only calls a service. ``receivers`` enqueue them after a commit."""

from celery import shared_task

from . import services


@shared_task(name="learning.request_course_award")
def request_course_award(enrolment_id: int) -> int | None:
    """Award a completed course's badge; safe to run twice (the service is idempotent)."""
    given = services.request_award(enrolment_id)
    return given.pk if given else None


@shared_task(name="learning.award_waiting")
def award_waiting(course_id: int) -> int:
    """Award an approved course's badge to its waiting learners (idempotent)."""
    return services.award_waiting(course_id)
