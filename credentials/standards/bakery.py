"""Baking Open Badges into PNG/SVG images, and extracting them safely.

Formats (Open Badges 2.0 "Baking" and Open Badges 3.0 section "Baked Badge"):

=========  ===========================================  =====================================
version    PNG                                          SVG
=========  ===========================================  =====================================
2.0        iTXt chunk, keyword ``openbadges``: the       ``<openbadges:assertion>`` in
           Assertion JSON, the JWS, or the hosted URL    ``http://openbadges.org``; ``verify``
           (``tEXt``/``zTXt`` accepted when reading)     attribute = JWS or hosted URL, JSON
                                                         in CDATA
3.0        iTXt chunk, keyword ``openbadgecredential``,  ``<openbadges:credential>`` in
           uncompressed: credential JSON or the VC-JWT   ``https://purl.imsglobal.org/ob/v3p0``
                                                         first in ``<svg>``; JWT in ``verify``
                                                         or JSON in CDATA
=========  ===========================================  =====================================

Baking replaces any existing badge data.  Extraction treats its input as
hostile: a byte cap, Pillow's header check with a pixel cap (decompression
bombs), CRC-checked chunks, a cap on compressed text, ``defusedxml`` for SVG
(no entities, no external references) -- and every failure is a
:class:`BakeryError` with a human-readable reason, nothing else escapes.

The module does its own chunk handling with ``pypng`` rather than calling
``openbadges-bakery``: that package has no size limits, strips ``openbadges``
from anywhere in the text, and knows nothing of OB 3.0.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from xml.dom.minidom import Document, Element

import png
from defusedxml import ElementTree as SafeElementTree
from defusedxml import minidom as safe_minidom
from defusedxml.common import DefusedXmlException
from PIL import Image, UnidentifiedImageError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "BakedBadge",
    "BakeryError",
    "Version",
    "bake",
    "extract",
    "image_type",
]

Version = Literal["2.0", "3.0"]
Kind = Literal["json", "jws", "url"]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PIXELS = 4096 * 4096

PNG_KEYWORDS: dict[Version, bytes] = {"2.0": b"openbadges", "3.0": b"openbadgecredential"}
SVG_NAMESPACES: dict[Version, str] = {
    "2.0": "http://openbadges.org",
    "3.0": "https://purl.imsglobal.org/ob/v3p0",
}
SVG_ELEMENTS: dict[Version, str] = {"2.0": "assertion", "3.0": "credential"}
_SVG_NS = "http://www.w3.org/2000/svg"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")


class BakeryError(ValueError):
    """The image could not be baked or read; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BakedBadge:
    """What was found in an image: the spec version and the text payload."""

    version: Version
    kind: Kind
    text: str

    def json(self) -> dict[str, Any]:
        if self.kind != "json":
            raise BakeryError(f"baked payload is a {self.kind}, not JSON")
        value: dict[str, Any] = json.loads(self.text)
        return value


def _classify(text: str, version: Version) -> Kind:
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            value = json.loads(stripped)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise BakeryError("baked JSON is not valid") from exc
        if not isinstance(value, dict):
            raise BakeryError("baked JSON is not an object")
        return "json"
    if _JWS.match(stripped):
        return "jws"
    if version == "2.0" and _URL.match(stripped):
        return "url"
    raise BakeryError("baked data is neither JSON, a compact JWS nor a URL")


def image_type(data: bytes) -> Literal["png", "svg"]:
    """Sniff PNG or SVG from content (not from a file name)."""
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg"))
        and b"<svg" in data[:65536].lower()
    ):
        return "svg"
    raise BakeryError("not a PNG or SVG image")


def _check_size(data: bytes, max_bytes: int) -> None:
    if not isinstance(data, bytes | bytearray):
        raise BakeryError("image must be bytes")
    if len(data) > max_bytes:
        raise BakeryError(f"image is larger than {max_bytes} bytes")
    if not data:
        raise BakeryError("image is empty")


# --- PNG -------------------------------------------------------------------------


def _check_png_header(data: bytes, max_pixels: int) -> None:
    """Let Pillow read the header: a real PNG, and not a decompression bomb."""
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:
        raise BakeryError("PNG dimensions exceed the decompression-bomb limit") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise BakeryError(f"not a readable PNG image: {exc}") from exc
    if width * height > max_pixels:
        raise BakeryError(f"PNG has {width}x{height} pixels, more than {max_pixels}")


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    try:
        yield from png.Reader(bytes=bytes(data)).chunks()
    except png.Error as exc:  # FormatError / ChunkError: truncated, bad CRC, ...
        raise BakeryError(f"corrupt PNG: {exc}") from exc


def _decompress(data: bytes, limit: int) -> bytes:
    decompressor = zlib.decompressobj()
    try:
        out = decompressor.decompress(data, limit)
    except zlib.error as exc:
        raise BakeryError("compressed PNG text is corrupt") from exc
    if decompressor.unconsumed_tail:
        raise BakeryError(f"compressed PNG text expands beyond {limit} bytes")
    return out


def _png_text(chunk_type: bytes, content: bytes, limit: int) -> tuple[bytes, str]:
    """Parse a tEXt/zTXt/iTXt chunk into (keyword, text)."""
    keyword, sep, rest = content.partition(b"\x00")
    if not sep:
        raise BakeryError(f"malformed {chunk_type.decode()} chunk")
    if chunk_type == b"tEXt":
        return keyword, rest.decode("latin-1")
    if chunk_type == b"zTXt":
        return keyword, _decompress(rest[1:], limit).decode("latin-1")
    if len(rest) < 2:
        raise BakeryError("malformed iTXt chunk")
    compressed, _method, rest = rest[0], rest[1], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        text = _decompress(text, limit)
    try:
        return keyword, text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakeryError("iTXt text is not UTF-8") from exc


def _itxt(keyword: bytes, text: str) -> tuple[bytes, bytes]:
    # keyword NUL, compression flag 0, method 0, empty language NUL, empty translated keyword NUL
    return b"iTXt", keyword + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")


def _extract_png(data: bytes, version: Version | None, max_bytes: int) -> BakedBadge:
    wanted = {v: k for v, k in PNG_KEYWORDS.items() if version in (None, v)}
    found: dict[Version, str] = {}
    for chunk_type, content in _png_chunks(data):
        if chunk_type == b"IEND":
            break
        if chunk_type not in _TEXT_CHUNKS:
            continue
        keyword = content.partition(b"\x00")[0]
        for v, k in wanted.items():
            if keyword == k and v not in found:
                found[v] = _png_text(chunk_type, content, max_bytes)[1]
        # The spec reads only the first matching chunk; with no version given,
        # keep looking past 2.0 data in case 3.0 data follows.
        if "3.0" in found or (version == "2.0" and found):
            break
    for v in ("3.0", "2.0"):
        if v in found:
            return BakedBadge(version=v, kind=_classify(found[v], v), text=found[v].strip())
    raise BakeryError("no Open Badges data found in the PNG")


def _bake_png(data: bytes, text: str, version: Version) -> bytes:
    keyword = PNG_KEYWORDS[version]
    chunks = list(_png_chunks(data))
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakeryError("corrupt PNG: missing IHDR or IEND")
    kept = [
        (t, c) for t, c in chunks[1:] if not (t in _TEXT_CHUNKS and c.startswith(keyword + b"\x00"))
    ]
    out = io.BytesIO()
    png.write_chunks(out, [chunks[0], _itxt(keyword, text), *kept])
    return out.getvalue()


# --- SVG -------------------------------------------------------------------------


def _is_badge_element(namespace: str, local_name: str, version: Version | None) -> Version | None:
    for v in ("3.0", "2.0"):
        if version not in (None, v) or local_name != SVG_ELEMENTS[v]:
            continue
        if namespace == SVG_NAMESPACES[v] or (
            namespace != _SVG_NS and ("openbadges" in namespace or "imsglobal" in namespace)
        ):
            return v
    return None


def _extract_svg(data: bytes, version: Version | None) -> BakedBadge:
    try:
        for _event, element in SafeElementTree.iterparse(io.BytesIO(data), events=("end",)):
            namespace, _, local_name = (
                element.tag[1:].partition("}")
                if element.tag.startswith("{")
                else ("", "", element.tag)
            )
            found = _is_badge_element(namespace, local_name, version)
            if found is None:
                continue
            verify = (element.get("verify") or "").strip()
            body = (element.text or "").strip()
            # For a 2.0 hosted badge the CDATA holds the Assertion and verify its
            # URL; otherwise verify holds the JWS and the CDATA the JSON.
            hosted_json = found == "2.0" and body.startswith("{")
            text = body if hosted_json else verify or body
            if not text:
                raise BakeryError(f"empty <openbadges:{local_name}> element")
            return BakedBadge(version=found, kind=_classify(text, found), text=text)
    except DefusedXmlException as exc:
        raise BakeryError(f"SVG uses forbidden XML features: {type(exc).__name__}") from exc
    except SafeElementTree.ParseError as exc:
        raise BakeryError(f"SVG is not well-formed XML: {exc}") from exc
    except (LookupError, UnicodeError) as exc:
        raise BakeryError("SVG declares an unknown or wrong character encoding") from exc
    raise BakeryError("no Open Badges data found in the SVG")


def _bake_svg(data: bytes, text: str, kind: Kind, version: Version) -> bytes:
    try:
        document: Document = safe_minidom.parseString(data)
    except DefusedXmlException as exc:
        raise BakeryError(f"SVG uses forbidden XML features: {type(exc).__name__}") from exc
    except Exception as exc:  # expat errors surface as several types
        raise BakeryError(f"SVG is not well-formed XML: {exc}") from exc
    root: Element | None = document.documentElement
    if root is None or root.localName != "svg":
        raise BakeryError("root element is not <svg>")
    for old in root.getElementsByTagName("*"):
        if _is_badge_element(old.namespaceURI or "", old.localName or "", None):
            parent = old.parentNode
            if parent is not None:
                parent.removeChild(old)
    namespace = SVG_NAMESPACES[version]
    element = document.createElementNS(namespace, f"openbadges:{SVG_ELEMENTS[version]}")
    if kind == "json":
        # "]]>" can only occur inside a JSON string, where "\u003e" means the same.
        element.appendChild(document.createCDATASection(text.replace("]]>", "]]\\u003e")))
        if version == "2.0":
            assertion = json.loads(text)
            verify = assertion.get("id") if _URL.match(str(assertion.get("id", ""))) else None
            verify = verify or (assertion.get("verify") or {}).get("url")
            if isinstance(verify, str) and verify:
                element.setAttribute("verify", verify)
    else:
        element.setAttribute("verify", text)
    root.setAttribute("xmlns:openbadges", namespace)
    root.insertBefore(element, root.firstChild)
    baked: bytes = document.toxml(encoding="utf-8")
    return baked


# --- public API ------------------------------------------------------------------


def bake(
    image: bytes,
    payload: str | Mapping[str, Any],
    *,
    version: Version = "3.0",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> bytes:
    """Return ``image`` (PNG or SVG) with ``payload`` baked in.

    ``payload`` is the credential/assertion (a mapping or its JSON text), a
    compact JWS / VC-JWT, or (2.0 only) the hosted assertion URL.
    """
    if version not in PNG_KEYWORDS:
        raise BakeryError(f"unknown Open Badges version {version!r}")
    _check_size(image, max_bytes)
    text = json.dumps(payload, ensure_ascii=False) if isinstance(payload, Mapping) else payload
    if not isinstance(text, str):
        raise BakeryError("payload must be a mapping or a string")
    text = text.strip()
    kind = _classify(text, version)
    try:
        if image_type(image) == "png":
            _check_png_header(image, max_pixels)
            return _bake_png(image, text, version)
        return _bake_svg(image, text, kind, version)
    except BakeryError:
        raise
    except Exception as exc:  # noqa: BLE001 - nothing but BakeryError may escape
        raise BakeryError(f"could not bake the image: {type(exc).__name__}") from exc


def extract(
    image: bytes,
    *,
    version: Version | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> BakedBadge:
    """Read the baked badge from ``image``; OB 3.0 data wins over 2.0 if both exist."""
    if version is not None and version not in PNG_KEYWORDS:
        raise BakeryError(f"unknown Open Badges version {version!r}")
    _check_size(image, max_bytes)
    try:
        if image_type(image) == "png":
            _check_png_header(image, max_pixels)
            return _extract_png(image, version, max_bytes)
        return _extract_svg(image, version)
    except BakeryError:
        raise
    except Exception as exc:  # noqa: BLE001 - nothing but BakeryError may escape
        raise BakeryError(f"could not read the image: {type(exc).__name__}") from exc
