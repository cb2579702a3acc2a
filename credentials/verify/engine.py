"""Verifying any Open Badge: ours or another issuer's, 2.0 or 3.0, baked or not.

Plain Python, no Django. :func:`verify` takes what an employer has -- the bytes of
a baked PNG or SVG, JSON text, a compact JWS / VC-JWT, a URL or one of our award
UUIDs -- and returns a :class:`VerificationResult`:

* ``verdict``: one of :data:`VERDICTS`;
* ``checks``: what was checked (schema, proof, issuer key, status, dates,
  recipient), each passed / failed / not applicable, with why;
* ``summary``: what the credential says (learner, badge, issuer and endorsers,
  dates, competences, EU micro-credential elements, evidence);
* ``version`` ("2.0" / "3.0") and ``proof_format`` detected, and ``problem``, a
  stable machine code for what went wrong (see :data:`PROBLEMS`).

Everything is verified from the documents, exactly as an outsider would: every
document is fetched through the fetcher the verifier is handed. Keys must belong to
the issuer (:mod:`.issuer_keys`). The verifier is handed everything else it needs
too: the site's records (who our institutions are, whether our award is revoked),
a cache, the values of its settings and a clock. :func:`credentials.verify.site.verify`
hands it the real ones, built from Django and ``credentials.conf``.

The concerns, each in its module: reading the input (:mod:`.sniff`), Open Badges 2.0
(:mod:`.ob2`) and 3.0 (:mod:`.ob3`), the issuer's keys (:mod:`.issuer_keys`), revocation
(:mod:`.status`), who vouches for the issuer (:mod:`.trust`), dates and recipient
(:mod:`.checks`), what the credential says (:mod:`.summary`, :mod:`.eu`), and the verdict
(:mod:`.results`, :mod:`.context`).

The recipient e-mail, when given, is only hashed and compared in memory; it is
never stored, logged or returned.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from credentials.verify import sniff
from credentials.verify.context import Cache, NoCache, Settings, Verification
from credentials.verify.documents import Fetch
from credentials.verify.records import Records
from credentials.verify.results import (
    CHECK_LABELS,
    PROBLEMS,
    VERDICTS,
    Check,
    Stop,
    Summary,
    VerificationResult,
    _,
)
from credentials.verify.sniff import MAX_INPUT_BYTES
from credentials.verify.summary import safe_url
from credentials.verify.trust import ISSUER_TRUST, known_by

__all__ = [
    "CHECK_LABELS",
    "ISSUER_TRUST",
    "MAX_INPUT_BYTES",
    "PROBLEMS",
    "VERDICTS",
    "Check",
    "Settings",
    "Summary",
    "VerificationResult",
    "known_by",
    "safe_url",
    "verify",
]

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def verify(
    source: bytes | str,
    *,
    email: str | None = None,
    fetcher: Fetch,
    records: Records,
    cache: Cache | None = None,
    settings: Settings | None = None,
    clock: Callable[[], datetime] = _utc_now,
    monotonic: Callable[[], float] = time.monotonic,
) -> VerificationResult:
    """Verify ``source`` (image bytes, JSON / JWT text, a URL or an award UUID).

    ``fetcher`` reaches documents (a :class:`credentials.verify.fetch.Fetcher`); ``records``
    answers who this platform's institutions are and whether one of our own awards is
    revoked (:class:`credentials.verify.records.Records`); ``cache`` keeps other issuers'
    status lists (None: nothing kept); ``settings`` holds the values of the settings the
    verifier reads; ``clock`` tells the time the credential is checked at, ``monotonic``
    measures how long a learner record's check takes (its deadline).
    Never raises for bad input: every problem becomes a verdict.
    """
    verification = Verification(
        email=email,
        now=clock(),
        fetcher=fetcher,
        records=records,
        cache=cache if cache is not None else NoCache(),
        settings=settings or Settings(),
        monotonic=monotonic,
    )
    try:
        try:
            sniff.read(verification, source)
        except Stop as stop:
            verification.flag(stop.verdict, stop.problem, stop.message)
        return verification.finish()
    except Exception:  # noqa: BLE001 - a verifier must answer, whatever it is given
        log.exception("verification failed unexpectedly")
        verification.flag(
            "not_a_badge", "not_a_credential", _("This could not be read as an Open Badge.")
        )
        return verification.finish()
