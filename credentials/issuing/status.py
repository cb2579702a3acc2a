"""An award's standing at a moment: what every document, page, e-mail and PDF says."""

from datetime import datetime

from django.utils import timezone

from credentials.models import Award


def award_status(award_: Award, now: datetime | None = None) -> str:
    """The award's status — "revoked", "expired" or "valid" — as every document and page says."""
    if award_.revoked_at is not None:
        return "revoked"
    if award_.valid_until is not None and award_.valid_until <= (now or timezone.now()):
        return "expired"
    return "valid"
