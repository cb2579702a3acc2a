"""W3C Bitstring Status List v1.0: the bitstring, its encoding, and the credential.

* Entry ``i`` occupies bits ``i*statusSize .. (i+1)*statusSize - 1``; bit 0 is
  the left-most (most significant) bit of the first byte.
* ``encodedList`` = 'u' (multibase base64url, no padding) + GZIP(bitstring).
* A list holds at least 131,072 entries (16 KB at statusSize 1), so a single
  credential's status cannot be singled out from the list size (herd privacy).
* Decoding caps the decompressed size (default 16 MiB) against GZIP bombs.
* Positions are drawn at random (:func:`draw_indexes`) in a list kept at most half full
  (:func:`grown_length`), so neither the order of issuance nor the number of credentials
  shows in the list.
* ``ttl`` (milliseconds) tells verifiers how long they may cache the list.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import secrets
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "CREDENTIALS_V2_CONTEXT",
    "MIN_ENTRIES",
    "BitstringStatusList",
    "StatusListError",
    "build_status_list_credential",
    "decode_bitstring",
    "draw_indexes",
    "encode_bitstring",
    "grown_length",
    "status_list_entry",
]

MIN_ENTRIES = 131_072
DEFAULT_TTL_MS = 5 * 60 * 1000
MAX_DRAW_ROUNDS = 64
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
CREDENTIALS_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
STATUS_PURPOSES = frozenset({"revocation", "suspension", "refresh", "message"})


class StatusListError(ValueError):
    """A status list could not be encoded or decoded, or an index is invalid."""


def encode_bitstring(bitstring: bytes) -> str:
    """GZIP (deterministic: mtime 0) then multibase base64url without padding."""
    compressed = gzip.compress(bitstring, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_bitstring(encoded_list: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Inverse of :func:`encode_bitstring`, refusing more than ``max_bytes`` of output."""
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (start with 'u')")
    body = encoded_list[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListError("encodedList is not valid base64url") from exc
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP container
    try:
        bitstring = decompressor.decompress(compressed, max_bytes)
    except zlib.error as exc:
        raise StatusListError("encodedList is not valid GZIP data") from exc
    if decompressor.unconsumed_tail:
        raise StatusListError(f"decoded status list is larger than {max_bytes} bytes")
    if not decompressor.eof:
        raise StatusListError("encodedList GZIP data is truncated")
    return bitstring


class BitstringStatusList:
    """A mutable status list of ``length`` entries of ``status_size`` bits each."""

    def __init__(self, length: int = MIN_ENTRIES, status_size: int = 1) -> None:
        if not 1 <= status_size <= 8:
            raise StatusListError("statusSize must be between 1 and 8")
        if length < MIN_ENTRIES:
            raise StatusListError(f"a status list must hold at least {MIN_ENTRIES} entries")
        self.status_size = status_size
        self.length = length
        self._bits = bytearray((length * status_size + 7) // 8)

    def __len__(self) -> int:
        return self.length

    def _check(self, index: int) -> None:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < self.length:
            raise StatusListError(f"status list index {index!r} out of range 0..{self.length - 1}")

    def get(self, index: int) -> int:
        """The status value at ``index`` (0/1 for a one-bit list)."""
        self._check(index)
        value = 0
        for bit in range(index * self.status_size, (index + 1) * self.status_size):
            value = (value << 1) | ((self._bits[bit // 8] >> (7 - bit % 8)) & 1)
        return value

    def set(self, index: int, value: int | bool = 1) -> None:
        self._check(index)
        value = int(value)
        if not 0 <= value < (1 << self.status_size):
            raise StatusListError(f"status value {value} does not fit in {self.status_size} bits")
        for offset in range(self.status_size):
            bit = index * self.status_size + offset
            mask = 1 << (7 - bit % 8)
            if (value >> (self.status_size - 1 - offset)) & 1:
                self._bits[bit // 8] |= mask
            else:
                self._bits[bit // 8] &= ~mask

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    def encode(self) -> str:
        """The ``encodedList`` value."""
        return encode_bitstring(bytes(self._bits))

    @classmethod
    def decode(
        cls, encoded_list: str, status_size: int = 1, *, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> BitstringStatusList:
        """Parse an ``encodedList``; shorter than the minimum is an error."""
        bitstring = decode_bitstring(encoded_list, max_bytes=max_bytes)
        if not 1 <= status_size <= 8:
            raise StatusListError("statusSize must be between 1 and 8")
        length = len(bitstring) * 8 // status_size
        if length < MIN_ENTRIES:
            raise StatusListError(
                f"status list holds {length} entries, fewer than the minimum {MIN_ENTRIES}"
            )
        status_list = cls.__new__(cls)
        status_list.status_size = status_size
        status_list.length = length
        status_list._bits = bytearray(bitstring)
        return status_list


def grown_length(length: int, used: int, needed: int) -> int:
    """``length``, doubled as often as needed to keep the list at most half full once
    ``needed`` more positions are taken (random draws then rarely hit a taken one)."""
    length = max(length, MIN_ENTRIES)
    while (used + needed) * 2 > length:
        length *= 2
    return length


def draw_indexes(count: int, length: int, taken: Callable[[set[int]], Iterable[int]]) -> list[int]:
    """``count`` distinct positions in ``[0, length)``, drawn with :mod:`secrets`, that
    ``taken(candidates)`` does not report as already used; in random order."""
    if count > length:
        raise StatusListError(f"cannot draw {count} positions from a list of {length}")
    chosen: set[int] = set()
    for _round in range(MAX_DRAW_ROUNDS):
        missing = count - len(chosen)
        if missing <= 0:
            break
        candidates = {secrets.randbelow(length) for _ in range(missing)} - chosen
        if candidates:
            chosen |= candidates - set(taken(candidates))
    if len(chosen) < count:
        raise StatusListError("no free status list positions found; is the list full?")
    order = list(chosen)
    secrets.SystemRandom().shuffle(order)
    return order


def _timestamp(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        raise StatusListError("datetimes must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_status_list_credential(
    *,
    credential_id: str,
    issuer: str | dict[str, Any],
    status_purpose: str | Sequence[str],
    encoded_list: str,
    valid_from: datetime | str | None = None,
    valid_until: datetime | str | None = None,
    ttl_ms: int | None = None,
    context: Sequence[str | dict[str, Any]] = (CREDENTIALS_V2_CONTEXT,),
) -> dict[str, Any]:
    """The (unsigned) BitstringStatusListCredential body.

    Sign it like any other credential; ``valid_from`` defaults to now.
    """
    purposes = [status_purpose] if isinstance(status_purpose, str) else list(status_purpose)
    if not purposes or any(p not in STATUS_PURPOSES for p in purposes):
        raise StatusListError(f"statusPurpose must be one of {sorted(STATUS_PURPOSES)}")
    subject: dict[str, Any] = {
        "id": f"{credential_id}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purposes[0] if len(purposes) == 1 else purposes,
        "encodedList": encoded_list,
    }
    if ttl_ms is not None:
        subject["ttl"] = ttl_ms
    credential: dict[str, Any] = {
        "@context": list(context),
        "id": credential_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": _timestamp(valid_from or datetime.now(UTC)),
    }
    if valid_until is not None:
        credential["validUntil"] = _timestamp(valid_until)
    credential["credentialSubject"] = subject
    return credential


def status_list_entry(
    *,
    status_list_credential: str,
    index: int,
    status_purpose: str = "revocation",
    entry_id: str | None = None,
    status_size: int = 1,
    status_messages: Sequence[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A ``credentialStatus`` entry (BitstringStatusListEntry) for one credential."""
    if status_purpose not in STATUS_PURPOSES:
        raise StatusListError(f"statusPurpose must be one of {sorted(STATUS_PURPOSES)}")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise StatusListError("statusListIndex must be a non-negative integer")
    entry: dict[str, Any] = {
        "id": entry_id or f"{status_list_credential}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status_purpose,
        "statusListIndex": str(index),
        "statusListCredential": status_list_credential,
    }
    if status_size != 1:
        entry["statusSize"] = status_size
    if status_messages is not None:
        entry["statusMessage"] = list(status_messages)
    return entry
