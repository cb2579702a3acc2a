"""Celery tasks: each only calls a service."""

from celery import shared_task
from django.db import OperationalError

from . import baking, bulk
from .models import Award, BulkAward


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
