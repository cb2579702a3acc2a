"""The only way verification reaches the network.

Verifying a credential means fetching documents named by that credential: an
assertion, a badge class, an issuer profile, a key, a status list.  Those URLs
come from strangers, so every fetch here is treated as hostile:

* only ``http`` and ``https``;
* the host name is resolved once and *every* address must be public -- no
  loopback, private, link-local, shared, reserved or multicast targets -- and
  the connection goes to the address that was checked (no DNS rebinding);
  ``settings.VERIFY_ALLOW_PRIVATE_FETCH`` lifts this for tests;
* one deadline (5 seconds) for the whole fetch, redirects included;
* a size cap while reading, whatever ``Content-Length`` says;
* at most a few redirects, each hop checked again, no loops;
* successful answers are cached briefly in the Django cache.

Our own documents (URLs under ``settings.SITE_URL``) are served in-process
through Django's request handler, the same views an outsider would reach over
HTTP, unless ``settings.VERIFY_FETCH_IN_PROCESS`` is False.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "FetchError",
    "FetchResult",
    "fetch",
    "is_public_address",
]

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
CACHE_SECONDS = 60
_USER_AGENT = "CoCreateAcademy-Verifier/1.0 (+Open Badges verification)"
_CACHEABLE = frozenset({200, 410})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A document could not be fetched; ``kind`` says why in one word.

    Kinds: ``scheme``, ``blocked`` (not a public address), ``dns``, ``timeout``,
    ``too_large``, ``redirect`` (too many or a loop), ``network``.
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


def _site_origin() -> tuple[str, str] | None:
    site = urlsplit(getattr(settings, "SITE_URL", "") or "")
    if not site.scheme or not site.netloc:
        return None
    return site.scheme.lower(), site.netloc.lower()


def _is_own(url: str) -> bool:
    if not getattr(settings, "VERIFY_FETCH_IN_PROCESS", True):
        return False
    parts = urlsplit(url)
    return _site_origin() == (parts.scheme.lower(), parts.netloc.lower())


def _resolve(host: str, port: int, deadline: float) -> str:
    """Resolve ``host`` and return an address to connect to, refusing non-public ones."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        if time.monotonic() > deadline:
            raise FetchError("timeout", "timed out resolving the host name") from None
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
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


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


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
            raise FetchError("timeout", "the server took too long to answer")
        chunk = response.read(min(65536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too_large", f"the document is larger than {max_bytes} bytes")
    return b"".join(chunks)


def _network_hop(
    url: str, accept: str, max_bytes: int, deadline: float
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
    address = _resolve(host, port, deadline)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("timeout", "the server took too long to answer", url)
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout=remaining)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "GET",
            target,
            headers={"Accept": accept, "User-Agent": _USER_AGENT, "Accept-Encoding": "identity"},
        )
        response = connection.getresponse()
        body = b"" if response.status in _REDIRECTS else _read_capped(response, max_bytes, deadline)
        return (
            response.status,
            _media_type(response.getheader("Content-Type")),
            body,
            response.getheader("Location"),
        )
    except FetchError as exc:
        exc.url = exc.url or url
        raise
    except TimeoutError as exc:
        raise FetchError("timeout", "the server took too long to answer", url) from exc
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        raise FetchError("network", f"could not reach {host}: {type(exc).__name__}", url) from exc
    finally:
        connection.close()


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
    return f"verify-fetch:{digest}"


def fetch(
    url: str,
    *,
    accept: str = "application/ld+json, application/json;q=0.9, */*;q=0.1",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    use_cache: bool = True,
) -> FetchResult:
    """GET ``url`` under the rules above; any HTTP status other than a redirect is returned.

    Raises :class:`FetchError` for anything that prevented an answer.
    """
    if not isinstance(url, str) or urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError("scheme", "only http and https URLs are fetched", str(url)[:200])
    key = _cache_key(url, accept)
    if use_cache:
        cached = cache.get(key)
        if isinstance(cached, dict):
            return FetchResult(**cached)
    deadline = time.monotonic() + timeout
    seen: set[str] = set()
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError("scheme", "a redirect led to a URL that is not http(s)", current)
        normalised = current.split("#", 1)[0]
        if normalised in seen:
            raise FetchError("redirect", "the address redirects in a loop", url)
        seen.add(normalised)
        if _is_own(current):
            status, media_type, body, location = _in_process_hop(current, accept, max_bytes)
        else:
            status, media_type, body, location = _network_hop(current, accept, max_bytes, deadline)
        if status in _REDIRECTS:
            if not location:
                raise FetchError("network", "a redirect without a Location header", current)
            current = urljoin(current, location)
            continue
        result = FetchResult(url=current, status=status, content_type=media_type, body=body)
        if use_cache and status in _CACHEABLE:
            seconds = getattr(settings, "VERIFY_FETCH_CACHE_SECONDS", CACHE_SECONDS)
            cache.set(key, dict(result.__dict__), seconds)
        return result
    raise FetchError("redirect", f"more than {MAX_REDIRECTS} redirects", url)
