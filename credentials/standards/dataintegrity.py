"""W3C Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite.

Implements "Data Integrity EdDSA Cryptosuites v1.0", section eddsa-rdfc-2022:

1. proof config = the proof options (type, cryptosuite, created,
   verificationMethod, proofPurpose) with the document's ``@context``;
2. RDFC-1.0 canonicalisation (URDNA2015, via pyld) of the proof config and of
   the unsecured document, in safe mode (see :mod:`credentials.standards.jsonld`);
3. hashData = SHA-256(canonical proof config) || SHA-256(canonical document);
4. proofValue = multibase base58btc ('z') of the Ed25519 signature of hashData.

Verifying the proof only proves that the holder of the key signed the data.
Whether that key may speak for the issuer (the verification method belongs to
``issuer`` and is listed under its ``assertionMethod``) is for the
``public_key_resolver`` to decide: it gets the verification method URL (the
proof purpose has already been checked against ``expected_proof_purpose``) and
returns the key, or raises / returns ``None`` to refuse.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from credentials.standards.jsonld import (
    ContextStore,
    JsonLdError,
    JsonLdSafeModeError,
    default_store,
)

__all__ = [
    "CRYPTOSUITE",
    "DataIntegrityError",
    "PublicKeyResolver",
    "sign_eddsa_rdfc_2022",
    "verify_eddsa_rdfc_2022",
]

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"

PublicKeyResolver = Callable[[str], ed25519.Ed25519PublicKey | None]
"""``resolver(verification_method) -> key``; returning ``None`` or raising refuses.

:func:`credentials.standards.keys.public_key_from_did_key` is a resolver for did:key."""

# XML Schema 1.1 dateTimeStamp: a dateTime with a mandatory time zone.
_DATETIME_STAMP = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_SIGNATURE_LENGTH = 64


class DataIntegrityError(ValueError):
    """A proof could not be created (bad input document or options)."""


def _parse_datetime_stamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not _DATETIME_STAMP.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _format_created(created: datetime | str | None) -> str:
    if created is None:
        created = datetime.now(UTC).replace(microsecond=0)
    if isinstance(created, datetime):
        if created.tzinfo is None:
            raise DataIntegrityError("created must be timezone-aware")
        created = created.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if _parse_datetime_stamp(created) is None:
        raise DataIntegrityError(f"created {created!r} is not an XML Schema dateTimeStamp")
    return created


def _copy(value: Any) -> Any:
    """A deep copy of a JSON document (``copy.deepcopy`` for anything else in it), at a
    third of deepcopy's cost: signing copies every credential it signs."""
    kind = type(value)
    if kind is dict:
        return {key: _copy(item) for key, item in value.items()}
    if kind is list:
        return [_copy(item) for item in value]
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    return copy.deepcopy(value)


def _hash_data(
    document: Mapping[str, Any], proof_config: Mapping[str, Any], store: ContextStore
) -> bytes:
    """SHA-256(canonical proof config) || SHA-256(canonical document)."""
    try:
        canonical_config = store.canonicalize(proof_config)
    except JsonLdSafeModeError as exc:
        raise JsonLdSafeModeError(
            "the @context does not define the Data Integrity proof terms (include "
            f"{CREDENTIALS_V2} or {DATA_INTEGRITY_V2}): {exc}"
        ) from exc
    canonical_document = store.canonicalize(document)
    return (
        hashlib.sha256(canonical_config.encode("utf-8")).digest()
        + hashlib.sha256(canonical_document.encode("utf-8")).digest()
    )


def sign_eddsa_rdfc_2022(
    document: Mapping[str, Any],
    private_key: ed25519.Ed25519PrivateKey,
    verification_method: str,
    created: datetime | str | None = None,
    proof_purpose: str = "assertionMethod",
    *,
    store: ContextStore | None = None,
    proof_set: bool = True,
) -> dict[str, Any]:
    """Return a copy of ``document`` secured with an ``eddsa-rdfc-2022`` proof.

    The proof goes in as a proof set (``"proof": [{…}]``), the form 1EdTech's Open Badges 3.0
    schema requires; ``proof_set=False`` gives the single proof object that Data Integrity
    also allows (and that our credentials carried before). Both verify the same way.
    """
    if not isinstance(private_key, ed25519.Ed25519PrivateKey):
        raise DataIntegrityError("eddsa-rdfc-2022 needs an Ed25519 private key")
    if "proof" in document:
        raise DataIntegrityError("document already has a proof")
    if "@context" not in document:
        raise DataIntegrityError("document has no @context")
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _format_created(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    try:
        unsecured = _copy(dict(document))
    except RecursionError:
        raise DataIntegrityError("cannot canonicalize document: it is nested too deeply") from None
    proof_config = {**proof, "@context": unsecured["@context"]}
    try:
        hash_data = _hash_data(unsecured, proof_config, store or default_store)
    except JsonLdError as exc:
        raise DataIntegrityError(f"cannot canonicalize document: {exc}") from exc
    signature = private_key.sign(hash_data)
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**unsecured, "proof": [proof] if proof_set else proof}


def _verify_one(
    unsecured: dict[str, Any],
    proof: Any,
    resolver: PublicKeyResolver,
    expected_purpose: str,
    now: datetime,
    store: ContextStore,
) -> tuple[bool, str]:
    if not isinstance(proof, dict):
        return False, "proof is not an object"
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return False, f"unsupported proof type/cryptosuite (expected {PROOF_TYPE}/{CRYPTOSUITE})"
    if "previousProof" in proof:
        return False, "proof chains (previousProof) are not supported"
    if proof.get("proofPurpose") != expected_purpose:
        return (
            False,
            f"proofPurpose is {proof.get('proofPurpose')!r}, expected {expected_purpose!r}",
        )
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method:
        return False, "proof has no verificationMethod"
    if "created" in proof and _parse_datetime_stamp(proof["created"]) is None:
        return False, "proof created is not a valid dateTimeStamp"
    if "expires" in proof:
        expires = _parse_datetime_stamp(proof["expires"])
        if expires is None:
            return False, "proof expires is not a valid dateTimeStamp"
        if expires < now:
            return False, "proof has expired"
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        return False, "proofValue is not base58btc multibase"
    try:
        signature = base58.b58decode(proof_value[1:])
    except ValueError:
        return False, "proofValue is not valid base58btc"
    if len(signature) != _SIGNATURE_LENGTH:
        return False, "proofValue is not an Ed25519 signature"

    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in options:
        # The proof's own context must be a prefix of the document's context.
        proof_ctx = options["@context"]
        proof_ctx = proof_ctx if isinstance(proof_ctx, list) else [proof_ctx]
        doc_ctx = unsecured.get("@context")
        doc_ctx = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
        if doc_ctx[: len(proof_ctx)] != proof_ctx:
            return False, "proof @context does not match the document @context"
        unsecured = {**unsecured, "@context": options["@context"]}
    else:
        options["@context"] = unsecured.get("@context")

    try:
        public_key = resolver(method)
    except Exception as exc:  # noqa: BLE001 - any resolver failure means "no key"
        return False, f"verification method {method!r} could not be resolved: {exc}"
    if not isinstance(public_key, ed25519.Ed25519PublicKey):
        return False, f"verification method {method!r} did not resolve to an Ed25519 key"
    try:
        hash_data = _hash_data(unsecured, options, store)
    except JsonLdError as exc:
        return False, f"cannot canonicalize document: {exc}"
    except Exception as exc:  # noqa: BLE001 - malformed input must not raise
        return False, f"cannot canonicalize document: {type(exc).__name__}"
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        return False, "signature does not match the document"
    return True, "verified"


def verify_eddsa_rdfc_2022(
    document_with_proof: Mapping[str, Any],
    public_key_resolver: PublicKeyResolver,
    *,
    expected_proof_purpose: str = "assertionMethod",
    now: datetime | None = None,
    store: ContextStore | None = None,
) -> tuple[bool, str]:
    """Verify every ``eddsa-rdfc-2022`` proof on the document.

    Returns ``(True, "verified")`` or ``(False, reason)``; never raises for bad
    input.  A proof set (list) verifies only if every proof in it does; a single proof
    object (as credentials signed before proof sets carry) verifies as a set of one.
    """
    if not isinstance(document_with_proof, Mapping):
        return False, "document is not a JSON object"
    proofs = document_with_proof.get("proof")
    if proofs is None:
        return False, "document has no proof"
    if not isinstance(proofs, list):
        proofs = [proofs]
    if not proofs:
        return False, "document has no proof"
    unsecured = {k: v for k, v in document_with_proof.items() if k != "proof"}
    if "@context" not in unsecured:
        return False, "document has no @context"
    when = now or datetime.now(UTC)
    for proof in proofs:
        ok, reason = _verify_one(
            unsecured,
            proof,
            public_key_resolver,
            expected_proof_purpose,
            when,
            store or default_store,
        )
        if not ok:
            return False, reason
    return True, "verified"
