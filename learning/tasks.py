"""Celery tasks: each only calls a service. ``receivers`` enqueue them after a commit."""

import smtplib

from celery import shared_task

from . import services

# A mail server that is down or says "try later": retried with backoff (the claim on the change
# makes a retry send nothing twice).
_MAIL_RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": True,
    "max_retries": 5,
    "ignore_result": True,
}


@shared_task(name="learning.request_course_award")
def request_course_award(enrolment_id: int) -> int | None:
    """Award a completed course's badge; safe to run twice (the service is idempotent)."""
    given = services.request_award(enrolment_id)
    return given.pk if given else None


@shared_task(name="learning.award_waiting")
def award_waiting(course_id: int) -> int:
    """Award an approved course's badge to its waiting learners (idempotent)."""
    return services.award_waiting(course_id)


@shared_task(name="learning.email_attempt_request", **_MAIL_RETRY)
def email_attempt_request(change_id: int) -> bool:
    """E-mail the course team a learner's request for another attempt (once per request)."""
    return services.send_attempt_request_email(change_id)


@shared_task(name="learning.email_attempt_granted", **_MAIL_RETRY)
def email_attempt_granted(change_id: int) -> bool:
    """E-mail the learner that the course team gave them another attempt (once per change)."""
    return services.send_attempt_granted_email(change_id)
