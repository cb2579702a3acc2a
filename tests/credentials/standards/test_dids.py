"""did:key and did:jwk resolve locally to Ed25519 and P-256 keys; anything else is refused."""

import base64
import json

import base58
import pytest
from cryptography.hazmat.primitives import serialization
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


# The eight points of small order (libsodium's blocklist lists the order-8 ones too), then
# non-canonical encodings: y ≥ p, and x = 0 with its sign bit set.
_SMALL_ORDER = [
    "0100000000000000000000000000000000000000000000000000000000000000",  # identity
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # order 2
    "0000000000000000000000000000000000000000000000000000000000000000",  # order 4
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  # order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
]
_NON_CANONICAL = [
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # y = p (0)
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # y = p + 1 (1)
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # y = p + 3
    "0100000000000000000000000000000000000000000000000000000000000080",  # -0, 1
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  # -0, p - 1
]
_P = 2**255 - 19


def _mixed_order(raw: bytes) -> bytes:
    """A genuine key plus the point of order 2: (x, y) → (-x, -y). Not in the prime subgroup."""
    value = int.from_bytes(raw, "little")
    y, sign = value & ((1 << 255) - 1), value >> 255
    return ((_P - y) | ((1 - sign) << 255)).to_bytes(32, "little")


def _ways_to_name(raw: bytes) -> list:
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": x}
    did_key = "did:key:z" + base58.b58encode(b"\xed\x01" + raw).decode()
    return [
        lambda: dids.key_from_jwk(jwk),
        lambda: dids.did_for_jwk(jwk),
        lambda: dids.resolve("did:jwk:" + _b64(jwk)),
        lambda: dids.resolve(did_key),
    ]


@pytest.mark.parametrize("encoded", _SMALL_ORDER + _NON_CANONICAL)
def test_a_small_order_or_non_canonical_ed25519_key_is_refused(encoded):
    for way in _ways_to_name(bytes.fromhex(encoded)):
        with pytest.raises(dids.DIDError):
            way()


def test_a_genuine_key_plus_a_small_order_point_is_refused():
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    for way in _ways_to_name(raw):
        assert way() is not None  # the key itself is fine
    for way in _ways_to_name(_mixed_order(raw)):
        with pytest.raises(dids.DIDError):
            way()


def _p256_x_beyond_the_field():
    """A P-256 point whose x is small, written with x + p (still 32 bytes): not canonical."""
    p = 2**256 - 2**224 + 2**192 + 2**96 - 1
    b = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
    for x in range(1, 1000):
        rhs = (x**3 - 3 * x + b) % p
        y = pow(rhs, (p + 1) // 4, p)
        if y * y % p == rhs:
            return x, x + p, y
    raise AssertionError("no small x on P-256")


def test_a_p256_point_written_with_a_coordinate_beyond_the_field_is_refused():
    x, beyond, y = _p256_x_beyond_the_field()
    as_b64 = lambda n: base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()  # noqa: E731
    good = {"kty": "EC", "crv": "P-256", "x": as_b64(x), "y": as_b64(y)}
    assert dids.key_from_jwk(good) is not None
    compressed = bytes([2 + (y & 1)]) + beyond.to_bytes(32, "big")
    for way in (
        lambda: dids.key_from_jwk({**good, "x": as_b64(beyond)}),
        lambda: dids.resolve("did:key:z" + base58.b58encode(b"\x80\x24" + compressed).decode()),
    ):
        with pytest.raises(dids.DIDError):
            way()


def test_a_base64url_member_must_be_written_the_one_canonical_way():
    jwk = dids.jwk_of(ed25519.Ed25519PrivateKey.generate().public_key())
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    # 32 bytes are 43 characters; the last one's two low bits are unused and must be zero.
    sloppy = jwk["x"][:-1] + alphabet[alphabet.index(jwk["x"][-1]) | 1]
    assert base64.urlsafe_b64decode(sloppy + "=") == base64.urlsafe_b64decode(jwk["x"] + "=")
    for x in (sloppy, jwk["x"] + "=", "!" + jwk["x"], jwk["x"][:20] + "\n" + jwk["x"][20:]):
        with pytest.raises(dids.DIDError):
            dids.key_from_jwk({**jwk, "x": x})


def test_ordinary_ed25519_keys_are_never_refused():
    for _ in range(100):
        public = ed25519.Ed25519PrivateKey.generate().public_key()
        assert dids.did_key(dids.resolve(dids.did_key(public))[1]) == dids.did_key(public)
