"""The documents one verification fetches: through the fetcher it is handed, each read once.

A fetch that fails becomes a verdict (:class:`~credentials.verify.results.Stop`), told in the
employer's words; a document fetched once is not fetched again in the same verification.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from credentials.verify.fetch import JSON_ACCEPT, FetchError, FetchResult
from credentials.verify.reading import URL_RE, loads
from credentials.verify.results import Stop, _, problem_message

__all__ = ["JSON_ACCEPT", "VC_ACCEPT", "Budget", "Documents", "Fetch"]

VC_ACCEPT = (
    "application/vc+ld+json, application/ld+json;q=0.9, application/json;q=0.9, "
    "application/vc+jwt;q=0.8, application/jwt;q=0.8, */*;q=0.1"
)

# ``fetch(url, *, accept=..., use_cache=..., ...)``: a :class:`credentials.verify.fetch.Fetcher`
# or anything called the same way.
Fetch = Callable[..., FetchResult]

_PROBLEM_OF_KIND = {
    "blocked": "address_not_allowed",
    "redirect": "redirect_loop",
    "timeout": "timeout",
    "too_large": "too_large",
    "busy": "busy",
}


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).netloc or url[:100]
    except ValueError:  # a malformed address, e.g. "http://[::1"
        return url[:100]


class Budget:
    """What a verification may still spend: a deadline on a monotonic ``clock`` and a number
    of fetches. Shared by a learner record and the credentials it embeds, so one record costs
    at most that, however many credentials it holds."""

    def __init__(self, clock: Callable[[], float], seconds: float, fetches: int) -> None:
        self.clock = clock
        self.deadline = clock() + seconds
        self.fetches_left = fetches

    def spent(self) -> bool:
        return self.fetches_left <= 0 or self.clock() >= self.deadline

    def take(self) -> None:
        """Count one fetch (raises :class:`Stop` when nothing is left)."""
        if self.spent():
            raise Stop("unknown_issuer", "record_too_large")
        self.fetches_left -= 1


class Documents:
    """The documents of one verification, fetched through ``fetcher``."""

    def __init__(self, fetcher: Fetch) -> None:
        self.fetcher = fetcher
        self.budget: Budget | None = None  # none: each fetch is bounded by the fetcher alone
        # Every JSON document read so far, by address (and our institutions' Profiles, which
        # the site adapter hands over without a fetch): what the issuer publishes.
        self.published: dict[str, Any] = {}

    def get(self, url: str, accept: str = JSON_ACCEPT, **options: Any) -> FetchResult:
        if self.budget is not None:
            self.budget.take()
        try:
            return self.fetcher(url, accept=accept, **options)
        except FetchError as exc:
            problem = _PROBLEM_OF_KIND.get(exc.kind, "unreachable")
            host = _host_of(exc.url or url)
            if exc.kind in ("network", "dns"):  # a socket error's class name helps nobody
                reason = f"{host} could not be reached"
            else:
                reason = exc.reason
            raise Stop("unknown_issuer", problem, f"{problem_message(problem)} ({reason})") from exc

    def get_json(self, url: str, what: str, *, allow_gone: bool = False) -> tuple[int, Any]:
        if url in self.published:
            return 200, self.published[url]
        if not isinstance(url, str) or not URL_RE.match(url):
            raise Stop(
                "unknown_issuer",
                "unreachable",
                _("The %(what)s has no web address.") % {"what": what},
            )
        response = self.get(url)
        if not (response.ok or (allow_gone and response.status == 410)):
            raise Stop(
                "unknown_issuer",
                "unreachable",
                _("The %(what)s at %(url)s answered HTTP %(status)s.")
                % {"what": what, "url": url, "status": response.status},
            )
        try:
            document = loads(response.body)
        except (ValueError, RecursionError) as exc:
            raise Stop(
                "unknown_issuer",
                "unreachable",
                _("The %(what)s at %(url)s is not JSON.") % {"what": what, "url": url},
            ) from exc
        if response.ok:
            self.published[url] = document
        return response.status, document
