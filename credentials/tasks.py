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


@shared_task(
    name="credentials.run_bulk_award_chunk",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def run_bulk_award_chunk(job_pk: int, index: int) -> int:
    """Award, sign and bake one chunk of a bulk award (idempotent); a lasting error stops it."""
    job = BulkAward.objects.filter(pk=job_pk).first()
    if job is None:
        return 0
    try:
        return bulk.run_chunk(job, index)
    except OperationalError:
        raise  # retried (a locked or lost database connection)
    except Exception as error:
        bulk.fail(job_pk, f"Rows {index * job.chunk_size + 1}–: {error}")
        raise
