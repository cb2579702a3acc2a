"""Celery tasks: each only calls a service. Task names never change (queued messages and beat
schedules name them)."""

import smtplib

from celery import shared_task
from django.db import OperationalError

from credentials.issuing import baking
from credentials.models import Award, BulkAward
from credentials.services import bulk, emails

_MAIL_RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(name="credentials.bake_award", acks_late=True)
def bake_award(award_pk: int) -> dict[str, str]:
    """Sign and bake one award (idempotent: a retry or a second run changes nothing)."""
    award = Award.objects.select_related("badge_class__issuer").filter(pk=award_pk).first()
    if award is None:
        return {}
    return {fmt: baked.sha256 for fmt, baked in baking.bake_award(award).items()}


@shared_task(name="credentials.run_bulk_award_chunk", bind=True, acks_late=True, max_retries=5)
def run_bulk_award_chunk(self, job_pk: int, index: int) -> int:
    """Award, sign and bake one chunk of a bulk award (idempotent).

    A locked or lost database is retried with back-off; any other error, or the last retry,
    stops the job with the reason (the page then offers Resume).
    """
    job = BulkAward.objects.filter(pk=job_pk).first()
    if job is None:
        return 0
    try:
        return bulk.run_chunk(job, index)
    except OperationalError as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=2**self.request.retries) from error
        bulk.fail(job_pk, bulk.failure_reason(job, index, error))
        raise
    except Exception as error:
        bulk.fail(job_pk, bulk.failure_reason(job, index, error))
        raise


@shared_task(name="credentials.prune_bulk_uploads")
def prune_bulk_uploads() -> int:
    """Forget CSV uploads checked but never started (a week on); from beat."""
    return bulk.prune_uploads()


@shared_task(name="credentials.send_award_emails", **_MAIL_RETRY)
def send_award_emails_task(award_pks: list[int]) -> int:
    """E-mail a batch of new awards over one connection (each goes out once)."""
    return emails.send_award_emails(award_pks)


@shared_task(name="credentials.send_award_email", **_MAIL_RETRY)
def send_award_email_task(award_pk: int) -> int:
    """The one-award task of earlier releases: messages queued before an upgrade still go out."""
    return emails.send_award_emails([award_pk])


@shared_task(name="credentials.send_overdue_award_emails")
def send_overdue_award_emails_task() -> int:
    """E-mail awards whose e-mail never went out; from beat."""
    return emails.send_overdue_award_emails()


@shared_task(name="credentials.send_endorsement_email", **_MAIL_RETRY)
def send_endorsement_email_task(endorsement_pk: int, withdrawn: bool = False) -> bool:
    """Tell an endorsed badge's institution that it was endorsed, or that it no longer is."""
    return emails.send_endorsement_email_for(endorsement_pk, withdrawn)
