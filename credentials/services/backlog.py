"""Background work that did not get queued, and the sweeps that catch up on it.

An award is stored first; signing and its e-mail are queued after the commit (images are baked
when downloaded). When the
task queue (Redis) is down at that moment, the receivers note it here instead of failing the
request that made the award, and the view that made it tells the person (``watch``). Nothing
else needs storing: an award not yet signed, or not yet e-mailed, says so itself, and
the beat sweeps (``unsigned_award_pks``, ``emails.send_overdue_award_emails``) pick it up once
the queue is back. A revocation likewise: its e-mail not yet sent (``revocation_notified_at``
empty) says so, and the same e-mail sweep sends it (``unnotified_revocation_pks``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.utils import timezone

from credentials.models import Award

log = logging.getLogger(__name__)
UNSIGNED_AFTER = timedelta(minutes=5)
UNSIGNED_GIVE_UP = timedelta(days=2)
REVOCATION_EMAIL_AFTER = timedelta(minutes=15)
REVOCATION_EMAIL_GIVE_UP = timedelta(days=2)
SWEEP_LIMIT = 1000
_failures: ContextVar[list[str] | None] = ContextVar("credentials_enqueue_failures", default=None)


@contextmanager
def watch() -> Iterator[list[str]]:
    """Collect, while the block runs, what could not be queued (``"signing"``, ``"e-mail"``)."""
    noted: list[str] = []
    token = _failures.set(noted)
    try:
        yield noted
    finally:
        _failures.reset(token)


def enqueue_failed(what: str, pks: Iterable[int], error: BaseException) -> None:
    """A receiver could not queue ``what`` for the awards ``pks``: log it, tell ``watch``."""
    log.error("Could not queue %s for awards %s (%s); a sweep will", what, list(pks), error)
    noted = _failures.get()
    if noted is not None and what not in noted:
        noted.append(what)


def unsigned_award_pks(now: datetime | None = None, older_than: timedelta = UNSIGNED_AFTER) -> list:
    """Awards made a while ago that are still not signed."""
    now = now or timezone.now()
    return list(
        Award.objects.filter(
            signed_at=None,
            created_at__lt=now - older_than,
            created_at__gt=now - UNSIGNED_GIVE_UP,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )


def unnotified_revocation_pks(
    now: datetime | None = None, older_than: timedelta = REVOCATION_EMAIL_AFTER
) -> list:
    """Awards revoked a while ago whose recipient was not yet told (the task queue was down, or
    a worker was lost). Revocations older than ``REVOCATION_EMAIL_GIVE_UP`` are left alone: a
    message days late, or about a revocation from before these e-mails existed, helps nobody."""
    now = now or timezone.now()
    return list(
        Award.objects.filter(
            revocation_notified_at=None,
            revoked_at__lt=now - older_than,
            revoked_at__gt=now - REVOCATION_EMAIL_GIVE_UP,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
