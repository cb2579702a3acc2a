"""The bounded HTTP of the Service Consumer (:mod:`credentials.services.remote_hosts`).

The verifier's fetcher (:mod:`credentials.verify.fetch`) only GETs and sends no headers of
the caller's; registering a client (POST JSON), exchanging a code (POST form, HTTP Basic) and
calling the API (a bearer token, the ``Link`` header of the answer) need more. This module
sends one request under the fetcher's own rules, built from its pieces
(:mod:`credentials.verify.network`, :mod:`credentials.verify.limits`):

* https only (plain http and private addresses only when ``VERIFY_ALLOW_PRIVATE_FETCH`` is
  on, as in the tests);
* the name is resolved once, every address must be public, and the connection goes to the
  address that was checked (no DNS rebinding);
* one wall-clock deadline for the whole exchange, enforced by a watchdog;
* the status line and headers under their budget, the body under a cap while it is read;
* no redirects followed (an OAuth endpoint or API answer that redirects is an error);
* the process-wide and per-client concurrency caps of the fetcher.

Nothing from an answer is trusted beyond its bytes: callers validate what they read.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from credentials.conf import settings as conf
from credentials.issuing.keystore import key_secrets
from credentials.verify.limits import (
    DEFAULT_MAX_CONCURRENT,
    DEFAULT_MAX_PER_CLIENT,
    DEFAULT_TIMEOUT,
    TOO_SLOW,
    FetchError,
    Watchdog,
    cap,
    network_slot,
    read_capped,
)
from credentials.verify.network import (
    USER_AGENT,
    _PinnedHTTPConnection,
    _PinnedHTTPSConnection,
    _resolve,
    media_type,
)

__all__ = [
    "EARLIER_CLIENTS",
    "Answer",
    "FetchError",
    "RemoteError",
    "dumps",
    "clients_of",
    "open_grant",
    "seal",
    "seal_grant",
    "unseal",
    "credential_elements",
    "next_link",
    "request",
    "secure_enough",
]

DEFAULT_MAX_BYTES = 1024 * 1024
_HKDF_INFO = b"credentials.remote/oauth-secrets/v1"


class RemoteError(Exception):
    """Something about the other host or the learner's return stops the exchange; ``message``
    is for the learner (translated), ``code`` for the code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# secrets at rest (the client secret, refresh tokens) ------------------------------------------


def _fernet() -> MultiFernet:
    def one(secret: str) -> Fernet:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
            secret.encode("utf-8")
        )
        return Fernet(base64.urlsafe_b64encode(key))

    return MultiFernet([one(secret) for secret in key_secrets()])


def seal(plain: str) -> str:
    """``plain`` encrypted with the current key secret ('' stays '')."""
    return _fernet().encrypt(plain.encode("utf-8")).decode("ascii") if plain else ""


def unseal(token: str) -> str:
    """The text :func:`seal` encrypted ('' when there is none or it no longer decrypts)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return ""


def seal_grant(client_id: str, refresh_token: str) -> str:
    """A connection's refresh token and the client it was issued to, encrypted together."""
    if not refresh_token:
        return ""
    return seal(json.dumps({"client_id": client_id, "refresh_token": refresh_token}))


def open_grant(sealed: str) -> tuple[str | None, str]:
    """(client id, refresh token) of :func:`seal_grant`; (None, the text) for a bare token."""
    text = unseal(sealed)
    try:
        grant = json.loads(text) if text.startswith("{") else None
    except ValueError:
        grant = None
    if isinstance(grant, dict) and isinstance(grant.get("refresh_token"), str):
        return str(grant.get("client_id") or ""), grant["refresh_token"]
    return None, text


# Where a host's ``registration`` keeps the clients registered before its current one (our
# callback addresses changed since), so the connections made with them go on working.
EARLIER_CLIENTS = "earlier_clients"


def clients_of(client_id: str, sealed_secret: str, registration: Any) -> list[dict[str, Any]]:
    """A host's clients of ours, the current one first: each its id, sealed secret and the
    callback addresses we registered with it."""
    kept = registration if isinstance(registration, dict) else {}
    current = {
        "client_id": client_id,
        "client_secret_encrypted": sealed_secret,
        "sent_redirect_uris": kept.get("sent_redirect_uris"),
    }
    found = kept.get(EARLIER_CLIENTS)
    return (
        [current, *(c for c in found if isinstance(c, dict))]
        if isinstance(found, list)
        else [current]
    )


def dumps(value: Any) -> bytes:
    """Compact JSON, as sent to a host."""
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body as JSON (ValueError when it is not)."""
        return json.loads(self.body)


def secure_enough(url: str) -> bool:
    """True for https; plain http only when the tests allow private fetches."""
    scheme = urlsplit(url).scheme.lower()
    return scheme == "https" or (scheme == "http" and bool(conf.VERIFY_ALLOW_PRIVATE_FETCH))


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Answer:
    """Send one request under the rules above. Raises :class:`FetchError` for anything that
    prevented an answer; any HTTP status is returned (a redirect too, never followed)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError("url", "this is not a valid address", url[:200]) from exc
    if not secure_enough(url):
        raise FetchError("scheme", "only https addresses are used", url[:200])
    host = parts.hostname or ""
    if not host:
        raise FetchError("url", "the address has no host name", url[:200])
    https = parts.scheme.lower() == "https"
    port = port or (443 if https else 80)
    allow_private = bool(conf.VERIFY_ALLOW_PRIVATE_FETCH)
    watchdog = Watchdog(time.monotonic() + timeout)
    try:
        with network_slot(
            watchdog.deadline,
            url,
            cap(conf.VERIFY_FETCH_MAX_CONCURRENT, DEFAULT_MAX_CONCURRENT),
            cap(conf.VERIFY_FETCH_MAX_PER_CLIENT, DEFAULT_MAX_PER_CLIENT),
        ):
            return _exchange(
                method,
                url,
                parts,
                host,
                port,
                https,
                headers,
                body,
                max_bytes,
                watchdog,
                allow_private,
            )
    finally:
        watchdog.stop()


def _exchange(
    method: str,
    url: str,
    parts: Any,
    host: str,
    port: int,
    https: bool,
    headers: Mapping[str, str] | None,
    body: bytes | None,
    max_bytes: int,
    watchdog: Watchdog,
    allow_private: bool,
) -> Answer:
    address = _resolve(host, port, watchdog.deadline, allow_private)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})}
    connection: _PinnedHTTPConnection | None = None
    response: http.client.HTTPResponse | None = None
    try:
        watchdog.start()
        connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
        connection = connection_class(host, port, address, watchdog)
        connection.request(method, target, body=body, headers=sent)
        response = connection.getresponse()
        data = read_capped(response, max_bytes, watchdog.deadline)
        answer = Answer(
            status=response.status,
            content_type=media_type(response.getheader("Content-Type")),
            body=data,
            headers={name.lower(): value for name, value in response.getheaders()},
        )
    except FetchError as exc:
        exc.url = exc.url or url
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # ValueError: whatever else in the answer no parser expected (a header, a length):
        # the other host's fault, told to the learner like any unreachable host.
        if watchdog.fired or isinstance(exc, TimeoutError):
            raise FetchError("timeout", TOO_SLOW, url) from exc
        raise FetchError("network", f"could not reach {host}: {type(exc).__name__}", url) from exc
    finally:
        watchdog.detach()
        if response is not None:
            response.close()
        if connection is not None:
            connection.close()
    if watchdog.fired:
        raise FetchError("timeout", TOO_SLOW, url)
    return answer


# reading an answer ----------------------------------------------------------------------------

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[A-Za-z-]+\s*=\s*(?:\"[^\"]*\"|[^;,\s]*)\s*)*)")


def next_link(link_header: str) -> str | None:
    """The ``rel="next"`` target of an RFC 8288 ``Link`` header (as written), else None."""
    for match in _LINK.finditer(link_header or ""):
        params = match.group(2)
        for rel in re.findall(r"rel\s*=\s*(?:\"([^\"]*)\"|([^;,\s]*))", params, re.IGNORECASE):
            if "next" in (rel[0] or rel[1]).lower().split():
                return match.group(1).strip()
    return None


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


# The GetOpenBadgeCredentialsResponse member of VC-JWT credentials (OB 3.0 §6.2.2, the data
# model's class and our own provider), then the plural the specification's example once used.
JWS_MEMBERS = ("compactJwsString", "compactJwsStrings")


def credential_elements(text: str) -> tuple[list[str], list[str]]:
    """The ``credential`` array's elements as their own text, and the ``compactJwsString``
    tokens, of a GetOpenBadgeCredentialsResponse (valid JSON, checked by the caller).

    Each JSON element is the exact slice of the answer that holds it, so a credential is kept
    as the host sent it, byte for byte (encoded back to UTF-8, as it arrived).
    Raises ValueError when the text is not a JSON object.
    """
    decoder = json.JSONDecoder()
    objects: list[str] = []
    found: dict[str, list[str]] = {}
    try:
        index = _skip(text, 0)
        if text[index] != "{":
            raise ValueError("not a JSON object")
        index = _skip(text, index + 1)
        while text[index] != "}":
            key, index = decoder.raw_decode(text, index)
            index = _skip(text, index)
            if text[index] != ":":
                raise ValueError("a member without a value")
            index = _skip(text, index + 1)
            if key == "credential" and text[index] == "[":
                objects = []
                index = _skip(text, index + 1)
                while text[index] != "]":
                    start = index
                    _value, index = decoder.raw_decode(text, index)
                    objects.append(text[start:index])
                    index = _skip(text, index)
                    if text[index] == ",":
                        index = _skip(text, index + 1)
                index += 1
            else:
                value, index = decoder.raw_decode(text, index)
                if key in JWS_MEMBERS and isinstance(value, list):
                    found[key] = [item for item in value if isinstance(item, str)]
                elif key == "credential":
                    objects = []
            index = _skip(text, index)
            if text[index] == ",":
                index = _skip(text, index + 1)
    except IndexError as exc:
        raise ValueError("the JSON ends too early") from exc
    tokens = next((found[name] for name in JWS_MEMBERS if name in found), [])
    return objects, tokens
