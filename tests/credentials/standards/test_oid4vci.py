"""The OpenID4VCI 1.0 documents and the jwt key proof: every forged or careless proof is refused."""

import base64
import json
import time

import base58
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from credentials.standards import dids, oid4vci

ISSUER = "https://academy.example"
NOW = 1_800_000_000


def _proof(key, *, header=None, claims=None, alg=None, kid="did"):
    public = key.public_key()
    alg = alg or ("EdDSA" if isinstance(key, ed25519.Ed25519PrivateKey) else "ES256")
    fields = {"typ": oid4vci.PROOF_TYP}
    if kid == "did":
        fields["kid"] = dids.did_for_jwk(dids.jwk_of(public)) + "#0"
    elif kid == "jwk":
        fields["jwk"] = dids.jwk_of(public)
    fields.update(header or {})
    payload = {"aud": ISSUER, "iat": NOW, "nonce": "n-1", **(claims or {})}
    return jwt.encode(payload, key, algorithm=alg, headers=fields)


@pytest.fixture
def proof_key():
    return ed25519.Ed25519PrivateKey.generate()


def check(token):
    return oid4vci.check_jwt_proof(token, audience=ISSUER, now=NOW)


@pytest.mark.parametrize("how", ["did", "jwk"])
@pytest.mark.parametrize("curve", ["ed25519", "p256"])
def test_a_good_proof_gives_the_holders_did_and_the_nonce(how, curve):
    key = (
        ed25519.Ed25519PrivateKey.generate()
        if curve == "ed25519"
        else ec.generate_private_key(ec.SECP256R1())
    )
    proof = check(_proof(key, kid=how))
    assert proof.holder == dids.did_for_jwk(dids.jwk_of(key.public_key()))
    assert proof.nonce == "n-1"


def test_a_did_key_kid_is_the_holder(proof_key):
    did = dids.did_key(proof_key.public_key())
    token = _proof(proof_key, kid=None, header={"kid": f"{did}#{did[8:]}"})
    assert check(token).holder == did


def _unsigned(header, payload):
    part = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part(header)}.{part(payload)}."


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda k: _proof(k, header={"typ": "JWT"}), id="typ JWT"),
        pytest.param(lambda k: _proof(k, header={"typ": None}), id="no typ"),
        pytest.param(
            lambda k: _unsigned(
                {"alg": "none", "typ": oid4vci.PROOF_TYP, "jwk": dids.jwk_of(k.public_key())},
                {"aud": ISSUER, "iat": NOW, "nonce": "n-1"},
            ),
            id="alg none",
        ),
        pytest.param(
            lambda k: jwt.encode(
                {"aud": ISSUER, "iat": NOW, "nonce": "n-1"},
                "a-shared-secret-of-at-least-32-bytes!",
                algorithm="HS256",
                headers={"typ": oid4vci.PROOF_TYP, "jwk": dids.jwk_of(k.public_key())},
            ),
            id="HS256",
        ),
        pytest.param(
            lambda k: _proof(
                k,
                kid="jwk",
                header={"kid": dids.did_key(ed25519.Ed25519PrivateKey.generate().public_key())},
            ),
            id="kid and jwk disagree",
        ),
        pytest.param(
            lambda k: _proof(
                ed25519.Ed25519PrivateKey.generate(),
                kid=None,
                header={"kid": dids.did_for_jwk(dids.jwk_of(k.public_key())) + "#0"},
            ),
            id="signed by another key",
        ),
        pytest.param(lambda k: _proof(k, kid=None), id="no key named"),
        pytest.param(lambda k: _proof(k, header={"x5c": ["MII..."]}), id="x5c"),
        pytest.param(lambda k: _proof(k, claims={"aud": "https://evil.example"}), id="aud wrong"),
        pytest.param(lambda k: _proof(k, claims={"iat": NOW - 3600}), id="iat old"),
        pytest.param(lambda k: _proof(k, claims={"iat": NOW + 3600}), id="iat future"),
        pytest.param(lambda k: _proof(k, claims={"iat": "now"}), id="iat not a number"),
        pytest.param(lambda k: _proof(k, claims={"nonce": None}), id="no nonce"),
        pytest.param(lambda k: _proof(k, claims={"exp": NOW - 3600}), id="expired"),
        pytest.param(lambda k: _proof(k, header={"kid": "did:web:evil.example#key"}), id="did:web"),
        pytest.param(lambda k: _proof(k) + "x", id="tampered signature"),
        pytest.param(lambda k: "not.a.jwt", id="garbage"),
        pytest.param(lambda k: 42, id="not a string"),
    ],
)
def test_a_forged_or_careless_proof_is_refused(proof_key, forge):
    with pytest.raises(oid4vci.ProofError):
        check(forge(proof_key))


def test_a_p256_key_cannot_sign_as_eddsa_or_the_other_way_round(proof_key):
    p256 = ec.generate_private_key(ec.SECP256R1())
    token = _proof(
        p256, kid=None, header={"kid": dids.did_for_jwk(dids.jwk_of(proof_key.public_key())) + "#0"}
    )
    with pytest.raises(oid4vci.ProofError):
        check(token)


def test_a_missing_nonce_is_an_invalid_nonce(proof_key):
    with pytest.raises(oid4vci.ProofError) as raised:
        check(_proof(proof_key, claims={"nonce": ""}))
    assert raised.value.code == "invalid_nonce"


def test_the_request_forms_of_1_0_and_of_earlier_drafts():
    body = {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": ["a.b.c"]}}
    assert oid4vci.configuration_of(body) == oid4vci.LDP_VC
    assert oid4vci.proof_jwts(body) == ["a.b.c"]
    older = {
        "format": "jwt_vc_json",
        "credential_definition": {"type": oid4vci.OB3_TYPES},
        "proof": {"proof_type": "jwt", "jwt": "a.b.c"},
    }
    assert oid4vci.configuration_of(older) == oid4vci.JWT_VC
    assert oid4vci.proof_jwts(older) == ["a.b.c"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"credential_configuration_id": "mDL"}, "unknown_credential_configuration"),
        (
            {"format": "ldp_vc", "credential_definition": {"type": ["Other"]}},
            "invalid_credential_request",
        ),
        ({}, "invalid_credential_request"),
    ],
)
def test_an_unknown_configuration_is_refused(body, code):
    with pytest.raises(oid4vci.ProofError) as raised:
        oid4vci.configuration_of(body)
    assert raised.value.code == code


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"proofs": {"jwt": []}},
        {"proofs": {"ldp_vp": [{}]}},
        {"proofs": {"jwt": ["a.b.c"]}, "proof": {"proof_type": "jwt", "jwt": "a.b.c"}},
        {"proof": {"proof_type": "cwt", "cwt": "x"}},
    ],
)
def test_a_request_without_exactly_one_kind_of_jwt_proof_is_refused(body):
    with pytest.raises(oid4vci.ProofError):
        oid4vci.proof_jwts(body)


def test_the_metadata_is_1_0_with_both_configurations():
    document = oid4vci.issuer_metadata(
        issuer=ISSUER,
        credential_endpoint=ISSUER + "/wallet/credential",
        nonce_endpoint=ISSUER + "/wallet/nonce",
        token_endpoint=ISSUER + "/oauth/token/",
        name="Academy",
        locale="en",
        credential_names={"en": "Open Badge", "fr": "Open Badge (fr)"},
        contexts=["https://www.w3.org/ns/credentials/v2", {"inline": "dropped"}],
    )
    ldp = document["credential_configurations_supported"][oid4vci.LDP_VC]
    assert ldp["credential_signing_alg_values_supported"] == ["eddsa-rdfc-2022"]
    assert ldp["credential_definition"]["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert ldp["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"] == [
        "ES256",
        "EdDSA",
    ]
    jwt_vc = document["credential_configurations_supported"][oid4vci.JWT_VC]
    assert jwt_vc["credential_signing_alg_values_supported"] == ["RS256"]
    assert "credential_metadata" in jwt_vc and "display" not in jwt_vc
    assert jwt_vc["credential_metadata"]["display"] == [
        {"name": "Open Badge", "locale": "en"},
        {"name": "Open Badge (fr)", "locale": "fr"},
    ]


def test_the_offer_asks_for_a_six_digit_numeric_tx_code():
    offer = oid4vci.credential_offer(issuer=ISSUER, pre_authorized_code="c", tx_description="d")
    grant = offer["grants"][oid4vci.PRE_AUTHORIZED_GRANT]
    assert grant["tx_code"] == {"input_mode": "numeric", "length": 6, "description": "d"}
    assert offer["credential_configuration_ids"] == [oid4vci.LDP_VC, oid4vci.JWT_VC]


def test_the_clock_is_the_callers(proof_key):
    token = _proof(proof_key, claims={"iat": int(time.time())})
    assert oid4vci.check_jwt_proof(token, audience=ISSUER, now=time.time()).nonce == "n-1"


def test_a_proof_for_the_identity_point_made_without_any_private_key_is_refused():
    # The reviewer's probe (F13): with A = identity, R = identity and S = 0 verify for every
    # message, so this "proof" was accepted though nobody holds a key.
    identity = bytes([1] + [0] * 31)
    did = "did:key:z" + base58.b58encode(b"\xed\x01" + identity).decode()
    part = lambda value: base64.urlsafe_b64encode(value).rstrip(b"=").decode()  # noqa: E731
    for header in (
        {"typ": oid4vci.PROOF_TYP, "alg": "EdDSA", "kid": f"{did}#{did[8:]}"},
        {
            "typ": oid4vci.PROOF_TYP,
            "alg": "EdDSA",
            "jwk": {"kty": "OKP", "crv": "Ed25519", "x": part(identity)},
        },
    ):
        payload = {"aud": ISSUER, "iat": NOW, "nonce": "n-1"}
        signing_input = part(json.dumps(header).encode()) + "." + part(json.dumps(payload).encode())
        token = signing_input + "." + part(identity + bytes(32))
        with pytest.raises(oid4vci.ProofError):
            check(token)


_GARBAGE = [None, 1, 1.5, True, "x" * 100_000, [], ["a"], {}, {"a": [1]}, [[{"b": None}]]]


@pytest.mark.parametrize("value", _GARBAGE)
@pytest.mark.parametrize(
    "field",
    [
        "credential_configuration_id",
        "format",
        "credential_definition",
        "proof",
        "proofs",
        "credential_identifier",
        "credential_response_encryption",
    ],
)
def test_a_request_field_of_any_type_is_refused_with_a_protocol_error(field, value):
    body = {
        "credential_configuration_id": oid4vci.LDP_VC,
        "proofs": {"jwt": ["a.b.c"]},
        field: value,
    }
    try:
        oid4vci.check_request(body)
    except oid4vci.ProofError as error:
        assert error.code in oid4vci.REQUEST_ERRORS
    else:  # absent (null), or an older draft's member that 1.0's id makes moot
        assert value is None or (field == "credential_definition" and isinstance(value, dict))


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "text",
        7,
        {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": [None]}},
        {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": [["a.b.c"]]}},
        {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": "a.b.c"}},
        {"credential_configuration_id": oid4vci.LDP_VC, "proof": {"proof_type": "jwt", "jwt": 5}},
        {"credential_configuration_id": [oid4vci.LDP_VC], "proofs": {"jwt": ["a.b.c"]}},
        {"format": ["ldp_vc"], "credential_definition": {"type": oid4vci.OB3_TYPES}},
        {"format": "ldp_vc", "credential_definition": {"type": [["VerifiableCredential"]]}},
    ],
)
def test_a_malformed_request_is_a_protocol_error_never_a_crash(body):
    with pytest.raises(oid4vci.ProofError) as raised:
        oid4vci.check_request(body)
    assert raised.value.code in oid4vci.REQUEST_ERRORS


def test_a_request_we_cannot_honour_says_why():
    base = {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": ["a.b.c"]}}
    for extra, code in (
        ({"credential_identifier": "abc"}, "unknown_credential_identifier"),
        ({"credential_response_encryption": {"alg": "ECDH-ES"}}, "invalid_encryption_parameters"),
    ):
        with pytest.raises(oid4vci.ProofError) as raised:
            oid4vci.check_request({**base, **extra})
        assert raised.value.code == code
    assert oid4vci.check_request(base) == (oid4vci.LDP_VC, ["a.b.c"])
