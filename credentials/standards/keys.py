"""Issuer key pairs: generation, encryption at rest, and public key formats.

* Ed25519 (Data Integrity ``eddsa-rdfc-2022``, VC-JWT ``EdDSA``) and
  RSA-2048 (OB 2.0 signed assertions and OB 3.0 VC-JWT ``RS256``).
* Private keys are stored as PKCS#8 DER inside a Fernet token.  The Fernet key
  is derived with HKDF-SHA256 from a secret the caller passes in (a settings
  value); the secret must be high-entropy, e.g. Django's ``SECRET_KEY``.  Pass
  several secrets to rotate: the first encrypts, any of them decrypts.
* Public keys export as Multikey (``publicKeyMultibase``), JWK and ``did:key``
  and parse back from each of those for verification.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import base58
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

__all__ = [
    "KeyFormatError",
    "PrivateKey",
    "PublicKey",
    "decrypt_private_key",
    "did_key",
    "did_key_verification_method",
    "ed25519_private_key_from_multibase",
    "encrypt_private_key",
    "generate_ed25519_key",
    "generate_rsa_key",
    "jwk_thumbprint",
    "multikey_document",
    "public_jwk",
    "public_key_from_did_key",
    "public_key_from_jwk",
    "public_key_from_multibase",
    "public_key_multibase",
]

PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey

MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
# Multicodec varint prefixes: ed25519-pub (0xed), ed25519-priv (0x1300).
_ED25519_PUB_PREFIX = b"\xed\x01"
_ED25519_PRIV_PREFIX = b"\x80\x26"
# Part of every key encrypted at rest: never change it (stored keys would no longer decrypt). It
# names the module as it was when keys were first encrypted, before the move to standards/.
_HKDF_INFO = b"credentials.keys/private-key-encryption/v1"
_RSA_BITS = 2048
_RSA_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth"})


class KeyFormatError(ValueError):
    """A key could not be decrypted, parsed or is of an unsupported kind."""


# --- generation -------------------------------------------------------------


def generate_ed25519_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def generate_rsa_key(bits: int = _RSA_BITS) -> rsa.RSAPrivateKey:
    if bits < _RSA_BITS:
        raise KeyFormatError(f"RSA keys must be at least {_RSA_BITS} bits")
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


# --- encryption at rest -----------------------------------------------------


def _fernet(secret: str | bytes) -> Fernet:
    material = secret.encode() if isinstance(secret, str) else secret
    if not material:
        raise KeyFormatError("the key-encryption secret is empty")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        material
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _multi_fernet(secrets: str | bytes | Sequence[str | bytes]) -> MultiFernet:
    if isinstance(secrets, str | bytes):
        secrets = [secrets]
    if not secrets:
        raise KeyFormatError("no key-encryption secret given")
    return MultiFernet([_fernet(s) for s in secrets])


def encrypt_private_key(key: PrivateKey, secrets: str | bytes | Sequence[str | bytes]) -> str:
    """Serialise ``key`` (PKCS#8 DER) and encrypt it; returns an ASCII token."""
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _multi_fernet(secrets).encrypt(der).decode("ascii")


def decrypt_private_key(
    token: str | bytes, secrets: str | bytes | Sequence[str | bytes]
) -> PrivateKey:
    """Inverse of :func:`encrypt_private_key`; any of ``secrets`` may match."""
    raw = token.encode("ascii") if isinstance(token, str) else token
    try:
        der = _multi_fernet(secrets).decrypt(raw)
    except InvalidToken as exc:
        raise KeyFormatError("private key could not be decrypted with the given secret") from exc
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey):
        raise KeyFormatError(f"unsupported private key type {type(key).__name__}")
    return key


# --- Multikey / did:key -------------------------------------------------------


def _raw_ed25519(public_key: ed25519.Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(public_key: ed25519.Ed25519PublicKey) -> str:
    """Multikey ``publicKeyMultibase``: 'z' + base58btc(0xed01 || raw key)."""
    if not isinstance(public_key, ed25519.Ed25519PublicKey):
        raise KeyFormatError("Multikey export is only supported for Ed25519 keys")
    return "z" + base58.b58encode(_ED25519_PUB_PREFIX + _raw_ed25519(public_key)).decode("ascii")


def _decode_multibase(value: str, prefix: bytes, what: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyFormatError(f"{what} must be base58btc multibase (start with 'z')")
    try:
        decoded = base58.b58decode(value[1:])
    except ValueError as exc:
        raise KeyFormatError(f"{what} is not valid base58btc") from exc
    if len(decoded) != len(prefix) + 32 or not decoded.startswith(prefix):
        raise KeyFormatError(f"{what} is not an Ed25519 key (multicodec 0x{prefix.hex()})")
    return decoded[len(prefix) :]


def public_key_from_multibase(value: str) -> ed25519.Ed25519PublicKey:
    raw = _decode_multibase(value, _ED25519_PUB_PREFIX, "publicKeyMultibase")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw)


def ed25519_private_key_from_multibase(value: str) -> ed25519.Ed25519PrivateKey:
    """Parse a Multikey ``secretKeyMultibase`` (multicodec ed25519-priv)."""
    raw = _decode_multibase(value, _ED25519_PRIV_PREFIX, "secretKeyMultibase")
    return ed25519.Ed25519PrivateKey.from_private_bytes(raw)


def multikey_document(
    public_key: ed25519.Ed25519PublicKey, controller: str, key_id: str | None = None
) -> dict[str, Any]:
    """A Multikey verification method; ``id`` defaults to ``controller#<multibase>``."""
    multibase = public_key_multibase(public_key)
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": key_id or f"{controller}#{multibase}",
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": multibase,
    }


def did_key(public_key: ed25519.Ed25519PublicKey) -> str:
    return "did:key:" + public_key_multibase(public_key)


def did_key_verification_method(public_key: ed25519.Ed25519PublicKey) -> str:
    """The did:key verification method URL: ``did:key:<mb>#<mb>``."""
    multibase = public_key_multibase(public_key)
    return f"did:key:{multibase}#{multibase}"


def public_key_from_did_key(did_or_url: str) -> ed25519.Ed25519PublicKey:
    """Resolve a ``did:key`` DID or verification method URL to its Ed25519 key."""
    if not isinstance(did_or_url, str) or not did_or_url.startswith("did:key:"):
        raise KeyFormatError("not a did:key identifier")
    did, _, fragment = did_or_url.partition("#")
    multibase = did[len("did:key:") :]
    if fragment and fragment != multibase:
        raise KeyFormatError("did:key fragment does not name the DID's own key")
    return public_key_from_multibase(multibase)


# --- JWK -------------------------------------------------------------------------


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_jwk(public_key: PublicKey, kid: str | None = None) -> dict[str, str]:
    """Public JWK (RFC 7517 / RFC 8037) -- never contains private members."""
    jwk: dict[str, str]
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        x = base64.urlsafe_b64encode(_raw_ed25519(public_key)).rstrip(b"=").decode("ascii")
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": x}
    elif isinstance(public_key, rsa.RSAPublicKey):
        numbers = public_key.public_numbers()
        jwk = {"kty": "RSA", "n": _b64url_uint(numbers.n), "e": _b64url_uint(numbers.e)}
    else:
        raise KeyFormatError(f"unsupported public key type {type(public_key).__name__}")
    if kid is not None:
        jwk["kid"] = kid
    return jwk


def jwk_thumbprint(public_key: PublicKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url) -- handy as a ``kid``."""
    jwk = public_jwk(public_key)
    required = ("crv", "kty", "x") if jwk["kty"] == "OKP" else ("e", "kty", "n")
    canonical = json.dumps({k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def public_key_from_jwk(jwk: Mapping[str, Any]) -> PublicKey:
    """Parse a public JWK (OKP/Ed25519 or RSA); private JWKs are refused."""
    if not isinstance(jwk, Mapping):
        raise KeyFormatError("JWK must be a JSON object")
    kty = jwk.get("kty")
    if _RSA_PRIVATE_JWK_MEMBERS & set(jwk):
        raise KeyFormatError("JWK contains private key material")
    try:
        if kty == "OKP":
            if jwk.get("crv") != "Ed25519":
                raise KeyFormatError(f"unsupported OKP curve {jwk.get('crv')!r}")
            key: Any = OKPAlgorithm.from_jwk(dict(jwk))
        elif kty == "RSA":
            key = RSAAlgorithm.from_jwk(dict(jwk))
        else:
            raise KeyFormatError(f"unsupported JWK key type {kty!r}")
    except (InvalidKeyError, ValueError, TypeError) as exc:
        if isinstance(exc, KeyFormatError):
            raise
        raise KeyFormatError(f"invalid JWK: {exc}") from exc
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < _RSA_BITS:
        raise KeyFormatError(f"RSA keys must be at least {_RSA_BITS} bits")
    if not isinstance(key, ed25519.Ed25519PublicKey | rsa.RSAPublicKey):
        raise KeyFormatError(f"unsupported public key type {type(key).__name__}")
    return key
