"""Test issuers for verification: documents served from a local HTTP server thread.

Credentials are built here with the core modules only (keys, dataintegrity, jws, bakery,
statuslist), in the shape the Open Badges 2.0 and 3.0 specifications give.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from PIL import Image

from credentials.standards import bakery, dataintegrity, jws, keys, statuslist

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
EMAIL = "ada@example.org"
SALT = "pepper-1234"


def identity_hash(email: str = EMAIL, salt: str = SALT) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def png_image(size: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (30, 90, 200)).save(out, format="PNG")
    return out.getvalue()


SVG_IMAGE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<circle cx="5" cy="5" r="4" fill="#36c"/></svg>'
)


class DocServer:
    """Serves a dict of path -> (status, content type, body, extra headers) on 127.0.0.1."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}
        self.hits: list[str] = []
        routes, hits = self.routes, self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                hits.append(self.path)
                status, content_type, body, headers = routes.get(
                    self.path, (404, "text/plain", b"not found", {})
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def json(self, path: str, document: Any, status: int = 200, content_type: str = "") -> str:
        body = json.dumps(document).encode()
        self.routes[path] = (status, content_type or "application/ld+json", body, {})
        return self.url(path)

    def raw(self, path: str, body: bytes, content_type: str = "text/plain", status: int = 200):
        self.routes[path] = (status, content_type, body, {})
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.routes[path] = (status, "text/plain", b"", {"Location": location})
        return self.url(path)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class ExternalIssuer:
    """Another institution, publishing OB 2.0 and 3.0 documents on a DocServer."""

    def __init__(self, server: DocServer, slug: str = "helix") -> None:
        self.server = server
        self.slug = slug
        self.ed_key = keys.generate_ed25519_key()
        self.rsa_key = keys.generate_rsa_key()
        self.id = server.url(f"/{slug}/issuer")
        self.ed_method = f"{self.id}#ed25519-1"
        self.rsa_method = f"{self.id}#rsa-1"
        self.status_list = statuslist.BitstringStatusList()
        self.status_url = server.url(f"/{slug}/status/1")
        self.revoked_ob2: list[dict[str, str]] = []
        self.publish()

    # OB 3.0 -------------------------------------------------------------------------

    def profile(self) -> dict[str, Any]:
        return {
            "@context": [CREDENTIALS_V2, OB3_CONTEXT],
            "id": self.id,
            "type": ["Profile"],
            "name": "Helix Robotics Test",
            "url": "https://helix.example",
            "email": "badges@helix.example",
            "verificationMethod": [
                {
                    "id": self.ed_method,
                    "type": "Multikey",
                    "controller": self.id,
                    "publicKeyMultibase": keys.public_key_multibase(self.ed_key.public_key()),
                },
                {
                    "id": self.rsa_method,
                    "type": "JsonWebKey",
                    "controller": self.id,
                    "publicKeyJwk": keys.public_jwk(self.rsa_key.public_key()),
                },
            ],
            "assertionMethod": [self.ed_method, self.rsa_method],
        }

    def publish(self) -> None:
        self.server.json(f"/{self.slug}/issuer", self.profile())
        status = statuslist.build_status_list_credential(
            credential_id=self.status_url,
            issuer=self.id,
            status_purpose="revocation",
            encoded_list=self.status_list.encode(),
            valid_from=datetime(2024, 1, 1, tzinfo=UTC),
        )
        signed = dataintegrity.sign_eddsa_rdfc_2022(status, self.ed_key, self.ed_method)
        self.server.json(f"/{self.slug}/status/1", signed)
        self.server.json(f"/{self.slug}/ob2/issuer", self.ob2_issuer())
        self.server.json(
            f"/{self.slug}/ob2/revocations",
            {
                "@context": OB2_CONTEXT,
                "id": self.server.url(f"/{self.slug}/ob2/revocations"),
                "type": "RevocationList",
                "issuer": self.server.url(f"/{self.slug}/ob2/issuer"),
                "revokedAssertions": self.revoked_ob2,
            },
        )
        self.server.json(
            f"/{self.slug}/ob2/key",
            {
                "@context": OB2_CONTEXT,
                "type": "CryptographicKey",
                "id": self.server.url(f"/{self.slug}/ob2/key"),
                "owner": self.server.url(f"/{self.slug}/ob2/issuer"),
                "publicKeyPem": self.rsa_key.public_key()
                .public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
                .decode(),
            },
        )
        self.server.json(f"/{self.slug}/ob2/badge", self.ob2_badge())

    def revoke_index(self, index: int) -> None:
        self.status_list.set(index, 1)
        self.publish()

    def credential(
        self,
        index: int = 3,
        *,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
        issuer: str | None = None,
        status: bool = True,
    ) -> dict[str, Any]:
        issuer_id = issuer or self.id
        credential: dict[str, Any] = {
            "@context": [CREDENTIALS_V2, OB3_CONTEXT],
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": "Robot teamwork",
            "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Helix Robotics Test"},
            "validFrom": stamp(valid_from or datetime.now(UTC) - timedelta(days=10)),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityHash": identity_hash(),
                        "identityType": "emailAddress",
                        "hashed": True,
                        "salt": SALT,
                    }
                ],
                "achievement": {
                    "id": self.server.url(f"/{self.slug}/achievements/teamwork"),
                    "type": ["Achievement"],
                    "name": "Robot teamwork",
                    "description": "Builds a robot cell together with an industry team.",
                    "criteria": {"narrative": "Completed the co-creation project."},
                    "alignment": [
                        {
                            "type": ["Alignment"],
                            "targetName": "Working with others",
                            "targetUrl": "https://example.org/entrecomp/3.4",
                            "targetCode": "3.4",
                            "targetFramework": "EntreComp",
                        }
                    ],
                },
            },
            "evidence": [
                {
                    "id": "https://helix.example/projects/42",
                    "type": ["Evidence"],
                    "name": "Project report",
                    "narrative": "Led the gripper design.",
                }
            ],
        }
        if valid_until is not None:
            credential["validUntil"] = stamp(valid_until)
        if status:
            credential["credentialStatus"] = statuslist.status_list_entry(
                status_list_credential=self.status_url, index=index
            )
        return credential

    def sign(self, credential: dict[str, Any], key=None, method: str | None = None) -> dict:
        return dataintegrity.sign_eddsa_rdfc_2022(
            credential, key or self.ed_key, method or self.ed_method
        )

    def jwt(self, credential: dict[str, Any], **options: Any) -> str:
        if not options:
            options = {"kid": self.rsa_method}
        return jws.encode_vc_jwt(credential, self.rsa_key, **options)

    # OB 2.0 -------------------------------------------------------------------------

    def ob2_issuer(self) -> dict[str, Any]:
        return {
            "@context": OB2_CONTEXT,
            "type": "Issuer",
            "id": self.server.url(f"/{self.slug}/ob2/issuer"),
            "name": "Helix Robotics Test",
            "url": "https://helix.example",
            "email": "badges@helix.example",
            "publicKey": self.server.url(f"/{self.slug}/ob2/key"),
            "revocationList": self.server.url(f"/{self.slug}/ob2/revocations"),
        }

    def ob2_badge(self) -> dict[str, Any]:
        return {
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": self.server.url(f"/{self.slug}/ob2/badge"),
            "name": "Robot teamwork",
            "description": "Builds a robot cell together with an industry team.",
            "image": "https://helix.example/badge.png",
            "criteria": {"narrative": "Completed the co-creation project."},
            "issuer": self.server.url(f"/{self.slug}/ob2/issuer"),
            "alignment": [{"targetName": "Working with others", "targetUrl": "https://x.org/3.4"}],
        }

    def assertion(self, name: str = "a1", *, hosted: bool = True, **extra: Any) -> dict:
        assertion_id = self.server.url(f"/{self.slug}/ob2/assertions/{name}")
        document = {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": assertion_id,
            "recipient": {
                "type": "email",
                "hashed": True,
                "salt": SALT,
                "identity": identity_hash(),
            },
            "badge": self.server.url(f"/{self.slug}/ob2/badge"),
            "issuedOn": stamp(datetime.now(UTC) - timedelta(days=5)),
            "verify": {"type": "hosted", "url": assertion_id}
            if hosted
            else {"type": "signed", "creator": self.server.url(f"/{self.slug}/ob2/key")},
            **extra,
        }
        if hosted:
            self.server.json(f"/{self.slug}/ob2/assertions/{name}", document)
        return document

    def signed_assertion(self, name: str = "s1", **extra: Any) -> tuple[dict, str]:
        document = self.assertion(name, hosted=False, **extra)
        document["id"] = f"urn:uuid:{uuid.uuid4()}"
        return document, jws.sign_ob2_assertion(document, self.rsa_key)


def baked_png(payload: Any, version: str = "3.0") -> bytes:
    return bakery.bake(png_image(), payload, version=version)


def baked_svg(payload: Any, version: str = "3.0") -> bytes:
    return bakery.bake(SVG_IMAGE, payload, version=version)
