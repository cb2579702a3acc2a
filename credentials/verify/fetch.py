"""The only way verification reaches the network.

Verifying a credential means fetching documents named by that credential: an
assertion, a badge class, an issuer profile, a key, a status list.  Those URLs
come from strangers, so every fetch here is treated as hostile:

* only ``http`` and ``https``;
* the host name is resolved once and *every* address must be public -- no
  loopback, private, link-local, shared, reserved or multicast targets -- and
  the connection goes to the address that was checked (no DNS rebinding);
  ``allow_private`` (``VERIFY_ALLOW_PRIVATE_FETCH``) lifts this for tests;
* one wall-clock deadline (5 seconds) for the whole fetch -- name lookup (in a
  bounded pool, so a slow name server is left behind), connect, TLS handshake,
  status line, headers, body, every redirect hop.  A watchdog timer
  shuts the connection's socket down when the deadline passes, so a server that
  dribbles one byte at a time cannot stretch it (a per-read socket timeout alone
  would restart with every byte);
* a size cap on the status line and headers (16 KiB, 100 lines) and on the body
  while reading, whatever ``Content-Length`` says;
* at most a few redirects, each hop checked again, no loops;
* at most ``max_concurrent`` (``VERIFY_FETCH_MAX_CONCURRENT``) outside fetches at
  once in this process, and at most ``max_per_client`` (``VERIFY_FETCH_MAX_PER_CLIENT``)
  for the client whose verification caused them (set by the view with
  :func:`client_scope`); a fetch that finds no free slot within a second fails
  as ``busy`` instead of queueing behind slow servers (see :mod:`.limits`; one hop over
  the network is :mod:`.network`'s);
* successful answers from other servers are cached briefly in the cache the
  :class:`Fetcher` is handed (a caller may shorten that with ``cache_seconds``, e.g.
  to a status list's ``ttl``).

Our own documents (the origin the handed :class:`OwnSite` serves) are read through it
-- the site adapter serves them in-process, through the same views an outsider would
reach over HTTP.  They are never cached (a revocation must show at once) and take no
concurrency slot.

No Django here: the site adapter (:mod:`credentials.verify.site`) builds the real fetcher
from the settings, the Django cache and our own site.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from credentials.verify.limits import (
    CACHE_SECONDS,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CONCURRENT,
    DEFAULT_MAX_PER_CLIENT,
    DEFAULT_TIMEOUT,
    MAX_REDIRECTS,
    FetchError,
    Watchdog,
    cap,
    client_scope,
    is_public_address,
    network_slot,
)
from credentials.verify.network import REDIRECTS, Hop, network_hop

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CONCURRENT",
    "DEFAULT_MAX_PER_CLIENT",
    "DEFAULT_TIMEOUT",
    "Cache",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "OwnSite",
    "client_scope",
    "did_web_host",
    "is_public_address",
    "origin_of",
]

JSON_ACCEPT = "application/ld+json, application/json;q=0.9, */*;q=0.1"
_CACHEABLE = frozenset({200, 410})


class Cache(Protocol):
    """A cache as Django's offers one (the site adapter hands the verifier Django's)."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any, timeout: Any) -> Any: ...


class OwnSite(Protocol):
    """Our own site, read without the network (the site adapter serves it in-process)."""

    def serves(self, url: str) -> bool:
        """True for an address on our own origin, however it is spelled."""
        ...

    def get(self, url: str, accept: str, max_bytes: int) -> Hop: ...


@dataclass(frozen=True)
class FetchResult:
    url: str  # the URL finally answered (after redirects)
    status: int
    content_type: str  # media type only, lower case, no parameters
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _split(url: str):
    """``urlsplit``, but a malformed address (``http://[::1``) is a FetchError, not a crash."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as error:
        raise FetchError("url", f"this is not a valid address ({error})", url[:200]) from None
    return parts


def origin_of(url: str) -> tuple[str, str] | None:
    """(scheme, host[:port]) as a browser reaches it: lower case, no trailing dot on the
    host, no default port. None for anything that is not an absolute http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return scheme, host


def did_web_host(did: str) -> str:
    """The host (and port) a ``did:web`` resolves on: percent-decoded, lower case."""
    return unquote(did[len("did:web:") :].split("#", 1)[0].split(":", 1)[0]).lower()


# the fetcher ------------------------------------------------------------------------------


def _cache_key(url: str, accept: str) -> str:
    digest = hashlib.sha256(f"{accept}\n{url}".encode()).hexdigest()
    return f"verify-fetch:v2:{digest}"


class Fetcher:
    """GET documents under the rules above, with the settings, cache and own site it is handed.

    ``allow_private``: fetch from private and loopback addresses too (tests only);
    ``cache`` (None: nothing cached) and ``cache_seconds``, the longest an answer is kept;
    ``max_concurrent`` and ``max_per_client``, the caps on outside fetches at once (None: the
    default; below 1: no cap); ``own_site``, our own site, read without the network and never
    cached (None: every address goes over the network).
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        cache: Cache | None = None,
        cache_seconds: float = CACHE_SECONDS,
        max_concurrent: int | None = DEFAULT_MAX_CONCURRENT,
        max_per_client: int | None = DEFAULT_MAX_PER_CLIENT,
        own_site: OwnSite | None = None,
    ) -> None:
        self.allow_private = bool(allow_private)
        self.cache = cache
        self.cache_seconds = cache_seconds
        self.process_cap = cap(max_concurrent, DEFAULT_MAX_CONCURRENT)
        self.client_cap = cap(max_per_client, DEFAULT_MAX_PER_CLIENT)
        self.own_site = own_site

    def _is_own(self, url: str) -> bool:
        return self.own_site is not None and self.own_site.serves(url)

    def _cache_lifetime(self, cache_seconds: float | None) -> float:
        seconds = float(self.cache_seconds)
        if cache_seconds is not None:
            seconds = min(seconds, float(cache_seconds))
        return seconds

    def _cached(self, key: str, lifetime: float) -> FetchResult | None:
        assert self.cache is not None  # noqa: S101 - only called with a cache
        entry = self.cache.get(key)
        if not isinstance(entry, dict):
            return None
        stored, fields = entry.get("stored"), entry.get("result")
        if not isinstance(stored, int | float) or not isinstance(fields, dict):
            return None
        if time.time() - stored > lifetime:  # cached for a caller who allowed longer
            return None
        try:
            return FetchResult(**fields)
        except TypeError:
            return None

    def __call__(
        self,
        url: str,
        *,
        accept: str = JSON_ACCEPT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        use_cache: bool = True,
        cache_seconds: float | None = None,
    ) -> FetchResult:
        """GET ``url`` under the rules above; any HTTP status other than a redirect is returned.

        ``timeout`` is the wall-clock budget of the whole fetch, redirects included.
        ``cache_seconds`` caps how long this answer may be cached, and how old a cached
        answer may be to be used (``0``: neither read nor write the cache); the cache is
        never used for our own site's documents.

        Raises :class:`FetchError` for anything that prevented an answer.
        """
        if not isinstance(url, str) or _split(url).scheme.lower() not in ("http", "https"):
            raise FetchError("scheme", "only http and https URLs are fetched", str(url)[:200])
        key = _cache_key(url, accept)
        cacheable = use_cache and self.cache is not None and not self._is_own(url)
        lifetime = self._cache_lifetime(cache_seconds) if cacheable else 0.0
        if lifetime > 0:
            cached = self._cached(key, lifetime)
            if cached is not None:
                return cached
        deadline = time.monotonic() + timeout
        watchdog = Watchdog(deadline)
        try:
            result, from_own_site = self._follow(url, accept, max_bytes, watchdog)
        finally:
            watchdog.stop()
        if lifetime >= 1 and not from_own_site and result.status in _CACHEABLE:
            assert self.cache is not None  # noqa: S101 - a lifetime needs a cache
            entry = {"stored": time.time(), "result": dict(result.__dict__)}
            self.cache.set(key, entry, int(lifetime))
        return result

    def _follow(
        self, url: str, accept: str, max_bytes: int, watchdog: Watchdog
    ) -> tuple[FetchResult, bool]:
        """Fetch ``url``, following redirects; also says whether any hop was our own site."""
        seen: set[str] = set()
        current = url
        own_hop = False
        for _hop in range(MAX_REDIRECTS + 1):
            parts = _split(current)
            if parts.scheme.lower() not in ("http", "https"):
                raise FetchError("scheme", "a redirect led to a URL that is not http(s)", current)
            normalised = current.split("#", 1)[0]
            if normalised in seen:
                raise FetchError("redirect", "the address redirects in a loop", url)
            seen.add(normalised)
            if self.own_site is not None and self.own_site.serves(current):
                own_hop = True
                status, content_type, body, location = self.own_site.get(current, accept, max_bytes)
            else:
                with network_slot(watchdog.deadline, current, self.process_cap, self.client_cap):
                    status, content_type, body, location = network_hop(
                        current, accept, max_bytes, watchdog, self.allow_private
                    )
            if status in REDIRECTS:
                if not location:
                    raise FetchError("network", "a redirect without a Location header", current)
                current = urljoin(current, location)
                continue
            result = FetchResult(url=current, status=status, content_type=content_type, body=body)
            return result, own_hop
        raise FetchError("redirect", f"more than {MAX_REDIRECTS} redirects", url)
