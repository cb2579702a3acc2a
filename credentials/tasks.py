"""Celery tasks: each only calls a service."""

from celery import shared_task

from . import baking
from .models import Award


@shared_task(name="credentials.bake_award", acks_late=True)
def bake_award(award_pk: int) -> dict[str, str]:
    """Sign and bake one award (idempotent: a retry or a second run changes nothing)."""
    award = Award.objects.select_related("badge_class__issuer").filter(pk=award_pk).first()
    if award is None:
        return {}
    return {fmt: baked.sha256 for fmt, baked in baking.bake_award(award).items()}
