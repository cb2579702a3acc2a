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
    """Unpadded base64url, written the one canonical way (no stray characters or bits)."""
    if not isinstance(value, str) or not value or "=" in value:
        raise DIDError("not base64url")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError) as exc:
        raise DIDError("not base64url") from exc
    if _b64url(raw) != value:
        raise DIDError("not canonical base64url")
    return raw


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


# Ed25519 (RFC 8032 §5.1): the field, the group order, d and sqrt(-1).
_ED_P = 2**255 - 19
_ED_L = 2**252 + 27742317777372353535851937790883648493
_ED_D = -121665 * pow(121666, -1, _ED_P) % _ED_P
_ED_SQRT_M1 = pow(2, (_ED_P - 1) // 4, _ED_P)

_Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T)


def _ed_decode(raw: bytes) -> _Point | None:
    """RFC 8032 §5.1.3 decoding, strict: None for y ≥ p, -0 or a point off the curve."""
    p = _ED_P
    value = int.from_bytes(raw, "little")
    y, sign = value & ((1 << 255) - 1), value >> 255
    if y >= p:
        return None
    u, v = (y * y - 1) % p, (_ED_D * y * y + 1) % p
    x = u * pow(v, 3, p) * pow(u * pow(v, 7, p), (p - 5) // 8, p) % p
    if v * x * x % p == (-u) % p:
        x = x * _ED_SQRT_M1 % p
    if v * x * x % p != u or (x == 0 and sign):
        return None
    if x & 1 != sign:
        x = p - x
    return x, y, 1, x * y % p


def _ed_add(a: _Point, b: _Point) -> _Point:
    p = _ED_P
    (x1, y1, z1, t1), (x2, y2, z2, t2) = a, b
    e1, e2 = (y1 - x1) * (y2 - x2) % p, (y1 + x1) * (y2 + x2) % p
    c, d = 2 * _ED_D * t1 * t2 % p, 2 * z1 * z2 % p
    e, f, g, h = e2 - e1, d - c, d + c, e2 + e1
    return e * f % p, g * h % p, f * g % p, e * h % p


def _ed_is_identity(a: _Point) -> bool:
    return a[0] % _ED_P == 0 and (a[1] - a[2]) % _ED_P == 0


def _ed25519_key(raw: bytes) -> ed25519.Ed25519PublicKey:
    """An Ed25519 public key of prime order, canonically encoded; anything else is refused.

    A small-order key (the identity, the other seven points of order 2, 4 or 8) lets anyone
    make a signature that verifies without a private key; a key with a small-order part, or
    written non-canonically, names one key in several ways. Keys made the ordinary way
    (``a·B``) are never refused.
    """
    if len(raw) != 32:
        raise DIDError("an Ed25519 key is 32 bytes")
    point = _ed_decode(raw)
    if point is None:
        raise DIDError("not a canonical Ed25519 point")
    multiple, power, k = (0, 1, 1, 0), point, _ED_L
    while k:
        if k & 1:
            multiple = _ed_add(multiple, power)
        power, k = _ed_add(power, power), k >> 1
    if _ed_is_identity(point) or not _ed_is_identity(multiple):
        raise DIDError("an Ed25519 key of small order or outside the prime-order group")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw)


def key_from_jwk(jwk: Mapping[str, Any]) -> HolderKey:
    """The public key of an Ed25519 (OKP) or P-256 (EC) JWK; private JWKs are refused."""
    if not isinstance(jwk, Mapping):
        raise DIDError("a JWK is a JSON object")
    if _PRIVATE_MEMBERS & set(jwk):
        raise DIDError("the JWK holds private key material")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty == "OKP" and crv == "Ed25519":
        return _ed25519_key(_b64url_decode(jwk.get("x", "")))
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
        return _ed25519_key(raw[2:])
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
