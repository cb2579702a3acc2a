"""One verification under way: what it was handed, and what it has found so far.

The verifier is handed everything it needs -- a fetcher, a clock's reading, the site's
records, a cache and the values of its settings -- and reads nothing else; the site adapter
(:mod:`credentials.verify.site`) builds the real ones from Django and ``credentials.conf``.
Each concern (:mod:`.sniff`, :mod:`.ob2`, :mod:`.ob3`, :mod:`.status`, :mod:`.trust`,
:mod:`.checks`) records its checks and verdicts here; :meth:`Verification.finish` picks the
verdict by :data:`~credentials.verify.results.PRECEDENCE`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from credentials.verify.documents import Documents, Fetch
from credentials.verify.fetch import Cache
from credentials.verify.issuer_keys import IssuerKeys
from credentials.verify.records import Records
from credentials.verify.results import (
    CHECK_ORDER,
    PRECEDENCE,
    Check,
    VerificationResult,
    problem_message,
)

__all__ = ["Cache", "NoCache", "Settings", "Verification"]


@dataclass(frozen=True)
class Settings:
    """The values of the settings the verifier reads (``credentials.conf``, via the adapter)."""

    # VERIFY_ALLOW_PRIVATE_FETCH: a did:web on localhost resolves over http (tests only).
    allow_private_fetch: bool = False
    # VERIFY_FETCH_CACHE_SECONDS: how long a status list's verified proof is remembered.
    fetch_cache_seconds: float = 60
    # VERIFY_STATUS_CACHE_SECONDS: the longest another issuer's status list is cached.
    status_cache_seconds: float = 60


class NoCache:
    """A cache that keeps nothing (for a verifier handed none)."""

    def get(self, key: str) -> Any:
        return None

    def set(self, key: str, value: Any, timeout: Any) -> None:
        return None


class Verification:
    """The state of one verification, shared by the concerns that check it."""

    def __init__(
        self,
        *,
        email: str | None,
        now: datetime,
        fetcher: Fetch,
        records: Records,
        cache: Cache,
        settings: Settings,
        monotonic: Callable[[], float] = time.monotonic,
        documents: Documents | None = None,
    ) -> None:
        """``monotonic`` measures how long it takes (a learner record's deadline); a
        ``documents`` handed over is shared (an embedded credential's, with its record)."""
        self.email = (email or "").strip() or None
        self.now = now
        self.records = records
        self.cache = cache
        self.settings = settings
        self.monotonic = monotonic
        self.documents = documents if documents is not None else Documents(fetcher)
        self.keys = IssuerKeys(self.documents, records, allow_private=settings.allow_private_fetch)
        self.result = VerificationResult(verdict="valid")
        self.checks: dict[str, Check] = {}
        self.flags: dict[str, tuple[str | None, str]] = {}  # verdict -> (problem, message)

    def check(self, name: str, passed: bool | None, detail: str) -> None:
        self.checks[name] = Check(name=name, passed=passed, detail=detail)

    def flag(self, verdict: str, problem: str | None = None, message: str = "") -> None:
        self.flags.setdefault(verdict, (problem, message or problem_message(problem)))

    def is_platform(self) -> bool:
        """Whether the issuer is an institution of this platform (known once vouched for)."""
        return (self.result.issuer_trust or {}).get("kind") == "platform"

    def finish(self) -> VerificationResult:
        self.result.checks = [self.checks[n] for n in CHECK_ORDER if n in self.checks]
        for verdict in PRECEDENCE:
            if verdict in self.flags:
                self.result.verdict = verdict
                self.result.problem, self.result.message = self.flags[verdict]
                break
        else:
            self.result.verdict = "valid"
        if self.result.verdict == "not_a_badge" and "schema" not in self.checks:
            self.result.checks.insert(0, Check("schema", False, self.result.message))
        return self.result
