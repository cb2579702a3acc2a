"""OpenID for Verifiable Credential Issuance 1.0 (final): the documents and the key proof.

* ``issuer_metadata`` — the Credential Issuer Metadata (§12.2) with two configurations of the
  OB 3.0 ``OpenBadgeCredential``: ``ldp_vc`` (Data Integrity ``eddsa-rdfc-2022``) and
  ``jwt_vc_json`` (VC-JWT, RS256). 1.0 puts ``display`` under ``credential_metadata``; the
  npm client we test with (``@openid4vc/openid4vci`` 0.4.6) recognises 1.0 by that member.
  ``token_endpoint`` is a pre-1.0 member, kept because that client falls back to it when the
  authorization server metadata cannot be fetched.
* ``credential_offer`` — the offer (§4.1.1) with the pre-authorised code grant and a tx code.
* ``check_jwt_proof`` — the ``jwt`` key proof (§F.1): ``typ`` ``openid4vci-proof+jwt``,
  ``alg`` ES256 or EdDSA only, the key from ``kid`` (``did:key`` / ``did:jwk``) or ``jwk``
  (never both), ``aud`` the credential issuer, ``iat`` recent, a ``nonce``. Returns the holder's
  DID and the nonce; the caller checks and consumes the nonce.

Pure: no Django, nothing of ours but ``standards.dids``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from credentials.standards import dids

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
PROOF_TYP = "openid4vci-proof+jwt"
PROOF_ALGS = ("ES256", "EdDSA")
LDP_VC = "OpenBadgeCredential_ldp_vc"
JWT_VC = "OpenBadgeCredential_jwt_vc_json"
FORMATS = {LDP_VC: "ldp_vc", JWT_VC: "jwt_vc_json"}
OB3_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
BINDING_METHODS = ["did:key", "did:jwk", "jwk"]
CLOCK_SKEW = 300  # seconds either side of now for a proof's iat
TX_CODE_LENGTH = 6
_MAX_PROOF = 8000


class ProofError(ValueError):
    """A key proof we refuse; ``code`` is the OpenID4VCI error code."""

    def __init__(self, message: str, code: str = "invalid_proof") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Proof:
    holder: str  # the wallet's DID: credentialSubject.id
    nonce: str


def _configuration(
    fmt: str, signing: list[str], definition: dict[str, Any], display: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "format": fmt,
        "credential_definition": definition,
        "cryptographic_binding_methods_supported": BINDING_METHODS,
        "credential_signing_alg_values_supported": signing,
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": list(PROOF_ALGS)}},
        "credential_metadata": {"display": display},
    }


def issuer_metadata(
    *,
    issuer: str,
    credential_endpoint: str,
    nonce_endpoint: str,
    token_endpoint: str,
    name: str,
    locale: str,
    credential_names: Mapping[str, str],
    contexts: list[Any],
) -> dict[str, Any]:
    """The Credential Issuer Metadata (§12.2.4) of ``issuer`` (its URL, no trailing slash).

    ``credential_names`` maps each locale to the credential's display name in it.
    """
    display = [{"name": name, "locale": code} for code, name in credential_names.items()]
    return {
        "credential_issuer": issuer,
        "credential_endpoint": credential_endpoint,
        "nonce_endpoint": nonce_endpoint,
        "token_endpoint": token_endpoint,  # pre-1.0; a fallback for clients (see above)
        "display": [{"name": name, "locale": locale}],
        "credential_configurations_supported": {
            LDP_VC: _configuration(
                "ldp_vc",
                ["eddsa-rdfc-2022"],
                {"@context": [c for c in contexts if isinstance(c, str)], "type": OB3_TYPES},
                display,
            ),
            JWT_VC: _configuration("jwt_vc_json", ["RS256"], {"type": OB3_TYPES}, display),
        },
    }


def credential_offer(*, issuer: str, pre_authorized_code: str, tx_description: str) -> dict:
    """A Credential Offer (§4.1.1) of both configurations, pre-authorised, with a tx code."""
    return {
        "credential_issuer": issuer,
        "credential_configuration_ids": [LDP_VC, JWT_VC],
        "grants": {
            PRE_AUTHORIZED_GRANT: {
                "pre-authorized_code": pre_authorized_code,
                "tx_code": {
                    "input_mode": "numeric",
                    "length": TX_CODE_LENGTH,
                    "description": tx_description,
                },
            }
        },
    }


def _expected_alg(key: dids.HolderKey) -> str:
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "EdDSA"
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise ProofError("unsupported key type")


def _holder_key(header: Mapping[str, Any]) -> tuple[str, dids.HolderKey]:
    kid, jwk = header.get("kid"), header.get("jwk")
    if "x5c" in header or "trust_chain" in header or "key_attestation" in header:
        raise ProofError("only kid (did:key, did:jwk) or jwk are accepted")
    if kid is not None and jwk is not None:
        raise ProofError("kid and jwk are mutually exclusive")
    try:
        if kid is not None:
            if not isinstance(kid, str):
                raise ProofError("kid must be a DID URL")
            return dids.resolve(kid)
        if jwk is not None:
            return dids.did_for_jwk(jwk), dids.key_from_jwk(jwk)
    except dids.DIDError as exc:
        raise ProofError(f"cannot resolve the proof key: {exc}") from exc
    raise ProofError("the proof names no key (kid or jwk)")


def check_jwt_proof(token: Any, *, audience: str, now: float) -> Proof:
    """Check a ``jwt`` key proof; the nonce it carries is returned unchecked (caller's job)."""
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > _MAX_PROOF:
        raise ProofError("the proof is not a compact JWT")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise ProofError(f"malformed proof header: {exc}") from exc
    if header.get("typ") != PROOF_TYP:
        raise ProofError(f"the proof's typ must be {PROOF_TYP}")
    alg = header.get("alg")
    if alg not in PROOF_ALGS:
        raise ProofError(f"proof alg {alg!r} is not accepted (ES256, EdDSA)")
    if "crit" in header or "b64" in header:
        raise ProofError("JWS extensions (crit/b64) are not supported")
    holder, key = _holder_key(header)
    if _expected_alg(key) != alg:
        raise ProofError(f"alg {alg} does not fit the key")
    try:
        payload = jwt.api_jwt.decode(
            token,
            key=key,
            algorithms=[alg],
            options={
                "require": ["aud", "iat"],
                "verify_iat": False,
                "verify_exp": False,
                "verify_nbf": False,
            },
            audience=audience,
            leeway=CLOCK_SKEW,
        )
    except jwt.InvalidAudienceError as exc:
        raise ProofError("the proof is for another credential issuer (aud)") from exc
    except jwt.PyJWTError as exc:
        raise ProofError(f"the proof does not verify: {exc}") from exc
    iat = payload.get("iat")
    if not isinstance(iat, int | float) or isinstance(iat, bool) or abs(now - iat) > CLOCK_SKEW:
        raise ProofError("the proof's iat is not recent")
    for claim, late in (("exp", True), ("nbf", False)):
        value = payload.get(claim)
        if value is None:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ProofError(f"the proof's {claim} is not a number")
        if (late and now > value + CLOCK_SKEW) or (not late and now < value - CLOCK_SKEW):
            raise ProofError(f"the proof is outside its time ({claim})")
    nonce = payload.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise ProofError("the proof carries no nonce", code="invalid_nonce")
    return Proof(holder=holder, nonce=nonce)


REQUEST_ERRORS = frozenset(
    {
        "invalid_credential_request",
        "unknown_credential_configuration",
        "unknown_credential_identifier",
        "invalid_proof",
        "invalid_encryption_parameters",
    }
)
# The members of a credential request we read (1.0 and earlier drafts) and their JSON types;
# null counts as absent. Other members are ignored.
_REQUEST_MEMBERS: dict[str, type] = {
    "credential_configuration_id": str,
    "credential_identifier": str,
    "format": str,
    "credential_definition": Mapping,
    "proof": Mapping,
    "proofs": Mapping,
    "credential_response_encryption": Mapping,
}


def check_request(body: Any) -> tuple[str, list[str]]:
    """``(configuration id, jwt proofs)`` of a credential request; every member type-checked.

    Refusals are ``ProofError`` with a code from ``REQUEST_ERRORS``: a body of any shape gives
    a protocol error, never an exception of another kind.
    """
    if not isinstance(body, Mapping):
        raise ProofError("the request is a JSON object", "invalid_credential_request")
    for name, kind in _REQUEST_MEMBERS.items():
        value = body.get(name)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise ProofError(f"{name} has the wrong type", "invalid_credential_request")
    if body.get("credential_identifier") is not None:
        # We never hand out credential identifiers (no authorization_details in the token).
        raise ProofError("unknown credential_identifier", "unknown_credential_identifier")
    if body.get("credential_response_encryption") is not None:
        raise ProofError("response encryption is not offered", "invalid_encryption_parameters")
    return configuration_of(body), proof_jwts(body)


def proof_jwts(body: Mapping[str, Any]) -> list[str]:
    """The ``jwt`` proofs of a credential request: 1.0 ``proofs`` or the older ``proof``."""
    proofs, proof = body.get("proofs"), body.get("proof")
    if proofs is not None and proof is not None:
        raise ProofError("proof and proofs are mutually exclusive", "invalid_credential_request")
    if proofs is not None:
        if not isinstance(proofs, Mapping) or set(proofs) != {"jwt"}:
            raise ProofError("only jwt proofs are accepted")
        found = proofs["jwt"]
        if not isinstance(found, list) or not found:
            raise ProofError("proofs.jwt must be a non-empty list")
    elif isinstance(proof, Mapping) and proof.get("proof_type") == "jwt":
        found = [proof.get("jwt")]
    else:
        raise ProofError("the request carries no jwt proof")
    if not all(isinstance(item, str) for item in found):
        raise ProofError("a jwt proof is a string")
    return found


def configuration_of(body: Mapping[str, Any]) -> str:
    """The credential configuration a request asks for: 1.0 id, or the older ``format``."""
    wanted, fmt = body.get("credential_configuration_id"), body.get("format")
    if wanted is not None:
        if not isinstance(wanted, str) or wanted not in FORMATS:
            raise ProofError("unknown configuration", "unknown_credential_configuration")
        if fmt is not None and fmt != FORMATS[wanted]:
            raise ProofError("format does not fit the configuration", "invalid_credential_request")
        return wanted
    definition = body.get("credential_definition")
    types = definition.get("type") if isinstance(definition, Mapping) else None
    for identifier, known in FORMATS.items():
        if isinstance(fmt, str) and fmt == known and types == OB3_TYPES:
            return identifier
    raise ProofError("name a credential_configuration_id", "invalid_credential_request")
