"""Celery tasks: each only calls a service. ``receivers`` enqueue them after a commit (the
reminders and feedback requests: Celery beat, every minute; under ``make run``, without beat,
``receivers.run_due_work_in_process`` runs them in a thread)."""

import smtplib

from celery import shared_task

from . import notifications, programmes
from .services import booking


@shared_task(
    name="mentoring.send_invitation",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def send_invitation(session_id: int) -> bool:
    """E-mail both sides the iCalendar message for the session's current state (once)."""
    return notifications.send_invitation(session_id)


@shared_task(name="mentoring.send_pending_invitations", ignore_result=True)
def send_pending_invitations() -> int:
    """From beat: queue the invitations of changes made while the task queue was down."""
    pks = booking.sessions_awaiting_invitation()
    for pk in pks:
        send_invitation.delay(pk)
    return len(pks)


@shared_task(name="mentoring.send_due_reminders")
def send_due_reminders() -> int:
    """Run by Celery beat every minute: the 24-hour and 1-hour reminders that are due."""
    return notifications.send_due_reminders()


@shared_task(name="mentoring.send_feedback_requests")
def send_feedback_requests() -> int:
    """Run by Celery beat every minute: ask learners to rate sessions that ended, once each."""
    return notifications.send_feedback_requests()


@shared_task(
    name="mentoring.send_feedback_request",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def send_feedback_request(session_id: int) -> bool:
    """Ask the learner to rate a completed session, if it has ended (else beat does it later)."""
    return notifications.send_feedback_request(session_id)


@shared_task(name="mentoring.session_completed", ignore_result=True)
def session_completed(session_id: int) -> None:
    """Course completions and programme badges after a session is marked completed."""
    programmes.session_completed(session_id)


@shared_task(name="mentoring.evaluate_programmes", ignore_result=True)
def evaluate_programmes(learner_id: int) -> int:
    """Award programme badges the learner has earned (after feedback)."""
    from django.contrib.auth import get_user_model

    learner = get_user_model().objects.get(pk=learner_id)
    return len(programmes.evaluate_programmes(learner))
