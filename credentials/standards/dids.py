"""A wallet's key as a DID, resolved locally: ``did:key`` and ``did:jwk`` (no network).

Two key types, the ones OpenID4VCI wallets prove possession with: Ed25519 (JWS ``EdDSA``) and
P-256 (``ES256``). Anything else is refused.

* ``did:key:z…`` — multibase base58btc of a multicodec-prefixed public key (``0xed01``
  Ed25519, ``0x8024`` P-256 compressed). Verification method ``did:key:<mb>#<mb>``.
* ``did:jwk:<base64url(JWK)>`` — the public JWK itself. Verification method ``did:jwk:…#0``.

Pure: no Django, nothing of ours.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

__all__ = [
    "DIDError",
    "HolderKey",
    "did_for_jwk",
    "did_key",
    "jwk_of",
    "key_from_jwk",
    "resolve",
]

HolderKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey

_ED25519 = b"\xed\x01"
_P256 = b"\x80\x24"
_MAX_DID = 2000
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


class DIDError(ValueError):
    """A DID or key that we cannot resolve or do not accept."""


def _b64url_decode(value: str) -> bytes:
    if not isinstance(value, str) or not value or "=" in value:
        raise DIDError("not base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError) as exc:
        raise DIDError("not base64url") from exc


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def key_from_jwk(jwk: Mapping[str, Any]) -> HolderKey:
    """The public key of an Ed25519 (OKP) or P-256 (EC) JWK; private JWKs are refused."""
    if not isinstance(jwk, Mapping):
        raise DIDError("a JWK is a JSON object")
    if _PRIVATE_MEMBERS & set(jwk):
        raise DIDError("the JWK holds private key material")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty == "OKP" and crv == "Ed25519":
        raw = _b64url_decode(jwk.get("x", ""))
        if len(raw) != 32:
            raise DIDError("an Ed25519 key is 32 bytes")
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)
    if kty == "EC" and crv == "P-256":
        x, y = _b64url_decode(jwk.get("x", "")), _b64url_decode(jwk.get("y", ""))
        if len(x) != 32 or len(y) != 32:
            raise DIDError("a P-256 coordinate is 32 bytes")
        try:
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b"\x04" + x + y)
        except ValueError as exc:
            raise DIDError("not a point on P-256") from exc
    raise DIDError(f"unsupported key type {kty!r} {crv!r}")


def jwk_of(key: HolderKey) -> dict[str, str]:
    """The public JWK (only the members RFC 7638 needs, in a stable form)."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        numbers = key.public_numbers()
        return {
            "crv": "P-256",
            "kty": "EC",
            "x": _b64url(numbers.x.to_bytes(32, "big")),
            "y": _b64url(numbers.y.to_bytes(32, "big")),
        }
    raise DIDError(f"unsupported key type {type(key).__name__}")


def did_for_jwk(jwk: Mapping[str, Any]) -> str:
    """``did:jwk`` of a public JWK (checked first; re-encoded from the key, so stable)."""
    canonical = json.dumps(jwk_of(key_from_jwk(jwk)), separators=(",", ":"), sort_keys=True)
    return "did:jwk:" + _b64url(canonical.encode("utf-8"))


def did_key(key: HolderKey) -> str:
    """``did:key`` of an Ed25519 or P-256 public key."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = _ED25519 + key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    elif isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        raw = _P256 + key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
    else:
        raise DIDError(f"unsupported key type {type(key).__name__}")
    return "did:key:z" + base58.b58encode(raw).decode("ascii")


def _from_did_key(identifier: str, fragment: str | None) -> HolderKey:
    multibase = identifier[len("did:key:") :]
    if not multibase.startswith("z"):
        raise DIDError("did:key must be base58btc multibase (z…)")
    if fragment is not None and fragment != multibase:
        raise DIDError("did:key verification method must be #<the key>")
    try:
        raw = base58.b58decode(multibase[1:])
    except ValueError as exc:
        raise DIDError("did:key is not base58btc") from exc
    if raw[:2] == _ED25519 and len(raw) == 34:
        return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])
    if raw[:2] == _P256 and len(raw) == 35:
        try:
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:])
        except ValueError as exc:
            raise DIDError("not a point on P-256") from exc
    raise DIDError("did:key of an unsupported key type")


def _from_did_jwk(identifier: str, fragment: str | None) -> HolderKey:
    if fragment not in (None, "0"):
        raise DIDError("did:jwk verification method must be #0")
    try:
        jwk = json.loads(_b64url_decode(identifier[len("did:jwk:") :]))
    except ValueError as exc:
        raise DIDError("did:jwk is not a base64url JSON JWK") from exc
    return key_from_jwk(jwk)


def resolve(did_or_url: str) -> tuple[str, HolderKey]:
    """``(DID, public key)`` of a ``did:key`` / ``did:jwk`` DID or verification method URL."""
    if not isinstance(did_or_url, str) or len(did_or_url) > _MAX_DID:
        raise DIDError("not a DID")
    identifier, _, fragment = did_or_url.partition("#")
    fragment_or_none = fragment if "#" in did_or_url else None
    if identifier.startswith("did:key:"):
        return identifier, _from_did_key(identifier, fragment_or_none)
    if identifier.startswith("did:jwk:"):
        return identifier, _from_did_jwk(identifier, fragment_or_none)
    raise DIDError("only did:key and did:jwk are resolved")
