"""Key generation, encryption at rest, Multikey / JWK / did:key."""

from __future__ import annotations

import base64

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from credentials.standards import keys
from credentials.standards.keys import KeyFormatError

SECRET = "test-secret-key-with-plenty-of-entropy-0123456789"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return keys.generate_rsa_key()


@pytest.fixture(scope="module")
def ed_key() -> ed25519.Ed25519PrivateKey:
    return keys.generate_ed25519_key()


def _public_raw(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes_raw()


def test_generated_rsa_key_is_2048_bits(rsa_key: rsa.RSAPrivateKey) -> None:
    assert rsa_key.key_size == 2048


def test_generating_rsa_key_below_2048_bits_is_refused() -> None:
    with pytest.raises(KeyFormatError):
        keys.generate_rsa_key(1024)


def test_encrypted_ed25519_key_round_trips(ed_key: ed25519.Ed25519PrivateKey) -> None:
    token = keys.encrypt_private_key(ed_key, SECRET)
    restored = keys.decrypt_private_key(token, SECRET)
    assert isinstance(restored, ed25519.Ed25519PrivateKey)
    assert restored.private_bytes_raw() == ed_key.private_bytes_raw()


def test_encrypted_rsa_key_round_trips(rsa_key: rsa.RSAPrivateKey) -> None:
    token = keys.encrypt_private_key(rsa_key, SECRET)
    restored = keys.decrypt_private_key(token, SECRET)
    assert isinstance(restored, rsa.RSAPrivateKey)
    assert restored.private_numbers() == rsa_key.private_numbers()


def test_encrypted_key_does_not_contain_raw_key(ed_key: ed25519.Ed25519PrivateKey) -> None:
    token = keys.encrypt_private_key(ed_key, SECRET)
    raw = ed_key.private_bytes_raw()
    assert raw not in base64.urlsafe_b64decode(token)


def test_decrypting_with_wrong_secret_fails(ed_key: ed25519.Ed25519PrivateKey) -> None:
    token = keys.encrypt_private_key(ed_key, SECRET)
    with pytest.raises(KeyFormatError, match="could not be decrypted"):
        keys.decrypt_private_key(token, "another-secret")


def test_decrypting_tampered_token_fails(ed_key: ed25519.Ed25519PrivateKey) -> None:
    token = keys.encrypt_private_key(ed_key, SECRET)
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(KeyFormatError):
        keys.decrypt_private_key(tampered, SECRET)


def test_rotated_secrets_still_decrypt_old_tokens(ed_key: ed25519.Ed25519PrivateKey) -> None:
    old_token = keys.encrypt_private_key(ed_key, "old-secret-0123456789")
    restored = keys.decrypt_private_key(
        old_token, ["new-secret-0123456789", "old-secret-0123456789"]
    )
    assert restored.private_bytes_raw() == ed_key.private_bytes_raw()  # type: ignore[union-attr]


def test_empty_secret_is_refused(ed_key: ed25519.Ed25519PrivateKey) -> None:
    with pytest.raises(KeyFormatError):
        keys.encrypt_private_key(ed_key, "")


def test_multibase_is_base58btc_with_ed25519_multicodec(ed_key: ed25519.Ed25519PrivateKey) -> None:
    multibase = keys.public_key_multibase(ed_key.public_key())
    assert multibase.startswith("z6Mk")
    decoded = base58.b58decode(multibase[1:])
    assert decoded[:2] == b"\xed\x01" and decoded[2:] == _public_raw(ed_key)


def test_multibase_round_trips(ed_key: ed25519.Ed25519PrivateKey) -> None:
    parsed = keys.public_key_from_multibase(keys.public_key_multibase(ed_key.public_key()))
    assert parsed.public_bytes_raw() == _public_raw(ed_key)


def test_spec_test_vector_secret_key_gives_published_public_key() -> None:
    # W3C vc-di-eddsa TestVectors/keyPair.json
    secret = keys.ed25519_private_key_from_multibase(
        "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
    )
    assert (
        keys.public_key_multibase(secret.public_key())
        == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    )


def test_multibase_with_other_multicodec_is_refused() -> None:
    x25519 = "z" + base58.b58encode(b"\xec\x01" + bytes(32)).decode()
    with pytest.raises(KeyFormatError, match="not an Ed25519 key"):
        keys.public_key_from_multibase(x25519)


@pytest.mark.parametrize("value", ["", "u7QE", "z0OIl", "z6Mk"])
def test_malformed_multibase_is_refused(value: str) -> None:
    with pytest.raises(KeyFormatError):
        keys.public_key_from_multibase(value)


def test_multikey_document_shape(ed_key: ed25519.Ed25519PrivateKey) -> None:
    doc = keys.multikey_document(ed_key.public_key(), "https://example.edu/issuers/1")
    multibase = keys.public_key_multibase(ed_key.public_key())
    assert doc == {
        "@context": "https://w3id.org/security/multikey/v1",
        "id": f"https://example.edu/issuers/1#{multibase}",
        "type": "Multikey",
        "controller": "https://example.edu/issuers/1",
        "publicKeyMultibase": multibase,
    }


def test_did_key_round_trips(ed_key: ed25519.Ed25519PrivateKey) -> None:
    did = keys.did_key(ed_key.public_key())
    assert did.startswith("did:key:z6Mk")
    assert keys.public_key_from_did_key(did).public_bytes_raw() == _public_raw(ed_key)


def test_did_key_verification_method_resolves(ed_key: ed25519.Ed25519PrivateKey) -> None:
    method = keys.did_key_verification_method(ed_key.public_key())
    did, _, fragment = method.partition("#")
    assert did == keys.did_key(ed_key.public_key()) and fragment == did[len("did:key:") :]
    assert keys.public_key_from_did_key(method).public_bytes_raw() == _public_raw(ed_key)


def test_did_key_with_foreign_fragment_is_refused(ed_key: ed25519.Ed25519PrivateKey) -> None:
    with pytest.raises(KeyFormatError, match="fragment"):
        keys.public_key_from_did_key(keys.did_key(ed_key.public_key()) + "#other")


def test_non_did_key_identifier_is_refused() -> None:
    with pytest.raises(KeyFormatError):
        keys.public_key_from_did_key("did:web:example.com")


def test_ed25519_jwk_round_trips(ed_key: ed25519.Ed25519PrivateKey) -> None:
    jwk = keys.public_jwk(ed_key.public_key(), kid="k1")
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["kid"] == "k1"
    parsed = keys.public_key_from_jwk(jwk)
    assert isinstance(parsed, ed25519.Ed25519PublicKey)
    assert parsed.public_bytes_raw() == _public_raw(ed_key)


def test_rsa_jwk_round_trips(rsa_key: rsa.RSAPrivateKey) -> None:
    jwk = keys.public_jwk(rsa_key.public_key())
    assert set(jwk) == {"kty", "n", "e"} and jwk["e"] == "AQAB"
    parsed = keys.public_key_from_jwk(jwk)
    assert isinstance(parsed, rsa.RSAPublicKey)
    assert parsed.public_numbers() == rsa_key.public_key().public_numbers()


def test_private_jwk_is_refused() -> None:
    # RFC 8037 appendix A.1
    jwk = {
        "kty": "OKP",
        "crv": "Ed25519",
        "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
        "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
    }
    with pytest.raises(KeyFormatError, match="private"):
        keys.public_key_from_jwk(jwk)


def test_small_rsa_jwk_is_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    numbers = small.public_numbers()

    def b64(value: int) -> str:
        raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    with pytest.raises(KeyFormatError, match="2048"):
        keys.public_key_from_jwk({"kty": "RSA", "n": b64(numbers.n), "e": b64(numbers.e)})


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"},
        {"kty": "OKP", "crv": "X25519", "x": "AA"},
        {"kty": "OKP", "crv": "Ed25519", "x": "not-a-key"},
        {"kty": "RSA", "n": "!!", "e": "AQAB"},
        {},
    ],
)
def test_unsupported_or_malformed_jwk_is_refused(jwk: dict[str, str]) -> None:
    with pytest.raises(KeyFormatError):
        keys.public_key_from_jwk(jwk)


def test_rsa_jwk_thumbprint_matches_rfc7638_example() -> None:
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
        "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2Qvzq"
        "Y368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZ"
        "u0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    key = keys.public_key_from_jwk({"kty": "RSA", "n": n, "e": "AQAB"})
    assert keys.jwk_thumbprint(key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_ed25519_jwk_thumbprint_matches_rfc8037_example() -> None:
    key = keys.public_key_from_jwk(
        {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    )
    assert keys.jwk_thumbprint(key) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


# A key encrypted by release 5c70630 (before the code moved into standards/): Ed25519 private key
# bytes 0..31 under the secret below. Stored keys outlive releases, so this must always decrypt.
EARLIER_RELEASE_TOKEN = (
    "gAAAAABrC52efj9ATxMammP6EYRPJbtKubjrvMUC0N5aVLZN9m0EuqS0WouTVjRBI6gynZ0_Pnm6_zS6Te7Scmyrll"
    "ekCuaxKJTQQCQgQbITe-0V6OcWyzAYU4TLpimDWNV6X-PG-HOmyogG-M5vbdHR4IbmJf86cw=="
)


def test_a_key_encrypted_by_an_earlier_release_still_decrypts() -> None:
    key = keys.decrypt_private_key(EARLIER_RELEASE_TOKEN, "secret-of-release-5c70630")
    assert isinstance(key, ed25519.Ed25519PrivateKey)
    assert keys.public_key_multibase(key.public_key()) == (
        "z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"
    )
