"""The limits every fetch of a stranger's document runs under, and how a fetch fails.

* which addresses are public (:func:`is_public_address`);
* how many outside fetches run at once: in this process, and for the client whose
  verification caused them (:func:`client_scope`, :func:`network_slot`); a fetch that finds no
  free slot within a second fails as ``busy`` instead of queueing behind slow servers;
* one wall-clock deadline for the whole fetch, enforced by a watchdog that shuts the socket
  down (:class:`Watchdog`);
* a size cap on the status line and headers (:class:`HeaderBudget`) and on the body while
  reading (:func:`read_capped`).

No Django: the caps' values are handed in by whoever builds the fetcher (the site adapter
reads them from ``credentials.conf``).
"""

from __future__ import annotations

import contextlib
import contextvars
import http.client
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CONCURRENT",
    "DEFAULT_MAX_PER_CLIENT",
    "DEFAULT_TIMEOUT",
    "FetchError",
    "HeaderBudget",
    "Watchdog",
    "cap",
    "client_scope",
    "is_public_address",
    "network_slot",
    "read_capped",
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
TOO_SLOW = "the server took too long to answer"
HEADERS_TOO_LARGE = "the server's headers are too large"
BUSY = "too many checks are fetching from other servers right now; try again in a moment"


class FetchError(Exception):
    """A document could not be fetched; ``kind`` says why in one word.

    Kinds: ``url`` (not a valid address), ``scheme``, ``blocked`` (not a public address),
    ``dns``, ``timeout``, ``too_large`` (body or headers), ``redirect`` (too many or a loop),
    ``network``, ``busy`` (the concurrency caps were full; nothing was fetched).
    """

    def __init__(self, kind: str, reason: str, url: str = "") -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.url = url


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


def cap(value: Any, default: int) -> int | None:
    """A cap as configured: None (unset) is ``default``; a value below 1 is no cap at all."""
    value = default if value is None else int(value)
    return value if value >= 1 else None


@contextlib.contextmanager
def network_slot(
    deadline: float, url: str, process_cap: int | None, client_cap: int | None
) -> Iterator[None]:
    """Hold one outside-fetch slot (process-wide and for the current client) for the block.

    The slots are shared by every fetcher of this process; ``process_cap`` and ``client_cap``
    are the caps (already passed through :func:`cap`) the fetcher was handed.
    """
    global _in_flight
    client = _client.get()
    client_cap = client_cap if client else None
    give_up = min(deadline, time.monotonic() + BUSY_WAIT_SECONDS)
    with _slots:
        while (process_cap is not None and _in_flight >= process_cap) or (
            client_cap is not None and _in_flight_by_client.get(client, 0) >= client_cap
        ):
            left = give_up - time.monotonic()
            if left <= 0:
                raise FetchError("busy", BUSY, url)
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


class Watchdog:
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
                raise TimeoutError(TOO_SLOW)
            self._socket = sock.dup()

    def detach(self) -> None:
        with self._lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0 or self.fired:
            raise TimeoutError(TOO_SLOW)
        return left


# sizes ----------------------------------------------------------------------------------


class HeaderBudget:
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
            raise FetchError("too_large", HEADERS_TOO_LARGE)
        want = self._bytes_left + 1
        if limit is not None and limit >= 0:
            want = min(want, limit)
        line = self._fp.readline(want)
        self._lines_left -= 1
        self._bytes_left -= len(line)
        if self._bytes_left < 0:
            raise FetchError("too_large", HEADERS_TOO_LARGE)
        return line

    def close(self) -> None:
        self._fp.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fp, name)


def read_capped(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError("too_large", f"the document is larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timeout", TOO_SLOW)
        chunk = response.read(min(65536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too_large", f"the document is larger than {max_bytes} bytes")
    return b"".join(chunks)
