"""Extension points that other apps fill in (mentoring registers its functions in ``ready()``).

Learning knows nothing about mentoring: it asks these hooks how many mentoring sessions count
towards a course and which sessions are coming up, and gets 0 or nothing when no app answers.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

SessionsCounter = Callable[[Any, Any], int]
BatchSessionsCounter = Callable[[list[tuple[Any, Any]]], list[int]]
UpcomingSessionsProvider = Callable[[Any], list[dict]]

_sessions_counters: list[SessionsCounter] = []
_batch_counters: dict[SessionsCounter, BatchSessionsCounter] = {}
_upcoming_providers: list[UpcomingSessionsProvider] = []


def register_mentoring_sessions_counter(
    fn: SessionsCounter, *, many: BatchSessionsCounter | None = None
) -> SessionsCounter:
    """Register ``fn(user, course_page) -> int``: completed mentoring sessions for that course.

    ``many(pairs) -> counts`` answers for many (user, course page) pairs at once (a course
    report, a dashboard) in a fixed number of queries; without it ``fn`` is asked per pair.
    Registering the same function twice (``ready()`` can run more than once) keeps one copy.
    Usable as a decorator.
    """
    if fn not in _sessions_counters:
        _sessions_counters.append(fn)
    if many is not None:
        _batch_counters[fn] = many
    return fn


def completed_mentoring_sessions(user, course_page) -> int:
    """Completed mentoring sessions relevant to ``course_page``; 0 when nothing is registered."""
    return completed_mentoring_sessions_many([(user, course_page)])[0]


def completed_mentoring_sessions_many(pairs: list[tuple[Any, Any]]) -> list[int]:
    """``completed_mentoring_sessions`` for each (user, course page) pair, in order."""
    totals = [0] * len(pairs)
    if not pairs:
        return totals
    for counter in _sessions_counters:
        many = _batch_counters.get(counter)
        counts = many(pairs) if many else [counter(user, course) for user, course in pairs]
        totals = [total + int(n or 0) for total, n in zip(totals, counts, strict=True)]
    return totals


def register_upcoming_sessions_provider(fn: UpcomingSessionsProvider) -> UpcomingSessionsProvider:
    """Register ``fn(user) -> list[dict]`` with keys title, starts_at, url and with_whom."""
    if fn not in _upcoming_providers:
        _upcoming_providers.append(fn)
    return fn


def upcoming_mentoring_sessions(user) -> list[dict]:
    """Every registered provider's upcoming sessions for ``user``, soonest first."""
    sessions: list[dict] = []
    for provider in _upcoming_providers:
        sessions.extend(provider(user) or [])

    def soonest(session: dict) -> tuple[bool, float]:
        starts: datetime | None = session.get("starts_at")
        return (starts is None, starts.timestamp() if starts else 0.0)

    return sorted(sessions, key=soonest)


def unregister(fn: Callable) -> None:
    """Remove a registered function (tests use this to clean up after themselves)."""
    for registry in (_sessions_counters, _upcoming_providers):
        if fn in registry:
            registry.remove(fn)
    _batch_counters.pop(fn, None)
