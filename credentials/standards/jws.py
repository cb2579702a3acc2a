"""Compact JWS for OB 2.0 signed assertions and OB 3.0 VC-JWT.

Library choice: PyJWT (not jwcrypto).  It is the more widely used of the two,
already builds on ``cryptography``, and its decode API *requires* an explicit
list of allowed algorithms, which is the main defence against ``alg: none``
and algorithm-confusion attacks.  On top of that, this module pins the one
algorithm that fits the verification key's type (RSA -> RS256, Ed25519 ->
EdDSA) before PyJWT sees the token, so a header can never choose the
algorithm.

* OB 2.0 "signed" verification: the payload is the Assertion JSON, header
  ``{"alg": "RS256"}``.
* OB 3.0 "JSON Web Token Proof Format" (spec section 8.2): the JWT payload is
  the OpenBadgeCredential itself plus the claims ``iss`` (issuer.id), ``jti``
  (id), ``nbf`` (validFrom), ``sub`` (credentialSubject.id) and ``exp``
  (validUntil, if any).  The JOSE header holds ``alg``, ``kid`` and/or
  ``jwk`` and optionally ``typ: "JWT"`` -- no other header is allowed.
  Tokens from VCDM 1.1 issuers that wrap the credential in a ``vc`` claim are
  accepted on verification, as the spec notes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from credentials.standards.keys import PrivateKey, PublicKey, public_jwk

__all__ = [
    "DecodedVcJwt",
    "HeaderKeyResolver",
    "JWSError",
    "algorithm_for",
    "decode_vc_jwt",
    "encode_vc_jwt",
    "sign_jws",
    "sign_ob2_assertion",
    "verify_jws",
    "verify_ob2_assertion",
]

HeaderKeyResolver = Callable[[Mapping[str, Any]], PublicKey]
"""``resolver(jose_header) -> public key``: dereference ``kid`` or check ``jwk``.

An embedded ``jwk`` proves nothing on its own -- the resolver must make sure
the key belongs to the issuer (e.g. compare it with the issuer's known keys).
"""

_VC_JWT_HEADERS = frozenset({"alg", "kid", "jwk", "typ"})
_JWT_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


class JWSError(ValueError):
    """A token could not be produced, parsed or verified."""


def algorithm_for(key: PrivateKey | PublicKey) -> str:
    """The single JWS algorithm used with this key type."""
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        if key.key_size < 2048:
            raise JWSError("RSA keys must be at least 2048 bits")
        return "RS256"
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return "EdDSA"
    raise JWSError(f"unsupported key type {type(key).__name__}")


def _json_bytes(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_jws(
    payload: bytes | Mapping[str, Any],
    private_key: PrivateKey,
    *,
    headers: Mapping[str, Any] | None = None,
) -> str:
    """Compact JWS over ``payload``; ``alg`` follows the key type, no ``typ``."""
    body = payload if isinstance(payload, bytes) else _json_bytes(payload)
    extra = dict(headers or {})
    extra.pop("alg", None)
    extra.setdefault("typ", None)  # PyJWT adds typ=JWT unless told otherwise
    token: str = jwt.api_jws.encode(
        body, private_key, algorithm=algorithm_for(private_key), headers=extra
    )
    return token


def _unverified_header(token: str) -> dict[str, Any]:
    if not isinstance(token, str) or token.count(".") != 2:
        raise JWSError("not a compact JWS")
    try:
        header: dict[str, Any] = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise JWSError(f"malformed JWS header: {exc}") from exc
    return header


def _check_header(header: Mapping[str, Any], public_key: PublicKey) -> str:
    expected = algorithm_for(public_key)
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise JWSError("unsigned tokens (alg none) are not accepted")
    if alg != expected:
        raise JWSError(f"token alg {alg!r} does not match the {expected} verification key")
    if "crit" in header or "b64" in header:
        raise JWSError("JWS extensions (crit/b64) are not supported")
    return expected


def verify_jws(token: str, public_key: PublicKey) -> tuple[dict[str, Any], bytes]:
    """Verify a compact JWS; returns ``(header, payload bytes)`` or raises."""
    header = _unverified_header(token)
    alg = _check_header(header, public_key)
    try:
        decoded = jwt.api_jws.decode_complete(token, key=public_key, algorithms=[alg])
    except jwt.PyJWTError as exc:
        raise JWSError(f"invalid signature: {exc}") from exc
    payload: bytes = decoded["payload"]
    return header, payload


def _json_object(payload: bytes) -> dict[str, Any]:
    try:
        value = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JWSError("JWS payload is not JSON") from exc
    if not isinstance(value, dict):
        raise JWSError("JWS payload is not a JSON object")
    return value


# --- Open Badges 2.0 ------------------------------------------------------------


def sign_ob2_assertion(assertion: Mapping[str, Any], private_key: rsa.RSAPrivateKey) -> str:
    """OB 2.0 signed Assertion: compact JWS, RS256, payload = Assertion JSON."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise JWSError("OB 2.0 signed assertions use RS256 (an RSA key)")
    return sign_jws(assertion, private_key)


def verify_ob2_assertion(token: str, public_key: rsa.RSAPublicKey) -> dict[str, Any]:
    """Verify an OB 2.0 signed Assertion and return the Assertion."""
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise JWSError("OB 2.0 signed assertions use RS256 (an RSA key)")
    _, payload = verify_jws(token.strip() if isinstance(token, str) else token, public_key)
    return _json_object(payload)


# --- Open Badges 3.0 VC-JWT -----------------------------------------------------


def id_of(value: Any) -> str | None:
    """The ``id`` of a JSON-LD reference: the string itself, or the object's ``id``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def _numeric_date(value: Any, name: str) -> int:
    if not isinstance(value, str):
        raise JWSError(f"{name} must be a dateTime string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise JWSError(f"{name} {value!r} is not a valid dateTime") from exc
    if parsed.tzinfo is None:
        raise JWSError(f"{name} {value!r} has no time zone")
    return int(parsed.timestamp())


def encode_vc_jwt(
    credential: Mapping[str, Any],
    private_key: PrivateKey,
    *,
    kid: str | None = None,
    include_jwk: bool = False,
) -> str:
    """Sign ``credential`` as an OB 3.0 VC-JWT (compact JWS)."""
    if kid is None and not include_jwk:
        raise JWSError("the JOSE header needs a kid or the public jwk")
    issuer = id_of(credential.get("issuer"))
    if issuer is None:
        raise JWSError("credential has no issuer id")
    if not isinstance(credential.get("id"), str):
        raise JWSError("credential has no id (needed for the jti claim)")
    valid_from = credential.get("validFrom", credential.get("issuanceDate"))
    claims: dict[str, Any] = {
        "iss": issuer,
        "jti": credential["id"],
        "nbf": _numeric_date(valid_from, "validFrom"),
    }
    subject_id = id_of(credential.get("credentialSubject"))
    if isinstance(credential.get("credentialSubject"), Mapping) and subject_id is not None:
        claims["sub"] = subject_id
    valid_until = credential.get("validUntil", credential.get("expirationDate"))
    if valid_until is not None:
        claims["exp"] = _numeric_date(valid_until, "validUntil")
    clash = _JWT_CLAIMS & set(credential)
    if clash:
        raise JWSError(f"credential already has JWT claim names: {sorted(clash)}")
    headers: dict[str, Any] = {"typ": "JWT"}
    if kid is not None:
        headers["kid"] = kid
    if include_jwk:
        headers["jwk"] = public_jwk(private_key.public_key())
    payload = {**credential, **claims}
    token: str = jwt.encode(
        payload, private_key, algorithm=algorithm_for(private_key), headers=headers
    )
    return token


@dataclass(frozen=True)
class DecodedVcJwt:
    credential: dict[str, Any]
    header: dict[str, Any]
    claims: dict[str, Any]


def _check_vc_jwt_header(header: Mapping[str, Any]) -> None:
    extra = set(header) - _VC_JWT_HEADERS
    if extra:
        raise JWSError(f"JOSE header has members not allowed by OB 3.0: {sorted(extra)}")
    if "typ" in header and header["typ"] != "JWT":
        raise JWSError(f"JOSE header typ must be 'JWT', not {header['typ']!r}")
    if "kid" not in header and "jwk" not in header:
        raise JWSError("JOSE header has neither kid nor jwk")
    jwk = header.get("jwk")
    if jwk is not None and (not isinstance(jwk, Mapping) or _PRIVATE_JWK_MEMBERS & set(jwk)):
        raise JWSError("JOSE header jwk is not a public JWK")


def _check_claims(
    claims: Mapping[str, Any], credential: Mapping[str, Any], now: datetime, leeway: int
) -> None:
    if claims.get("iss") != id_of(credential.get("issuer")):
        raise JWSError("iss claim does not match issuer.id")
    if claims.get("jti") != credential.get("id"):
        raise JWSError("jti claim does not match the credential id")
    subject = credential.get("credentialSubject")
    subject_id = id_of(subject) if isinstance(subject, Mapping) else None
    if claims.get("sub") != subject_id:
        raise JWSError("sub claim does not match credentialSubject.id")
    nbf = claims.get("nbf")
    valid_from = credential.get("validFrom", credential.get("issuanceDate"))
    if not isinstance(nbf, int | float) or int(nbf) != _numeric_date(valid_from, "validFrom"):
        raise JWSError("nbf claim does not match validFrom")
    timestamp = now.timestamp()
    if nbf > timestamp + leeway:
        raise JWSError("credential is not valid yet (nbf is in the future)")
    exp = claims.get("exp")
    valid_until = credential.get("validUntil", credential.get("expirationDate"))
    if exp is None:
        if valid_until is not None:
            raise JWSError("credential has validUntil but the token has no exp claim")
        return
    if not isinstance(exp, int | float):
        raise JWSError("exp claim is not a NumericDate")
    if valid_until is not None and int(exp) != _numeric_date(valid_until, "validUntil"):
        raise JWSError("exp claim does not match validUntil")
    if exp < timestamp - leeway:
        raise JWSError("credential has expired")


def decode_vc_jwt(
    token: str,
    key_resolver: HeaderKeyResolver,
    *,
    now: datetime | None = None,
    leeway: int = 60,
) -> DecodedVcJwt:
    """Verify an OB 3.0 VC-JWT and return the credential, header and claims.

    Raises :class:`JWSError` on any failure (bad header, unknown key, bad
    signature, claims that disagree with the credential, not yet valid or
    expired).
    """
    token = token.strip() if isinstance(token, str) else token
    header = _unverified_header(token)
    _check_vc_jwt_header(header)
    try:
        public_key = key_resolver(header)
    except Exception as exc:  # noqa: BLE001 - any resolver failure means "no key"
        raise JWSError(f"verification key could not be resolved: {exc}") from exc
    if not isinstance(public_key, rsa.RSAPublicKey | ed25519.Ed25519PublicKey):
        raise JWSError("key resolver did not return a supported public key")
    _, payload = verify_jws(token, public_key)
    claims = _json_object(payload)
    if isinstance(claims.get("vc"), dict):  # VCDM 1.1 style
        credential = dict(claims["vc"])
    else:
        credential = {k: v for k, v in claims.items() if k not in _JWT_CLAIMS}
    _check_claims(claims, credential, now or datetime.now(UTC), leeway)
    return DecodedVcJwt(credential=credential, header=header, claims=claims)
