"""did:key and did:jwk resolve locally to Ed25519 and P-256 keys; anything else is refused."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from credentials.standards import dids


def _b64(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "make",
    [lambda: ed25519.Ed25519PrivateKey.generate(), lambda: ec.generate_private_key(ec.SECP256R1())],
)
def test_did_key_and_did_jwk_resolve_back_to_the_key(make):
    public = make().public_key()
    for did in (dids.did_key(public), dids.did_for_jwk(dids.jwk_of(public))):
        found_did, found = dids.resolve(did)
        assert found_did == did
        assert dids.jwk_of(found) == dids.jwk_of(public)
    fragment = dids.did_key(public).removeprefix("did:key:")
    assert dids.resolve(f"{dids.did_key(public)}#{fragment}")[0] == dids.did_key(public)
    assert dids.resolve(dids.did_for_jwk(dids.jwk_of(public)) + "#0")[1] is not None


def test_a_known_ed25519_did_key_resolves():
    # The did:key method specification's Ed25519 test vector.
    did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
    assert dids.did_key(dids.resolve(did)[1]) == did


def test_a_wallets_own_did_jwk_string_is_kept_as_it_wrote_it():
    jwk = dids.jwk_of(ed25519.Ed25519PrivateKey.generate().public_key())
    did = "did:jwk:" + _b64({"kty": jwk["kty"], "crv": jwk["crv"], "x": jwk["x"]})
    assert dids.resolve(did + "#0")[0] == did


@pytest.mark.parametrize(
    "bad",
    [
        "did:web:example.org",
        "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",  # secp256k1
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#other",
        "did:key:6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        "did:jwk:not-json",
        "did:jwk:" + _b64({"kty": "oct", "k": "c2VjcmV0"}),
        "https://example.org/key",
        "did:key:z" + "1" * 3000,
        None,
    ],
)
def test_other_methods_and_broken_dids_are_refused(bad):
    with pytest.raises(dids.DIDError):
        dids.resolve(bad)


def test_a_private_jwk_or_an_rsa_key_is_refused():
    private = ed25519.Ed25519PrivateKey.generate()
    jwk = {**dids.jwk_of(private.public_key()), "d": "AAAA"}
    with pytest.raises(dids.DIDError):
        dids.key_from_jwk(jwk)
    with pytest.raises(dids.DIDError):
        dids.did_key(rsa.generate_private_key(65537, 2048).public_key())


def test_a_p256_jwk_off_the_curve_is_refused():
    jwk = dids.jwk_of(ec.generate_private_key(ec.SECP256R1()).public_key())
    broken = {**jwk, "y": base64.urlsafe_b64encode(b"\x01" * 32).rstrip(b"=").decode()}
    with pytest.raises(dids.DIDError):
        dids.key_from_jwk(broken)
