"""eddsa-rdfc-2022 Data Integrity proofs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from credentials.standards import keys
from credentials.standards.dataintegrity import (
    DataIntegrityError,
    sign_eddsa_rdfc_2022,
    verify_eddsa_rdfc_2022,
)
from credentials.standards.jsonld import ContextStore

# --- the published test vector (W3C vc-di-eddsa, TestVectors/eddsa-rdfc-2022) ---

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
VECTOR_STORE = ContextStore(
    extra={EXAMPLES_V2: {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}}
)
VECTOR_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
VECTOR_METHOD = "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_PROOF_VALUE = (
    "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
)
VECTOR_UNSIGNED: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_V2],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
VECTOR_SIGNED: dict[str, Any] = {
    **VECTOR_UNSIGNED,
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": VECTOR_METHOD,
        "proofPurpose": "assertionMethod",
        "proofValue": VECTOR_PROOF_VALUE,
    },
}


def _vector_key() -> ed25519.Ed25519PrivateKey:
    return keys.ed25519_private_key_from_multibase(VECTOR_SECRET)


def test_signing_reproduces_published_test_vector_proof_value() -> None:
    signed = sign_eddsa_rdfc_2022(
        VECTOR_UNSIGNED,
        _vector_key(),
        VECTOR_METHOD,
        created="2023-02-24T23:36:38Z",
        store=VECTOR_STORE,
        proof_set=False,
    )
    assert signed == VECTOR_SIGNED


def test_the_default_is_a_proof_set_with_the_same_proof() -> None:
    signed = sign_eddsa_rdfc_2022(
        VECTOR_UNSIGNED,
        _vector_key(),
        VECTOR_METHOD,
        created="2023-02-24T23:36:38Z",
        store=VECTOR_STORE,
    )
    assert signed == {**VECTOR_SIGNED, "proof": [VECTOR_SIGNED["proof"]]}
    public = _vector_key().public_key()
    assert verify_eddsa_rdfc_2022(signed, lambda _: public, store=VECTOR_STORE) == (
        True,
        "verified",
    )


def test_published_test_vector_verifies() -> None:
    public = _vector_key().public_key()
    assert verify_eddsa_rdfc_2022(VECTOR_SIGNED, lambda _: public, store=VECTOR_STORE) == (
        True,
        "verified",
    )


# --- an Open Badges 3.0 credential ---------------------------------------------

SIGNING_KEY = keys.generate_ed25519_key()
METHOD = keys.did_key_verification_method(SIGNING_KEY.public_key())
resolve: Callable[[str], ed25519.Ed25519PublicKey] = keys.public_key_from_did_key


def _credential() -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Teamwork",
        "issuer": {
            "id": "https://example.edu/issuers/565049",
            "type": ["Profile"],
            "name": "Example University",
        },
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Collaborates well in a group.",
                "criteria": {"narrative": "Nominated by peers."},
            },
        },
    }


@pytest.fixture(scope="module")
def signed_document() -> dict[str, Any]:
    return sign_eddsa_rdfc_2022(_credential(), SIGNING_KEY, METHOD)


def test_signed_credential_verifies(signed_document: dict[str, Any]) -> None:
    assert verify_eddsa_rdfc_2022(signed_document, resolve) == (True, "verified")


def test_proof_has_the_data_integrity_shape(signed_document: dict[str, Any]) -> None:
    [proof] = signed_document["proof"]  # a proof set of one
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"] == METHOD
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["proofValue"].startswith("z")
    assert "@context" not in proof


def test_created_defaults_to_now_in_utc_seconds(signed_document: dict[str, Any]) -> None:
    created = datetime.fromisoformat(signed_document["proof"][0]["created"].replace("Z", "+00:00"))
    assert signed_document["proof"][0]["created"].endswith("Z")
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60


def test_signing_does_not_mutate_the_input() -> None:
    credential = _credential()
    before = copy.deepcopy(credential)
    sign_eddsa_rdfc_2022(credential, SIGNING_KEY, METHOD)
    assert credential == before


def test_the_signed_copy_shares_nothing_with_the_input() -> None:
    credential = _credential()
    signed = sign_eddsa_rdfc_2022(credential, SIGNING_KEY, METHOD)
    credential["credentialSubject"]["achievement"]["name"] = "Changed afterwards"
    credential["type"].append("Changed")
    assert verify_eddsa_rdfc_2022(signed, resolve) == (True, "verified")


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for name in parents:
        document = document[int(name)] if name.isdigit() else document[name]
    document[last] = value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("id", "urn:uuid:00000000-0000-0000-0000-000000000000"),
        ("name", "Leadership"),
        ("issuer.id", "https://evil.example/issuer"),
        ("issuer.name", "Evil University"),
        ("validFrom", "2020-01-01T00:00:00Z"),
        ("credentialSubject.id", "did:example:mallory"),
        ("credentialSubject.achievement.name", "Brain Surgery"),
        ("credentialSubject.achievement.criteria.narrative", "None."),
        ("type", ["VerifiableCredential", "EndorsementCredential"]),
        ("validUntil", "2030-01-01T00:00:00Z"),
        ("proof.0.created", "2020-01-01T00:00:00Z"),
    ],
)
def test_tampering_with_a_signed_field_fails_verification(
    signed_document: dict[str, Any], path: str, value: Any
) -> None:
    tampered = copy.deepcopy(signed_document)
    _set(tampered, path, value)
    ok, reason = verify_eddsa_rdfc_2022(tampered, resolve)
    assert not ok and reason == "signature does not match the document"


def test_adding_a_node_whose_id_has_white_space_fails_verification(
    signed_document: dict[str, Any],
) -> None:
    """Its triples would be left out of the canonical form, so the signature would still
    match: safe mode refuses it instead."""
    forged = copy.deepcopy(signed_document)
    forged["evidence"] = [{"id": "https://evil.example/ x", "type": ["Evidence"], "name": "F"}]
    ok, reason = verify_eddsa_rdfc_2022(forged, resolve)
    assert not ok and "not an absolute IRI" in reason


def test_changing_the_context_fails_verification(signed_document: dict[str, Any]) -> None:
    tampered = copy.deepcopy(signed_document)
    tampered["@context"][1] = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
    assert verify_eddsa_rdfc_2022(tampered, resolve)[0] is False


def test_wrong_key_fails_verification(signed_document: dict[str, Any]) -> None:
    other = keys.generate_ed25519_key().public_key()
    assert verify_eddsa_rdfc_2022(signed_document, lambda _: other) == (
        False,
        "signature does not match the document",
    )


def test_verification_method_swapped_to_attackers_key_fails(
    signed_document: dict[str, Any],
) -> None:
    attacker = keys.generate_ed25519_key()
    tampered = copy.deepcopy(signed_document)
    tampered["proof"][0]["verificationMethod"] = keys.did_key_verification_method(
        attacker.public_key()
    )
    assert verify_eddsa_rdfc_2022(tampered, resolve)[0] is False


def test_unexpected_proof_purpose_fails(signed_document: dict[str, Any]) -> None:
    tampered = copy.deepcopy(signed_document)
    tampered["proof"][0]["proofPurpose"] = "authentication"
    ok, reason = verify_eddsa_rdfc_2022(tampered, resolve)
    assert not ok and "proofPurpose" in reason


def test_unsupported_cryptosuite_fails(signed_document: dict[str, Any]) -> None:
    tampered = copy.deepcopy(signed_document)
    tampered["proof"][0]["cryptosuite"] = "eddsa-jcs-2022"
    ok, reason = verify_eddsa_rdfc_2022(tampered, resolve)
    assert not ok and "cryptosuite" in reason


def test_unresolvable_verification_method_fails(signed_document: dict[str, Any]) -> None:
    def refuse(method: str) -> ed25519.Ed25519PublicKey:
        raise LookupError(method)

    ok, reason = verify_eddsa_rdfc_2022(signed_document, refuse)
    assert not ok and "could not be resolved" in reason


def test_resolver_returning_no_key_fails(signed_document: dict[str, Any]) -> None:
    ok, reason = verify_eddsa_rdfc_2022(signed_document, lambda _: None)
    assert not ok and "Ed25519" in reason


def test_document_without_proof_fails() -> None:
    assert verify_eddsa_rdfc_2022(_credential(), resolve) == (False, "document has no proof")


@pytest.mark.parametrize(
    "proof_value",
    ["", "u" + "A" * 86, "z0OIl", "z" + "1" * 10, None],
)
def test_malformed_proof_value_fails(signed_document: dict[str, Any], proof_value: Any) -> None:
    tampered = copy.deepcopy(signed_document)
    tampered["proof"][0]["proofValue"] = proof_value
    assert verify_eddsa_rdfc_2022(tampered, resolve)[0] is False


def test_expired_proof_fails(signed_document: dict[str, Any]) -> None:
    tampered = copy.deepcopy(signed_document)
    tampered["proof"][0]["expires"] = "2000-01-01T00:00:00Z"
    ok, reason = verify_eddsa_rdfc_2022(tampered, resolve)
    assert not ok and reason == "proof has expired"


def test_unknown_context_fails_verification_without_raising(
    signed_document: dict[str, Any],
) -> None:
    tampered = copy.deepcopy(signed_document)
    tampered["@context"].append("https://example.com/unknown-context.json")
    ok, reason = verify_eddsa_rdfc_2022(tampered, resolve)
    assert not ok and "not available offline" in reason


def test_proof_set_verifies_only_if_every_proof_does(signed_document: dict[str, Any]) -> None:
    [second] = sign_eddsa_rdfc_2022(_credential(), SIGNING_KEY, METHOD)["proof"]
    both = {**signed_document, "proof": [*signed_document["proof"], second]}
    assert verify_eddsa_rdfc_2022(both, resolve)[0] is True
    broken = copy.deepcopy(both)
    broken["proof"][1]["created"] = "2001-01-01T00:00:00Z"
    assert verify_eddsa_rdfc_2022(broken, resolve)[0] is False


def test_a_single_proof_object_still_verifies(signed_document: dict[str, Any]) -> None:
    """Credentials signed before proof sets carry one proof object."""
    single = sign_eddsa_rdfc_2022(_credential(), SIGNING_KEY, METHOD, proof_set=False)
    assert isinstance(single["proof"], dict)
    assert verify_eddsa_rdfc_2022(single, resolve) == (True, "verified")
    assert verify_eddsa_rdfc_2022({**single, "proof": [single["proof"]]}, resolve)[0] is True
    assert verify_eddsa_rdfc_2022({**single, "proof": []}, resolve) == (
        False,
        "document has no proof",
    )


def test_proof_carrying_the_documents_context_verifies(signed_document: dict[str, Any]) -> None:
    with_context = copy.deepcopy(signed_document)
    with_context["proof"][0]["@context"] = signed_document["@context"]
    assert verify_eddsa_rdfc_2022(with_context, resolve) == (True, "verified")


def test_proof_context_that_is_not_a_prefix_of_the_documents_fails(
    signed_document: dict[str, Any],
) -> None:
    tampered = copy.deepcopy(signed_document)
    tampered["proof"][0]["@context"] = ["https://w3id.org/security/data-integrity/v2"]
    ok, reason = verify_eddsa_rdfc_2022(tampered, resolve)
    assert not ok and "@context" in reason


def test_signing_a_document_that_already_has_a_proof_is_refused(
    signed_document: dict[str, Any],
) -> None:
    with pytest.raises(DataIntegrityError, match="already has a proof"):
        sign_eddsa_rdfc_2022(signed_document, SIGNING_KEY, METHOD)


def test_signing_a_document_with_undefined_terms_is_refused() -> None:
    assertion = {
        "@context": [
            "https://w3id.org/openbadges/v2",
            "https://w3id.org/security/data-integrity/v2",
        ],
        "type": "Assertion",
        "id": "urn:uuid:1",
        "notInTheContext": "dropped without safe mode",
    }
    with pytest.raises(DataIntegrityError, match="notInTheContext"):
        sign_eddsa_rdfc_2022(assertion, SIGNING_KEY, METHOD)


def test_signing_a_document_whose_context_lacks_proof_terms_is_refused() -> None:
    assertion = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:x"}
    with pytest.raises(DataIntegrityError, match="Data Integrity proof terms"):
        sign_eddsa_rdfc_2022(assertion, SIGNING_KEY, METHOD)


def test_signing_with_naive_created_datetime_is_refused() -> None:
    with pytest.raises(DataIntegrityError, match="timezone"):
        sign_eddsa_rdfc_2022(_credential(), SIGNING_KEY, METHOD, created=datetime(2024, 1, 1))


def test_signing_with_non_ed25519_key_is_refused() -> None:
    with pytest.raises(DataIntegrityError):
        sign_eddsa_rdfc_2022(_credential(), keys.generate_rsa_key(), METHOD)  # type: ignore[arg-type]


def _deeply_nested() -> dict[str, Any]:
    inner: dict[str, Any] = {"name": "leaf"}
    for _ in range(900):
        inner = {"https://ex.example/#c": inner}
    return inner


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "a\ud800"}, "surrogate"),  # json.loads gives lone surrogates
        ({"id": "https://ex.example/s\udc00"}, "surrogate"),
        (_deeply_nested(), "nested too deeply"),
    ],
    ids=["surrogate-value", "surrogate-iri", "deep"],
)
def test_signing_a_document_that_cannot_be_canonicalized_is_a_clear_error(
    change: dict[str, Any], message: str
) -> None:
    """Not a UnicodeEncodeError or RecursionError (a 500); verifying says no."""
    document = {**_credential(), **change}
    with pytest.raises(DataIntegrityError, match=message):
        sign_eddsa_rdfc_2022(document, SIGNING_KEY, METHOD)
