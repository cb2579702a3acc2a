"""Bitstring Status List v1.0 encoding and the status list credential."""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime

import pytest

from credentials.standards import keys
from credentials.standards.dataintegrity import sign_eddsa_rdfc_2022, verify_eddsa_rdfc_2022
from credentials.standards.statuslist import (
    MIN_ENTRIES,
    BitstringStatusList,
    StatusListError,
    build_status_list_credential,
    decode_bitstring,
    encode_bitstring,
    status_list_entry,
)

# The all-zero 16 KB example list from the Bitstring Status List v1.0 spec.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_spec_example_decodes_to_131072_clear_entries() -> None:
    status_list = BitstringStatusList.decode(SPEC_EXAMPLE)
    assert len(status_list) == MIN_ENTRIES == 131_072
    assert status_list.to_bytes() == bytes(16 * 1024)


def test_new_list_has_the_minimum_size() -> None:
    assert len(BitstringStatusList().to_bytes()) == 16 * 1024


def test_list_smaller_than_the_minimum_is_refused() -> None:
    with pytest.raises(StatusListError, match="at least"):
        BitstringStatusList(length=1000)


def test_decoding_a_list_smaller_than_the_minimum_is_refused() -> None:
    with pytest.raises(StatusListError, match="minimum"):
        BitstringStatusList.decode(encode_bitstring(bytes(1024)))


def test_encoded_list_is_multibase_base64url_of_gzip_without_padding() -> None:
    encoded = BitstringStatusList().encode()
    assert encoded.startswith("u") and "=" not in encoded
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert raw == bytes(16 * 1024)


def test_set_status_survives_encoding() -> None:
    status_list = BitstringStatusList()
    status_list.set(94567)
    decoded = BitstringStatusList.decode(status_list.encode())
    assert decoded.get(94567) == 1
    assert decoded.get(94566) == 0 and decoded.get(94568) == 0


def test_index_zero_is_the_left_most_bit() -> None:
    status_list = BitstringStatusList()
    status_list.set(0)
    status_list.set(9)
    assert status_list.to_bytes()[:2] == bytes([0b1000_0000, 0b0100_0000])


def test_clearing_a_status_resets_the_bit() -> None:
    status_list = BitstringStatusList()
    status_list.set(5)
    status_list.set(5, False)
    assert status_list.get(5) == 0


def test_multi_bit_statuses_round_trip() -> None:
    status_list = BitstringStatusList(status_size=2)
    status_list.set(0, 3)
    status_list.set(1, 2)
    decoded = BitstringStatusList.decode(status_list.encode(), status_size=2)
    assert (decoded.get(0), decoded.get(1), decoded.get(2)) == (3, 2, 0)
    assert status_list.to_bytes()[0] == 0b1110_0000


def test_status_value_too_wide_is_refused() -> None:
    with pytest.raises(StatusListError, match="does not fit"):
        BitstringStatusList().set(0, 2)


@pytest.mark.parametrize("index", [-1, MIN_ENTRIES, True, "3"])
def test_out_of_range_index_is_refused(index: object) -> None:
    with pytest.raises(StatusListError, match="index"):
        BitstringStatusList().get(index)  # type: ignore[arg-type]


def test_encoding_is_deterministic() -> None:
    status_list = BitstringStatusList()
    status_list.set(42)
    assert status_list.encode() == status_list.encode()


def test_gzip_bomb_is_refused() -> None:
    bomb = encode_bitstring(bytes(64 * 1024 * 1024))
    with pytest.raises(StatusListError, match="larger than"):
        decode_bitstring(bomb)


@pytest.mark.parametrize(
    "encoded",
    ["", "zABC", "u!!!!", "u" + base64.urlsafe_b64encode(b"not gzip").decode().rstrip("=")],
)
def test_malformed_encoded_list_is_refused(encoded: str) -> None:
    with pytest.raises(StatusListError):
        BitstringStatusList.decode(encoded)


def test_truncated_gzip_is_refused() -> None:
    encoded = BitstringStatusList().encode()
    with pytest.raises(StatusListError):
        BitstringStatusList.decode(encoded[: len(encoded) - 12])


def test_status_list_credential_has_the_spec_shape() -> None:
    encoded = BitstringStatusList().encode()
    credential = build_status_list_credential(
        credential_id="https://example.edu/status/1",
        issuer="https://example.edu/issuers/565049",
        status_purpose="revocation",
        encoded_list=encoded,
        valid_from=datetime(2024, 1, 1, tzinfo=UTC),
    )
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://example.edu/status/1",
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "https://example.edu/issuers/565049",
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "https://example.edu/status/1#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


def test_unknown_status_purpose_is_refused() -> None:
    with pytest.raises(StatusListError, match="statusPurpose"):
        build_status_list_credential(
            credential_id="https://example.edu/status/1",
            issuer="https://example.edu",
            status_purpose="deletion",
            encoded_list=SPEC_EXAMPLE,
        )


def test_status_list_entry_has_the_spec_shape() -> None:
    entry = status_list_entry(status_list_credential="https://example.edu/status/1", index=94567)
    assert entry == {
        "id": "https://example.edu/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://example.edu/status/1",
    }


def test_status_list_credential_signs_and_verifies() -> None:
    key = keys.generate_ed25519_key()
    method = keys.did_key_verification_method(key.public_key())
    credential = build_status_list_credential(
        credential_id="https://example.edu/status/1",
        issuer=keys.did_key(key.public_key()),
        status_purpose="suspension",
        encoded_list=BitstringStatusList().encode(),
        ttl_ms=300_000,
    )
    signed = sign_eddsa_rdfc_2022(credential, key, method)
    assert verify_eddsa_rdfc_2022(signed, keys.public_key_from_did_key) == (True, "verified")
