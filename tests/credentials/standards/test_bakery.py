"""Baking and extracting Open Badges 2.0 / 3.0 in PNG and SVG."""

from __future__ import annotations

import contextlib
import io
import json
import random
import struct
import zlib
from importlib import resources
from typing import Any

import png
import pytest
from PIL import Image

from credentials.standards.bakery import BakeryError, bake, extract, image_type

CREDENTIAL: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"], "name": "École"},
    "validFrom": "2024-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:1", "type": ["AchievementSubject"]},
}
JWT = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUuZWR1In0.c2lnbmF0dXJl"
ASSERTION: dict[str, Any] = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://example.edu/assertions/1",
    "badge": "https://example.edu/badges/1",
    "verification": {"type": "hosted"},
}
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<circle cx="5" cy="5" r="4" fill="teal"/></svg>'
)


def _png(width: int = 8, height: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, format="PNG")
    return out.getvalue()


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    return list(png.Reader(bytes=data).chunks())


def _raw_png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    out = io.BytesIO()
    png.write_chunks(out, chunks)
    return out.getvalue()


def _ihdr(width: int, height: int) -> tuple[bytes, bytes]:
    return b"IHDR", struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)


# --- PNG -------------------------------------------------------------------------


def test_png_ob3_credential_json_round_trips() -> None:
    baked = extract(bake(_png(), CREDENTIAL))
    assert (baked.version, baked.kind) == ("3.0", "json")
    assert baked.json() == CREDENTIAL


def test_png_ob3_jwt_round_trips() -> None:
    baked = extract(bake(_png(), JWT))
    assert (baked.version, baked.kind, baked.text) == ("3.0", "jws", JWT)


def test_png_ob2_assertion_round_trips() -> None:
    baked = extract(bake(_png(), ASSERTION, version="2.0"))
    assert (baked.version, baked.kind) == ("2.0", "json")
    assert baked.json() == ASSERTION


def test_png_ob2_hosted_url_round_trips() -> None:
    baked = extract(bake(_png(), "https://example.edu/assertions/1", version="2.0"))
    assert (baked.kind, baked.text) == ("url", "https://example.edu/assertions/1")


def test_png_ob3_chunk_is_uncompressed_itxt_with_spec_keyword() -> None:
    chunks = _chunks(bake(_png(), JWT))
    badge = [c for t, c in chunks if t == b"iTXt"]
    assert badge == [b"openbadgecredential\x00\x00\x00\x00\x00" + JWT.encode()]


def test_png_rebaking_replaces_the_previous_chunk() -> None:
    twice = bake(bake(_png(), JWT), CREDENTIAL)
    itxt = [c for t, c in _chunks(twice) if t == b"iTXt"]
    assert len(itxt) == 1 and extract(twice).kind == "json"


def test_png_with_both_versions_yields_ob3_unless_asked_for_ob2() -> None:
    both = bake(bake(_png(), ASSERTION, version="2.0"), JWT, version="3.0")
    assert extract(both).version == "3.0"
    assert extract(both, version="2.0").json() == ASSERTION


def test_baked_png_is_still_a_valid_image() -> None:
    with Image.open(io.BytesIO(bake(_png(), CREDENTIAL))) as image:
        image.load()
        assert image.size == (8, 8)


def test_extracts_ob2_from_legacy_text_chunk() -> None:
    chunks = _chunks(_png())
    text = (b"tEXt", b"openbadges\x00" + json.dumps(ASSERTION).encode())
    legacy = _raw_png([chunks[0], text, *chunks[1:]])
    assert extract(legacy).json() == ASSERTION


def test_extracts_compressed_itxt() -> None:
    chunks = _chunks(_png())
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(JWT.encode())
    assert extract(_raw_png([chunks[0], (b"iTXt", body), *chunks[1:]])).text == JWT


def test_extracts_openbadges_bakery_sample_png() -> None:
    sample = resources.files("openbadges_bakery") / "testfiles" / "baked_heart.png"
    baked = extract(sample.read_bytes())
    assert baked.version == "2.0" and baked.json()["uid"] == "123"


def test_unbaked_png_reports_no_data() -> None:
    with pytest.raises(BakeryError, match="no Open Badges data"):
        extract(_png())


def test_truncated_png_is_refused() -> None:
    baked = bake(_png(), CREDENTIAL)
    with pytest.raises(BakeryError):
        extract(baked[: len(baked) // 2])


def test_png_with_bad_crc_is_refused() -> None:
    baked = bytearray(bake(_png(), JWT))
    offset = baked.index(b"openbadgecredential")
    baked[offset + 25] ^= 0xFF  # inside the iTXt text; its CRC no longer matches
    with pytest.raises(BakeryError, match="corrupt PNG|not a readable PNG"):
        extract(bytes(baked))


def test_png_with_bad_crc_after_image_data_is_refused() -> None:
    chunks = _chunks(_png())
    body = b"openbadgecredential\x00\x00\x00\x00\x00" + JWT.encode()
    image = bytearray(_raw_png([*chunks[:-1], (b"iTXt", body), chunks[-1]]))
    image[image.index(JWT.encode()) + 3] ^= 0xFF
    with pytest.raises(BakeryError, match="corrupt PNG"):
        extract(bytes(image))


def test_png_with_huge_dimensions_is_refused() -> None:
    chunks = _chunks(_png())
    bomb = _raw_png([_ihdr(100_000, 100_000), *chunks[1:]])
    with pytest.raises(BakeryError, match="decompression-bomb|pixels"):
        extract(bomb)


def test_png_over_the_pixel_cap_is_refused() -> None:
    with pytest.raises(BakeryError, match="pixels"):
        extract(bake(_png(64, 64), JWT), max_pixels=1000)


def test_compressed_text_bomb_before_image_data_is_refused() -> None:
    chunks = _chunks(_png())
    bomb = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(b"a" * 2_000_000)
    with pytest.raises(BakeryError):
        extract(_raw_png([chunks[0], (b"iTXt", bomb), *chunks[1:]]))


def test_compressed_text_bomb_after_image_data_is_refused() -> None:
    # Pillow stops reading at the image data; the bakery's own cap must hold.
    chunks = _chunks(_png())
    bomb = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(b"a" * 2_000_000)
    image = _raw_png([*chunks[:-1], (b"iTXt", bomb), chunks[-1]])
    with pytest.raises(BakeryError, match="expands beyond"):
        extract(image, max_bytes=1_000_000)


def test_oversized_input_is_refused() -> None:
    with pytest.raises(BakeryError, match="larger than"):
        extract(bake(_png(), JWT), max_bytes=100)


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a....", b"%PDF-1.7", b"\x89PNG\r\n\x1a\n", b"plain text"]
)
def test_non_image_is_refused(data: bytes) -> None:
    with pytest.raises(BakeryError):
        extract(data)


def test_bake_refuses_payload_that_is_not_json_jws_or_url() -> None:
    with pytest.raises(BakeryError, match="neither JSON"):
        bake(_png(), "hello world")


def test_bake_refuses_url_for_ob3() -> None:
    with pytest.raises(BakeryError):
        bake(_png(), "https://example.edu/credentials/1", version="3.0")


# --- SVG -------------------------------------------------------------------------


def test_svg_ob3_credential_goes_into_cdata_of_credential_element() -> None:
    baked = bake(SVG, CREDENTIAL)
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert b"<openbadges:credential><![CDATA[{" in baked
    assert extract(baked).json() == CREDENTIAL


def test_svg_ob3_jwt_goes_into_verify_attribute() -> None:
    baked = bake(SVG, JWT)
    assert f'<openbadges:credential verify="{JWT}"/>'.encode() in baked
    assert extract(baked).text == JWT


def test_svg_credential_element_is_the_first_child_of_svg() -> None:
    baked = bake(SVG, JWT)
    assert baked.index(b"<openbadges:credential") < baked.index(b"<circle")


def test_svg_ob2_hosted_assertion_has_verify_url_and_cdata() -> None:
    baked = bake(SVG, ASSERTION, version="2.0")
    assert b'xmlns:openbadges="http://openbadges.org"' in baked
    assert b'verify="https://example.edu/assertions/1"' in baked
    assert extract(baked).json() == ASSERTION


def test_svg_ob2_signed_assertion_goes_into_verify_attribute() -> None:
    baked = extract(bake(SVG, JWT, version="2.0"))
    assert (baked.version, baked.kind, baked.text) == ("2.0", "jws", JWT)


def test_svg_rebaking_replaces_the_previous_element() -> None:
    twice = bake(bake(SVG, JWT), CREDENTIAL)
    assert twice.count(b"<openbadges:credential") == 1
    assert extract(twice).kind == "json"


def test_svg_json_containing_cdata_terminator_round_trips() -> None:
    tricky = {**CREDENTIAL, "name": "a ]]> b"}
    assert extract(bake(SVG, tricky)).json() == tricky


def test_extracts_openbadges_bakery_sample_svg() -> None:
    sample = resources.files("openbadges_bakery") / "testfiles" / "baked_example.svg"
    baked = extract(sample.read_bytes())
    assert baked.version == "2.0" and baked.json()["uid"] == "abcdef12345"


def test_unbaked_svg_reports_no_data() -> None:
    with pytest.raises(BakeryError, match="no Open Badges data"):
        extract(SVG)


def test_svg_with_entity_expansion_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    )
    with pytest.raises(BakeryError, match="forbidden XML"):
        extract(laughs)
    with pytest.raises(BakeryError, match="forbidden XML"):
        bake(laughs, JWT)


def test_svg_with_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    )
    with pytest.raises(BakeryError, match="forbidden XML"):
        extract(xxe)


def test_malformed_svg_is_refused() -> None:
    with pytest.raises(BakeryError, match="not well-formed"):
        extract(b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')


def test_baking_non_svg_xml_is_refused() -> None:
    with pytest.raises(BakeryError):
        bake(b'<?xml version="1.0"?><html><svg/></html>', JWT)


# --- robustness ------------------------------------------------------------------


def test_image_type_is_sniffed_from_content() -> None:
    assert image_type(_png()) == "png" and image_type(SVG) == "svg"


def test_mutated_inputs_only_ever_raise_bakery_error() -> None:
    rng = random.Random(1234)
    samples = [bake(_png(), CREDENTIAL), bake(SVG, CREDENTIAL), bake(SVG, JWT, version="2.0")]
    for _ in range(300):
        data = bytearray(rng.choice(samples))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            del data[rng.randrange(len(data)) :]
        with contextlib.suppress(BakeryError):  # anything else fails the test
            extract(bytes(data))
