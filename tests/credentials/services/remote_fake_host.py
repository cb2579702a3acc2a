"""A fake Open Badges 3.0 host on 127.0.0.1 for the Service Consumer tests: discovery, RFC 7591
registration, the token endpoint with PKCE S256, getCredentials (Link paging) and getProfile.

The learner's browser visit to the authorisation page is :meth:`FakeHost.approve`: it checks
what we sent there and mints a code bound to the PKCE challenge, as a real host would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API = "/ims/ob/v3p0"


def credential(number: int, issuer: str = "https://other-issuer.example/issuer") -> dict:
    """A minimal OB 3.0 credential (unsigned: upsert keeps it; the verifier judges it later)."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Other Issuer"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": f"Remote badge {number}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"{issuer}/a/{number}",
                "type": ["Achievement"],
                "name": f"Remote badge {number}",
            },
        },
    }


def token(number: int) -> str:
    """Another issuer's credential as a compact VC-JWT (its signature is not checked here)."""

    def part(value: Any) -> str:
        raw = value if isinstance(value, bytes) else json.dumps(value).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = {"alg": "EdDSA", "typ": "JWT"}
    return ".".join((part(header), part({"vc": credential(number)}), part(b"signature")))


def baked_other(fmt: str, number: int = 7) -> bytes:
    """Another issuer's credential (its JSON text indented, as their platform wrote it) baked
    into a PNG or an SVG."""
    from credentials.issuing import baking
    from credentials.standards import bakery

    png = baking.default_png("Other")
    image = png if fmt == "png" else baking._svg_with_png(png, "Other")
    return bakery.bake(image, json.dumps(credential(number), indent=2, ensure_ascii=False))


class FakeHost:
    def __init__(self) -> None:
        self.discovery_overrides: dict[str, Any] = {}
        self.credential_texts: list[str] = []  # each element exactly as served
        self.tokens: list[str] = []
        self.token_answer: dict[str, Any] | None = None  # replaces the token response
        self.registrations = 0
        self.requests: list[tuple[str, str]] = []
        self.codes: dict[str, dict[str, str]] = {}
        self.access_tokens: set[str] = set()
        self.client: dict[str, str] = {}  # the newest registration
        self.clients: dict[str, str] = {}  # every client registered: id -> secret
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> the client it was issued to
        self.registration_overrides: dict[str, Any] = {}  # merged into the registration answer
        self.content_length: str | None = None  # a Content-Length to declare instead
        host = self

        class Handler(BaseHTTPRequestHandler):
            def _send(
                self,
                status: int,
                body: bytes,
                ctype: str = "application/json",
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", host.content_length or str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                host.requests.append(("GET", self.path))
                host.on_get(self)

            def do_POST(self) -> None:  # noqa: N802
                host.requests.append(("POST", self.path))
                length = int(self.headers.get("Content-Length") or 0)
                host.on_post(self, self.rfile.read(length))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- documents -------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        scheme = {
            "type": "oauth2",
            "x-imssf-registrationUrl": self.base + "/register",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": self.base + "/authorize",
                    "tokenUrl": self.base + "/token",
                    "refreshUrl": self.base + "/token",
                    "scopes": {
                        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly": "r"
                    },
                }
            },
        }
        flow = scheme["flows"]["authorizationCode"]
        for key, value in self.discovery_overrides.items():
            (scheme if key.startswith("x-") else flow)[key] = value
        return {
            "openapi": "3.0.1",
            "info": {"title": "Fake host", "version": "1.0"},
            "servers": [{"url": self.base + API}],
            "paths": {},
            "components": {"securitySchemes": {"OAuth2ACG": scheme}},
        }

    def approve(self, authorize_url: str) -> tuple[str, str]:
        """The learner says yes at the host: (code, state) from what we sent there."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        assert query["response_type"] == "code"
        assert query["client_id"] in self.clients
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        return code, query["state"]

    # --- endpoints -------------------------------------------------------------------------

    def on_get(self, request: Any) -> None:
        parts = urlsplit(request.path)
        if parts.path == API + "/discovery":
            return request._send(200, json.dumps(self.discovery()).encode())
        if parts.path == "/credential.json":  # a credential at a public address
            return request._send(200, json.dumps(credential(99)).encode())
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.access_tokens:
            return request._send(401, b'{"imsx_codeMajor":"failure"}')
        if parts.path == API + "/profile":
            return request._send(200, b'{"id":"https://host/p","name":"Alice Elsewhere"}')
        if parts.path == API + "/credentials":
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            limit, offset = int(query.get("limit", 10)), int(query.get("offset", 0))
            page = self.credential_texts[offset : offset + limit]
            body = (
                '{"credential": ['
                + ", ".join(page)
                + '], "compactJwsString": '
                + json.dumps(self.tokens if offset == 0 else [])
                + "}"
            ).encode()
            headers = {"X-Total-Count": str(len(self.credential_texts))}
            if offset + limit < len(self.credential_texts):
                headers["Link"] = (
                    f"<{self.base}{API}/credentials?limit={limit}&offset={offset + limit}>; "
                    'rel="next"'
                )
            return request._send(200, body, headers=headers)
        return request._send(404, b"{}")

    def on_post(self, request: Any, body: bytes) -> None:
        if request.path == "/register":
            self.registrations += 1
            sent = json.loads(body)
            self.client = {
                "client_id": f"client-{self.registrations}",
                "client_secret": secrets.token_urlsafe(16),
            }
            self.clients[self.client["client_id"]] = self.client["client_secret"]
            answer = {**sent, **self.client, **self.registration_overrides}
            return request._send(201, json.dumps(answer).encode())
        if request.path == "/token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            auth = request.headers.get("Authorization", "")
            client_id = next(
                (
                    known
                    for known, secret in self.clients.items()
                    if auth == "Basic " + base64.b64encode(f"{known}:{secret}".encode()).decode()
                ),
                None,
            )
            if client_id is None:
                return request._send(401, b'{"error":"invalid_client"}')
            if form.get("grant_type") == "authorization_code":
                sent = self.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if (
                    sent is None
                    or sent["client_id"] != client_id
                    or sent["code_challenge"] != challenge
                    or sent["redirect_uri"] != form.get("redirect_uri")
                ):
                    return request._send(400, b'{"error":"invalid_grant"}')
            elif form.get("grant_type") == "refresh_token":
                # A refresh token works only for the client it was issued to (RFC 6749 §6).
                if self.refresh_tokens.get(form.get("refresh_token", "")) != client_id:
                    return request._send(400, b'{"error":"invalid_grant"}')
            else:
                return request._send(400, b'{"error":"unsupported_grant_type"}')
            access = secrets.token_urlsafe(16)
            self.access_tokens.add(access)
            self.refresh_tokens["refresh-" + access] = client_id
            answer = self.token_answer or {
                "access_token": access,
                "token_type": "Bearer",
                "refresh_token": "refresh-" + access,
                "expires_in": 3600,
            }
            return request._send(200, json.dumps(answer).encode())
        return request._send(404, b"{}")


# --- fixtures shared by the consumer and import tests (defined once, imported) --------------

import pytest  # noqa: E402

from cms import roles  # noqa: E402


@pytest.fixture
def add_alice(make_user):
    return make_user("alice.import@example.org", roles.LEARNERS, display_name="Alice")


@pytest.fixture
def add_bob(make_user):
    return make_user("bob.import@example.org", roles.LEARNERS, display_name="Bob")


@pytest.fixture
def add_charlie(make_user):
    return make_user("charlie.import@example.org", roles.LEARNERS, display_name="Charlie")


@pytest.fixture
def fake_host(settings):
    """A fake OB 3.0 host on loopback (the test setting lets the consumer reach it)."""
    from django.core.cache import cache

    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    cache.clear()
    host = FakeHost()
    yield host
    host.stop()
