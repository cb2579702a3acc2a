"""Badge image checks: PNG or SVG only, size and type before parsing, bombs refused, normalised."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from credentials.issuing import images
from credentials.issuing.images import BadgeImageError, normalise_badge_image


def png_bytes(width=300, height=200, mode="RGB", colour=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), colour).save(out, format="PNG", **save)
    return out.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        images.PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(data: bytes, name="badge.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def svg(
    body: str = '<circle cx="50" cy="50" r="40" fill="#1d4ed8"/>', attrs='viewBox="0 0 100 100"'
):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}>{body}</svg>').encode()


# PNG


def test_a_png_is_normalised_to_a_square_rgba_png_of_512_pixels():
    result = normalise_badge_image(upload(png_bytes(300, 200)))
    image = Image.open(io.BytesIO(result.content))
    assert (result.extension, result.content_type) == ("png", "image/png")
    assert image.format == "PNG"
    assert image.size == (512, 512)
    assert image.mode == "RGBA"


def test_a_wide_png_is_centred_on_transparent_padding():
    result = normalise_badge_image(upload(png_bytes(400, 200)))
    image = Image.open(io.BytesIO(result.content))
    assert image.getpixel((256, 5))[3] == 0  # top band: padding
    assert image.getpixel((256, 256))[:3] == (200, 30, 30)


def test_text_chunks_such_as_a_previously_baked_assertion_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_itxt("openbadges", '{"id": "https://elsewhere.example/assertion"}')
    result = normalise_badge_image(upload(png_bytes(pnginfo=info)))
    assert b"openbadges" not in result.content
    assert b"elsewhere.example" not in result.content


def test_a_jpeg_is_refused_with_its_type_named():
    out = io.BytesIO()
    Image.new("RGB", (200, 200)).save(out, format="JPEG")
    with pytest.raises(BadgeImageError, match="JPEG"):
        normalise_badge_image(upload(out.getvalue(), "badge.png"))


def test_a_text_file_renamed_png_is_refused():
    with pytest.raises(BadgeImageError, match="PNG or an SVG"):
        normalise_badge_image(upload(b"just some text, not an image", "badge.png"))


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    big = upload(images.PNG_SIGNATURE + b"\x00" * (images.MAX_PNG_BYTES + 10))

    def never(*args, **kwargs):
        raise AssertionError("a parser saw a file that was too large")

    monkeypatch.setattr(images, "normalise_png", never)
    monkeypatch.setattr(images.Image, "open", never)
    with pytest.raises(BadgeImageError, match="at most 2.0 MB"):
        normalise_badge_image(big)


def test_a_png_declaring_billions_of_pixels_is_refused_as_a_decompression_bomb():
    with pytest.raises(BadgeImageError, match="decompression bomb"):
        normalise_badge_image(upload(png_declaring(100_000, 100_000)))


def test_a_png_above_our_pixel_limit_is_refused_before_decoding(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_decoding)
    with pytest.raises(BadgeImageError, match="too large to be a badge"):
        normalise_badge_image(upload(png_declaring(5000, 5000)))


def test_a_tiny_png_is_refused():
    with pytest.raises(BadgeImageError, match="at least 64×64"):
        normalise_badge_image(upload(png_bytes(20, 20)))


def test_a_truncated_png_is_refused_as_damaged():
    data = png_bytes(300, 300, colour=(1, 2, 3))
    with pytest.raises(BadgeImageError, match="damaged"):
        normalise_badge_image(upload(data[: len(data) // 2]))


def test_the_browser_content_type_is_not_trusted():
    result = normalise_badge_image(upload(png_bytes(), "badge.svg", "image/svg+xml"))
    assert result.extension == "png"


# SVG


def test_an_svg_is_kept_as_svg_with_a_square_display_size():
    result = normalise_badge_image(upload(svg(), "badge.svg", "image/svg+xml"))
    assert (result.extension, result.content_type) == ("svg", "image/svg+xml")
    assert b'width="512"' in result.content and b'height="512"' in result.content
    assert b'viewBox="0 0 100 100"' in result.content


def test_an_svg_without_a_viewbox_gets_one_from_its_size():
    result = normalise_badge_image(upload(svg(attrs='width="120" height="80"'), "b.svg"))
    assert b'viewBox="0 0 120 80"' in result.content


def test_an_svg_with_a_script_is_refused():
    with pytest.raises(BadgeImageError, match="<script>"):
        normalise_badge_image(upload(svg("<script>alert(1)</script>"), "b.svg"))


def test_an_svg_with_an_event_handler_is_refused():
    with pytest.raises(BadgeImageError, match="event handler"):
        normalise_badge_image(upload(svg('<rect width="5" height="5" onclick="x()"/>'), "b.svg"))


def test_an_svg_referring_to_an_external_image_is_refused():
    body = '<image href="https://tracker.example/pixel.png" width="10" height="10"/>'
    with pytest.raises(BadgeImageError, match="outside the file"):
        normalise_badge_image(upload(svg(body), "b.svg"))


def test_an_svg_loading_external_styles_is_refused():
    body = "<style>@import url(https://fonts.example/font.css);</style>"
    with pytest.raises(BadgeImageError, match="styles"):
        normalise_badge_image(upload(svg(body), "b.svg"))


def test_an_svg_with_a_foreign_object_is_refused():
    body = "<foreignObject><p xmlns='http://www.w3.org/1999/xhtml'>hi</p></foreignObject>"
    with pytest.raises(BadgeImageError, match="foreignObject"):
        normalise_badge_image(upload(svg(body), "b.svg"))


def test_an_svg_with_entities_is_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&lol2;</text></svg>'
    )
    with pytest.raises(BadgeImageError, match="entities"):
        normalise_badge_image(upload(data, "b.svg"))


def test_an_svg_with_an_external_entity_is_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&x;</text></svg>'
    )
    with pytest.raises(BadgeImageError):
        normalise_badge_image(upload(data, "b.svg"))


def test_xml_that_is_not_svg_is_refused():
    data = b'<?xml version="1.0"?><svg-not><svg/></svg-not>'
    with pytest.raises(BadgeImageError, match="not an SVG"):
        normalise_badge_image(upload(data, "b.svg"))


def test_malformed_svg_is_refused():
    with pytest.raises(BadgeImageError, match="not well-formed"):
        normalise_badge_image(upload(b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "b.svg"))


def test_an_svg_without_any_size_is_refused():
    with pytest.raises(BadgeImageError, match="no size"):
        normalise_badge_image(upload(svg(attrs=""), "b.svg"))


def test_an_svg_above_its_size_limit_is_refused():
    body = "<!--" + "x" * (images.MAX_SVG_BYTES + 1) + "-->"
    with pytest.raises(BadgeImageError, match="larger than"):
        normalise_badge_image(upload(svg() + body.encode(), "b.svg"))


def test_an_assertion_baked_into_an_uploaded_svg_is_removed():
    body = (
        '<openbadges:assertion xmlns:openbadges="http://openbadges.org" '
        'verify="https://elsewhere.example/a"/><circle r="4"/>'
    )
    result = normalise_badge_image(upload(svg(body), "b.svg"))
    assert b"elsewhere.example" not in result.content
    assert b"circle" in result.content
