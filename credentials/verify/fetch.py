"""The only way verification reaches the network.

Verifying a credential means fetching documents named by that credential: an
assertion, a badge class, an issuer profile, a key, a status list.  Those URLs
come from strangers, so every fetch here is treated as hostile:

* only ``http`` and ``https``;
* the host name is resolved once and *every* address must be public -- no
  loopback, private, link-local, shared, reserved or multicast targets -- and
  the connection goes to the address that was checked (no DNS rebinding);
  ``settings.VERIFY_ALLOW_PRIVATE_FETCH`` lifts this for tests;
* one wall-clock deadline (5 seconds) for the whole fetch -- name lookup (in a
  bounded pool, so a slow name server is left behind), connect, TLS handshake,
  status line, headers, body, every redirect hop.  A watchdog timer
  shuts the connection's socket down when the deadline passes, so a server that
  dribbles one byte at a time cannot stretch it (a per-read socket timeout alone
  would restart with every byte);
* a size cap on the status line and headers (16 KiB, 100 lines) and on the body
  while reading, whatever ``Content-Length`` says;
* at most a few redirects, each hop checked again, no loops;
* at most ``settings.VERIFY_FETCH_MAX_CONCURRENT`` outside fetches at once in
  this process, and at most ``settings.VERIFY_FETCH_MAX_PER_CLIENT`` for the
  client whose verification caused them (set by the view with
  :func:`client_scope`); a fetch that finds no free slot within a second fails
  as ``busy`` instead of queueing behind slow servers;
* successful answers from other servers are cached briefly in the Django cache
  (a caller may shorten that with ``cache_seconds``, e.g. to a status list's ``ttl``).

Our own documents (URLs under ``settings.SITE_URL``) are served in-process
through Django's request handler, the same views an outsider would reach over
HTTP, unless ``settings.VERIFY_FETCH_IN_PROCESS`` is False.  They are never
cached (a revocation must show at once) and take no concurrency slot.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import hashlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CONCURRENT",
    "DEFAULT_MAX_PER_CLIENT",
    "DEFAULT_TIMEOUT",
    "FetchError",
    "FetchResult",
    "client_scope",
    "fetch",
    "did_web_host",
    "is_public_address",
    "origin_of",
]

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_HEADER_BYTES = 16 * 1024  # status line and headers together (interim 1xx answers included)
MAX_HEADER_LINES = 100
MAX_REDIRECTS = 5
CACHE_SECONDS = 60
# Outside fetches at once: in this process, and for one client (settings override both;
# a value below 1 turns that cap off).
DEFAULT_MAX_CONCURRENT = 8
DEFAULT_MAX_PER_CLIENT = 2
BUSY_WAIT_SECONDS = 1.0  # how long a fetch waits for a free slot (never past its deadline)
_USER_AGENT = "CoCreateAcademy-Verifier/1.0 (+Open Badges verification)"
_CACHEABLE = frozenset({200, 410})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TOO_SLOW = "the server took too long to answer"
_HEADERS_TOO_LARGE = "the server's headers are too large"
_BUSY = "too many checks are fetching from other servers right now; try again in a moment"


class FetchError(Exception):
    """A document could not be fetched; ``kind`` says why in one word.

    Kinds: ``scheme``, ``blocked`` (not a public address), ``dns``, ``timeout``,
    ``too_large`` (body or headers), ``redirect`` (too many or a loop), ``network``,
    ``busy`` (the concurrency caps were full; nothing was fetched).
    """

    def __init__(self, kind: str, reason: str, url: str = "") -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.url = url


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


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_global
        and not ip.is_multicast
        and not ip.is_private
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_reserved
        and not ip.is_unspecified
    )


def _allow_private() -> bool:
    return bool(getattr(settings, "VERIFY_ALLOW_PRIVATE_FETCH", False))


_DEFAULT_PORTS = {"http": 80, "https": 443}


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


def _is_own(url: str) -> bool:
    """True for our own SITE_URL origin, however it is spelled (default port, trailing dot)."""
    if not getattr(settings, "VERIFY_FETCH_IN_PROCESS", True):
        return False
    site = origin_of(getattr(settings, "SITE_URL", "") or "")
    return site is not None and origin_of(url) == site


_DNS_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="verify-dns")


def _resolve(host: str, port: int, deadline: float) -> str:
    """Resolve ``host`` and return an address to connect to, refusing non-public ones."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", "timed out resolving the host name") from None
        # getaddrinfo cannot be interrupted: it runs in a small, bounded pool, and the fetch
        # stops waiting at the deadline (a slow name server cannot stretch it).
        lookup = _DNS_POOL.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        try:
            infos = lookup.result(timeout=remaining)
        except concurrent.futures.TimeoutError:
            lookup.cancel()
            raise FetchError("timeout", "timed out resolving the host name") from None
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise FetchError("dns", f"the host name {host!r} does not resolve") from exc
        addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError("dns", f"the host name {host!r} does not resolve")
    if not _allow_private():
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise FetchError(
                "blocked",
                f"{host} is an internal or reserved address ({refused[0]}); "
                "only public addresses are fetched",
            )
    return addresses[0]


# concurrency caps ------------------------------------------------------------------------

_client: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "verify_fetch_client", default=None
)
_slots = threading.Condition()
_in_flight = 0
_in_flight_by_client: dict[str, int] = {}


@contextlib.contextmanager
def client_scope(address: str | None) -> Iterator[None]:
    """Count the outside fetches made inside this block against ``address`` (a client's IP).

    The view that verifies on a visitor's behalf wraps the verification in this, so one
    visitor can hold at most ``VERIFY_FETCH_MAX_PER_CLIENT`` fetches at once.  Outside any
    scope (or with an empty address) only the per-process cap applies.
    """
    token = _client.set(address or None)
    try:
        yield
    finally:
        _client.reset(token)


def _cap(name: str, default: int) -> int | None:
    value = getattr(settings, name, default)
    value = default if value is None else int(value)
    return value if value >= 1 else None


@contextlib.contextmanager
def _network_slot(deadline: float, url: str) -> Iterator[None]:
    """Hold one outside-fetch slot (process-wide and for the current client) for the block."""
    global _in_flight
    client = _client.get()
    process_cap = _cap("VERIFY_FETCH_MAX_CONCURRENT", DEFAULT_MAX_CONCURRENT)
    client_cap = _cap("VERIFY_FETCH_MAX_PER_CLIENT", DEFAULT_MAX_PER_CLIENT) if client else None
    give_up = min(deadline, time.monotonic() + BUSY_WAIT_SECONDS)
    with _slots:
        while (process_cap is not None and _in_flight >= process_cap) or (
            client_cap is not None and _in_flight_by_client.get(client, 0) >= client_cap
        ):
            left = give_up - time.monotonic()
            if left <= 0:
                raise FetchError("busy", _BUSY, url)
            _slots.wait(left)
        _in_flight += 1
        if client:
            _in_flight_by_client[client] = _in_flight_by_client.get(client, 0) + 1
    try:
        yield
    finally:
        with _slots:
            _in_flight -= 1
            if client:
                left_for_client = _in_flight_by_client.get(client, 1) - 1
                if left_for_client > 0:
                    _in_flight_by_client[client] = left_for_client
                else:
                    _in_flight_by_client.pop(client, None)
            _slots.notify_all()


# the deadline --------------------------------------------------------------------------


class _Watchdog:
    """Shuts the current connection down when the fetch's deadline passes.

    A socket timeout only bounds each ``recv``; a server sending one byte a second
    would never trip it.  This timer thread instead aborts whatever read, write,
    handshake or connect is blocked at the deadline: it shuts down a duplicate of the
    connection's socket (the same kernel socket, but a descriptor of our own, so it
    can never hit a descriptor number the fetching thread has closed and reused).
    The blocked call then returns at once (EOF or an error), and the hop sees
    :attr:`fired` and reports a timeout -- an aborted read is never taken for a
    complete answer.
    """

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._timer: threading.Timer | None = None

    def start(self) -> None:
        if self._timer is None:
            delay = max(0.0, self.deadline - time.monotonic())
            self._timer = threading.Timer(delay, self._fire)
            self._timer.name = "verify-fetch-deadline"
            self._timer.daemon = True
            self._timer.start()

    def stop(self) -> None:
        self.detach()
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
            self._timer = None

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            if self._socket is not None:
                with contextlib.suppress(OSError):
                    self._socket.shutdown(socket.SHUT_RDWR)

    def attach(self, sock: socket.socket) -> None:
        """Watch ``sock`` (a plain socket, before any TLS wrapping) until :meth:`detach`."""
        with self._lock:
            if self.fired:
                raise TimeoutError(_TOO_SLOW)
            self._socket = sock.dup()

    def detach(self) -> None:
        with self._lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0 or self.fired:
            raise TimeoutError(_TOO_SLOW)
        return left


# one hop over the network ----------------------------------------------------------------


class _HeaderBudget:
    """Stands in for the response's file while http.client reads the status line and headers.

    http.client alone allows 100 header lines of 64 KiB each; this refuses more than
    ``MAX_HEADER_BYTES`` in all, or more than ``MAX_HEADER_LINES`` lines, without ever
    reading past the budget.
    """

    def __init__(self, fp: Any) -> None:
        self._fp = fp
        self._bytes_left = MAX_HEADER_BYTES
        self._lines_left = MAX_HEADER_LINES

    def readline(self, limit: int = -1) -> bytes:
        if self._lines_left <= 0:
            raise FetchError("too_large", _HEADERS_TOO_LARGE)
        want = self._bytes_left + 1
        if limit is not None and limit >= 0:
            want = min(want, limit)
        line = self._fp.readline(want)
        self._lines_left -= 1
        self._bytes_left -= len(line)
        if self._bytes_left < 0:
            raise FetchError("too_large", _HEADERS_TOO_LARGE)
        return line

    def close(self) -> None:
        self._fp.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fp, name)


class _CappedResponse(http.client.HTTPResponse):
    def begin(self) -> None:
        if self.headers is not None:
            return
        raw = self.fp
        budget = _HeaderBudget(raw)
        self.fp = budget
        try:
            super().begin()
        finally:
            if self.fp is budget:  # (None if begin() already closed the response)
                self.fp = raw


class _PinnedHTTPConnection(http.client.HTTPConnection):
    response_class = _CappedResponse

    def __init__(self, host: str, port: int, address: str, watchdog: _Watchdog) -> None:
        super().__init__(host, port, timeout=watchdog.remaining())
        self._address = address
        self._watchdog = watchdog

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self._address, self.port), self._watchdog.remaining())
        self.sock = sock  # closed by close() whatever happens next
        self._watchdog.attach(sock)
        return sock

    def connect(self) -> None:
        self._open()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        sock = self._open()
        secure = ssl.create_default_context().wrap_socket(
            sock, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.sock = secure
        secure.do_handshake()  # under the watchdog, which holds a duplicate of the socket


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _read_capped(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError("too_large", f"the document is larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timeout", _TOO_SLOW)
        chunk = response.read(min(65536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too_large", f"the document is larger than {max_bytes} bytes")
    return b"".join(chunks)


def _network_hop(
    url: str, accept: str, max_bytes: int, watchdog: _Watchdog
) -> tuple[int, str, bytes, str | None]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise FetchError("scheme", "the URL has no host name", url)
    https = parts.scheme == "https"
    try:
        port = parts.port or (443 if https else 80)
    except ValueError as exc:
        raise FetchError("scheme", "the URL has an invalid port", url) from exc
    address = _resolve(host, port, watchdog.deadline)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: _PinnedHTTPConnection | None = None
    response: http.client.HTTPResponse | None = None
    try:
        watchdog.start()
        connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
        connection = connection_class(host, port, address, watchdog)
        connection.request(
            "GET",
            target,
            headers={"Accept": accept, "User-Agent": _USER_AGENT, "Accept-Encoding": "identity"},
        )
        response = connection.getresponse()
        body = (
            b""
            if response.status in _REDIRECTS
            else _read_capped(response, max_bytes, watchdog.deadline)
        )
        answer = (
            response.status,
            _media_type(response.getheader("Content-Type")),
            body,
            response.getheader("Location"),
        )
    except FetchError as exc:
        exc.url = exc.url or url
        raise
    except (OSError, http.client.HTTPException) as exc:  # ssl.SSLError is an OSError
        if watchdog.fired or isinstance(exc, TimeoutError):
            raise FetchError("timeout", _TOO_SLOW, url) from exc
        raise FetchError("network", f"could not reach {host}: {type(exc).__name__}", url) from exc
    finally:
        watchdog.detach()
        if response is not None:
            response.close()
        if connection is not None:
            connection.close()
    if watchdog.fired:  # the answer may have been cut short by the watchdog
        raise FetchError("timeout", _TOO_SLOW, url)
    return answer


def _in_process_hop(url: str, accept: str, max_bytes: int) -> tuple[int, str, bytes, str | None]:
    """Serve one of our own URLs through Django's handler (the same views as over HTTP)."""
    from django.test import Client  # a request handler without a socket

    parts = urlsplit(url)
    client = Client(raise_request_exception=False, HTTP_HOST=parts.netloc)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    response = client.get(
        target,
        HTTP_ACCEPT=accept,
        HTTP_USER_AGENT=_USER_AGENT,
        secure=parts.scheme == "https",
    )
    if response.status_code in _REDIRECTS:
        return response.status_code, "", b"", response.get("Location")
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if len(body) > max_bytes:
        raise FetchError("too_large", f"the document is larger than {max_bytes} bytes", url)
    return response.status_code, _media_type(response.get("Content-Type")), body, None


def _cache_key(url: str, accept: str) -> str:
    digest = hashlib.sha256(f"{accept}\n{url}".encode()).hexdigest()
    return f"verify-fetch:v2:{digest}"


def _cache_lifetime(cache_seconds: float | None) -> float:
    seconds = float(getattr(settings, "VERIFY_FETCH_CACHE_SECONDS", CACHE_SECONDS))
    if cache_seconds is not None:
        seconds = min(seconds, float(cache_seconds))
    return seconds


def _cached(key: str, lifetime: float) -> FetchResult | None:
    entry = cache.get(key)
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


def fetch(
    url: str,
    *,
    accept: str = "application/ld+json, application/json;q=0.9, */*;q=0.1",
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
    if not isinstance(url, str) or urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError("scheme", "only http and https URLs are fetched", str(url)[:200])
    key = _cache_key(url, accept)
    lifetime = _cache_lifetime(cache_seconds) if use_cache and not _is_own(url) else 0.0
    if lifetime > 0:
        cached = _cached(key, lifetime)
        if cached is not None:
            return cached
    deadline = time.monotonic() + timeout
    watchdog = _Watchdog(deadline)
    try:
        result, from_own_site = _follow(url, accept, max_bytes, watchdog)
    finally:
        watchdog.stop()
    if lifetime >= 1 and not from_own_site and result.status in _CACHEABLE:
        entry = {"stored": time.time(), "result": dict(result.__dict__)}
        cache.set(key, entry, int(lifetime))
    return result


def _follow(url: str, accept: str, max_bytes: int, watchdog: _Watchdog) -> tuple[FetchResult, bool]:
    """Fetch ``url``, following redirects; also says whether any hop was our own site."""
    seen: set[str] = set()
    current = url
    own_hop = False
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError("scheme", "a redirect led to a URL that is not http(s)", current)
        normalised = current.split("#", 1)[0]
        if normalised in seen:
            raise FetchError("redirect", "the address redirects in a loop", url)
        seen.add(normalised)
        if _is_own(current):
            own_hop = True
            status, media_type, body, location = _in_process_hop(current, accept, max_bytes)
        else:
            with _network_slot(watchdog.deadline, current):
                status, media_type, body, location = _network_hop(
                    current, accept, max_bytes, watchdog
                )
        if status in _REDIRECTS:
            if not location:
                raise FetchError("network", "a redirect without a Location header", current)
            current = urljoin(current, location)
            continue
        result = FetchResult(url=current, status=status, content_type=media_type, body=body)
        return result, own_hop
    raise FetchError("redirect", f"more than {MAX_REDIRECTS} redirects", url)
