"""Compact JWS: OB 2.0 signed assertions and OB 3.0 VC-JWT."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from credentials.standards import keys
from credentials.standards.jws import (
    JWSError,
    decode_vc_jwt,
    encode_vc_jwt,
    sign_ob2_assertion,
    verify_ob2_assertion,
)
from credentials.standards.keys import PrivateKey, PublicKey

RSA_KEY = keys.generate_rsa_key()
ED_KEY = keys.generate_ed25519_key()
KID = "https://example.edu/issuers/565049/keys/1"

ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "urn:uuid:2f6a2b0c-9d1e-4a84-9a3b-2c7d1f0e5b11",
    "recipient": {"type": "email", "hashed": False, "identity": "alice@example.com"},
    "badge": "https://example.edu/badges/teamwork",
    "verification": {"type": "SignedBadge", "creator": "https://example.edu/keys/1"},
    "issuedOn": "2024-01-01T00:00:00Z",
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(value: Mapping[str, Any]) -> str:
    return _b64(json.dumps(value).encode())


def _credential(**changes: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"], "name": "X"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {"id": "https://example.edu/a/1", "type": ["Achievement"], "name": "T"},
        },
    }
    credential.update(changes)
    return credential


def _resolver(key: PrivateKey) -> Any:
    public = key.public_key()
    return lambda header: public


# --- OB 2.0 ----------------------------------------------------------------------


def test_ob2_signed_assertion_round_trips() -> None:
    token = sign_ob2_assertion(ASSERTION, RSA_KEY)
    assert verify_ob2_assertion(token, RSA_KEY.public_key()) == ASSERTION


def test_ob2_header_is_rs256_only() -> None:
    token = sign_ob2_assertion(ASSERTION, RSA_KEY)
    assert jwt.get_unverified_header(token) == {"alg": "RS256"}


def test_ob2_tampered_payload_fails() -> None:
    header, _, signature = sign_ob2_assertion(ASSERTION, RSA_KEY).split(".")
    forged = {**ASSERTION, "badge": "https://evil.example/badge"}
    with pytest.raises(JWSError, match="invalid signature"):
        verify_ob2_assertion(f"{header}.{_segment(forged)}.{signature}", RSA_KEY.public_key())


def test_ob2_wrong_key_fails() -> None:
    token = sign_ob2_assertion(ASSERTION, RSA_KEY)
    with pytest.raises(JWSError):
        verify_ob2_assertion(token, keys.generate_rsa_key().public_key())


def test_ob2_requires_an_rsa_key() -> None:
    with pytest.raises(JWSError, match="RS256"):
        sign_ob2_assertion(ASSERTION, ED_KEY)  # type: ignore[arg-type]


def test_ob2_non_object_payload_is_refused() -> None:
    token = jwt.api_jws.encode(b"[1, 2]", RSA_KEY, algorithm="RS256")
    with pytest.raises(JWSError, match="not a JSON object"):
        verify_ob2_assertion(token, RSA_KEY.public_key())


# --- attacks on the header -------------------------------------------------------


def test_alg_none_is_refused_for_ob2() -> None:
    token = f"{_segment({'alg': 'none'})}.{_segment(ASSERTION)}."
    with pytest.raises(JWSError, match="alg none"):
        verify_ob2_assertion(token, RSA_KEY.public_key())


def test_alg_none_is_refused_for_vc_jwt() -> None:
    claims = {**_credential(), "iss": "https://example.edu/issuers/565049"}
    token = f"{_segment({'alg': 'none', 'kid': KID})}.{_segment(claims)}."
    with pytest.raises(JWSError, match="alg none"):
        decode_vc_jwt(token, _resolver(ED_KEY))


def test_hs256_signed_with_the_public_key_is_refused() -> None:
    """Algorithm confusion: the RSA public key used as an HMAC secret."""
    pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{_segment({'alg': 'HS256'})}.{_segment(ASSERTION)}"
    mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(JWSError, match="does not match"):
        verify_ob2_assertion(f"{signing_input}.{_b64(mac)}", RSA_KEY.public_key())


def test_token_signed_with_another_algorithm_family_is_refused() -> None:
    token = encode_vc_jwt(_credential(), ED_KEY, kid=KID)
    with pytest.raises(JWSError, match="does not match"):
        decode_vc_jwt(token, _resolver(RSA_KEY))


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c.d", "!!.!!.!!", 42])
def test_malformed_token_is_refused(token: Any) -> None:
    with pytest.raises(JWSError):
        verify_ob2_assertion(token, RSA_KEY.public_key())


# --- OB 3.0 VC-JWT ---------------------------------------------------------------


@pytest.mark.parametrize("key", [RSA_KEY, ED_KEY], ids=["RS256", "EdDSA"])
def test_vc_jwt_round_trips(key: PrivateKey) -> None:
    credential = _credential()
    decoded = decode_vc_jwt(encode_vc_jwt(credential, key, kid=KID), _resolver(key))
    assert decoded.credential == credential


def test_vc_jwt_payload_is_the_credential_plus_ob3_claims() -> None:
    credential = _credential(validUntil="2099-01-01T00:00:00Z")
    payload = jwt.decode(
        encode_vc_jwt(credential, RSA_KEY, kid=KID),
        options={"verify_signature": False},
    )
    assert payload == {
        **credential,
        "iss": "https://example.edu/issuers/565049",
        "jti": credential["id"],
        "nbf": int(datetime(2024, 1, 1, tzinfo=UTC).timestamp()),
        "sub": "did:example:ebfeb1f712ebc6f1c276e12ec21",
        "exp": int(datetime(2099, 1, 1, tzinfo=UTC).timestamp()),
    }


def test_vc_jwt_header_has_only_spec_members() -> None:
    token = encode_vc_jwt(_credential(), RSA_KEY, kid=KID)
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": KID, "typ": "JWT"}


def test_vc_jwt_embedded_jwk_is_public_only() -> None:
    token = encode_vc_jwt(_credential(), ED_KEY, include_jwk=True)
    jwk = jwt.get_unverified_header(token)["jwk"]
    assert jwk == keys.public_jwk(ED_KEY.public_key())
    decoded = decode_vc_jwt(token, lambda header: keys.public_key_from_jwk(header["jwk"]))
    assert decoded.header["alg"] == "EdDSA"


def test_vc_jwt_needs_kid_or_jwk() -> None:
    with pytest.raises(JWSError, match="kid"):
        encode_vc_jwt(_credential(), RSA_KEY)


def test_vc_jwt_without_credential_id_is_refused() -> None:
    credential = _credential()
    del credential["id"]
    with pytest.raises(JWSError, match="jti"):
        encode_vc_jwt(credential, RSA_KEY, kid=KID)


def test_vc_jwt_with_extra_header_is_refused() -> None:
    token = jwt.encode(
        {**_credential(), "iss": "https://example.edu/issuers/565049"},
        RSA_KEY,
        algorithm="RS256",
        headers={"kid": KID, "x5u": "https://evil.example/cert"},
    )
    with pytest.raises(JWSError, match="not allowed"):
        decode_vc_jwt(token, _resolver(RSA_KEY))


def test_vc_jwt_with_other_typ_is_refused() -> None:
    token = jwt.encode(_credential(), RSA_KEY, algorithm="RS256", headers={"kid": KID, "typ": "x"})
    with pytest.raises(JWSError, match="typ"):
        decode_vc_jwt(token, _resolver(RSA_KEY))


def test_vc_jwt_tampered_payload_is_refused() -> None:
    header, _, signature = encode_vc_jwt(_credential(), ED_KEY, kid=KID).split(".")
    claims = jwt.decode(
        encode_vc_jwt(_credential(), ED_KEY, kid=KID), options={"verify_signature": False}
    )
    claims["name"] = "Brain Surgery"
    with pytest.raises(JWSError, match="invalid signature"):
        decode_vc_jwt(f"{header}.{_segment(claims)}.{signature}", _resolver(ED_KEY))


def test_vc_jwt_wrong_key_is_refused() -> None:
    token = encode_vc_jwt(_credential(), ED_KEY, kid=KID)
    with pytest.raises(JWSError, match="invalid signature"):
        decode_vc_jwt(token, _resolver(keys.generate_ed25519_key()))


def test_vc_jwt_unresolvable_key_is_refused() -> None:
    def refuse(header: Mapping[str, Any]) -> PublicKey:
        raise LookupError(header.get("kid"))

    token = encode_vc_jwt(_credential(), ED_KEY, kid=KID)
    with pytest.raises(JWSError, match="could not be resolved"):
        decode_vc_jwt(token, refuse)


def test_vc_jwt_expired_credential_is_refused() -> None:
    token = encode_vc_jwt(_credential(validUntil="2024-06-01T00:00:00Z"), ED_KEY, kid=KID)
    with pytest.raises(JWSError, match="expired"):
        decode_vc_jwt(token, _resolver(ED_KEY), now=datetime(2025, 1, 1, tzinfo=UTC))


def test_vc_jwt_not_yet_valid_credential_is_refused() -> None:
    token = encode_vc_jwt(_credential(), ED_KEY, kid=KID)
    with pytest.raises(JWSError, match="not valid yet"):
        decode_vc_jwt(token, _resolver(ED_KEY), now=datetime(2023, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("iss", "https://evil.example/issuer"),
        ("jti", "urn:uuid:other"),
        ("sub", "did:example:mallory"),
        ("nbf", 0),
    ],
)
def test_vc_jwt_claim_disagreeing_with_credential_is_refused(claim: str, value: Any) -> None:
    claims = jwt.decode(
        encode_vc_jwt(_credential(), ED_KEY, kid=KID), options={"verify_signature": False}
    )
    claims[claim] = value
    token = jwt.encode(claims, ED_KEY, algorithm="EdDSA", headers={"kid": KID})
    with pytest.raises(JWSError, match=claim):
        decode_vc_jwt(token, _resolver(ED_KEY))


def test_vc_jwt_missing_exp_for_valid_until_is_refused() -> None:
    claims = jwt.decode(
        encode_vc_jwt(_credential(validUntil="2099-01-01T00:00:00Z"), ED_KEY, kid=KID),
        options={"verify_signature": False},
    )
    del claims["exp"]
    token = jwt.encode(claims, ED_KEY, algorithm="EdDSA", headers={"kid": KID})
    with pytest.raises(JWSError, match="exp"):
        decode_vc_jwt(token, _resolver(ED_KEY))


def test_vc_jwt_with_vcdm11_vc_claim_is_accepted() -> None:
    credential = _credential()
    del credential["validFrom"]
    credential["issuanceDate"] = "2024-01-01T00:00:00Z"
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": int(datetime(2024, 1, 1, tzinfo=UTC).timestamp()),
        "vc": credential,
    }
    token = jwt.encode(claims, RSA_KEY, algorithm="RS256", headers={"kid": KID})
    assert decode_vc_jwt(token, _resolver(RSA_KEY)).credential == credential


def test_vc_jwt_resolver_must_return_a_public_key() -> None:
    token = encode_vc_jwt(_credential(), ED_KEY, kid=KID)
    with pytest.raises(JWSError, match="supported public key"):
        decode_vc_jwt(token, lambda header: "not a key")  # type: ignore[arg-type,return-value]


def test_vc_jwt_header_jwk_with_private_key_is_refused() -> None:
    private_jwk = {
        **keys.public_jwk(ED_KEY.public_key()),
        "d": _b64(ED_KEY.private_bytes_raw()),
    }
    token = jwt.encode(_credential(), ED_KEY, algorithm="EdDSA", headers={"jwk": private_jwk})
    with pytest.raises(JWSError, match="public JWK"):
        decode_vc_jwt(token, _resolver(ED_KEY))


def test_small_rsa_key_is_refused_for_signing() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(JWSError, match="2048"):
        encode_vc_jwt(_credential(), small, kid=KID)
