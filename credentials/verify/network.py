"""One hop over the network: resolve, connect to the address that was checked, send one GET,
read the answer under the limits (:mod:`.limits`).

* the host name is resolved once (in a bounded pool, so a slow name server is left behind)
  and *every* address must be public unless ``allow_private``; the connection goes to the
  address that was checked (no DNS rebinding);
* the watchdog bounds everything, TLS handshake included;
* the status line and headers are read under their budget, the body under its cap.

Redirects, the cache and our own site are the :class:`~credentials.verify.fetch.Fetcher`'s.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urlsplit

from credentials.verify.limits import (
    TOO_SLOW,
    FetchError,
    HeaderBudget,
    Watchdog,
    is_public_address,
    read_capped,
)

__all__ = ["REDIRECTS", "USER_AGENT", "Hop", "media_type", "network_hop"]

USER_AGENT = "CoCreateAcademy-Verifier/1.0 (+Open Badges verification)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})

# One hop's answer: status, media type, body, Location (of a redirect).
Hop = tuple[int, str, bytes, str | None]


def media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


_DNS_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="verify-dns")


def _resolve(host: str, port: int, deadline: float, allow_private: bool) -> str:
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
    if not allow_private:
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise FetchError(
                "blocked",
                f"{host} is an internal or reserved address ({refused[0]}); "
                "only public addresses are fetched",
            )
    return addresses[0]


# one hop ----------------------------------------------------------------------------------


class _CappedResponse(http.client.HTTPResponse):
    def begin(self) -> None:
        if self.headers is not None:
            return
        raw = self.fp
        budget = HeaderBudget(raw)
        self.fp = budget
        try:
            super().begin()
        finally:
            if self.fp is budget:  # (None if begin() already closed the response)
                self.fp = raw


class _PinnedHTTPConnection(http.client.HTTPConnection):
    response_class = _CappedResponse

    def __init__(self, host: str, port: int, address: str, watchdog: Watchdog) -> None:
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


def network_hop(
    url: str, accept: str, max_bytes: int, watchdog: Watchdog, allow_private: bool
) -> Hop:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise FetchError("scheme", "the URL has no host name", url)
    https = parts.scheme == "https"
    try:
        port = parts.port or (443 if https else 80)
    except ValueError as exc:
        raise FetchError("scheme", "the URL has an invalid port", url) from exc
    address = _resolve(host, port, watchdog.deadline, allow_private)
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
            headers={"Accept": accept, "User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )
        response = connection.getresponse()
        body = (
            b""
            if response.status in REDIRECTS
            else read_capped(response, max_bytes, watchdog.deadline)
        )
        answer = (
            response.status,
            media_type(response.getheader("Content-Type")),
            body,
            response.getheader("Location"),
        )
    except FetchError as exc:
        exc.url = exc.url or url
        raise
    except (OSError, http.client.HTTPException) as exc:  # ssl.SSLError is an OSError
        if watchdog.fired or isinstance(exc, TimeoutError):
            raise FetchError("timeout", TOO_SLOW, url) from exc
        raise FetchError("network", f"could not reach {host}: {type(exc).__name__}", url) from exc
    finally:
        watchdog.detach()
        if response is not None:
            response.close()
        if connection is not None:
            connection.close()
    if watchdog.fired:  # the answer may have been cut short by the watchdog
        raise FetchError("timeout", TOO_SLOW, url)
    return answer
