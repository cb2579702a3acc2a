"""Badge images: PNG or SVG only, checked before they are parsed, normalised before they are stored.

* The size and the type (from the first bytes, never from the name or the browser's claim) are
  checked before any parser sees the file.
* PNG is opened by Pillow with its decompression-bomb limits on (a warning is an error here) and
  the declared dimensions are checked before a single pixel is decoded; it is then re-drawn as a
  square RGBA PNG of ``PNG_SIZE`` pixels, transparent padding, no metadata and no baked chunks.
* SVG is parsed with defusedxml (no DTDs, no entities, no external references); scripts, event
  handlers, foreign objects and references to anything outside the file are refused. The stored
  file is the re-serialised tree, without comments or previously baked assertions.

``normalise_badge_image(upload)`` returns a ``BadgeImage`` or raises ``BadgeImageError`` (a
``ValidationError``) whose message says what to do.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PNG_BYTES = 2 * 1024 * 1024
MAX_SVG_BYTES = 512 * 1024
# Width × height a PNG may declare. Pillow's own decompression-bomb limits stay on as well
# (its warning is an error here), and both are checked before any pixel is decoded.
MAX_PIXELS = 16_000_000
MIN_SIDE = 64
PNG_SIZE = 512

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
OPENBADGES_NS = "http://openbadges.org"
FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
SAFE_DATA_URI = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
CSS_EXTERNAL = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)

ElementTree.register_namespace("", SVG_NS)
ElementTree.register_namespace("xlink", XLINK_NS)


class BadgeImageError(ValidationError):
    """The upload cannot be a badge image; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="badge_image")


@dataclass(frozen=True)
class BadgeImage:
    content: bytes
    extension: str  # "png" or "svg"
    content_type: str
    width: int
    height: int


def sniff(head: bytes) -> str | None:
    """The type, ``"png"``, ``"svg"`` or None, from the first bytes of a file only."""
    if head.startswith(PNG_SIGNATURE):
        return "png"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE")) and b"<svg" in head:
        return "svg"
    return None


def _describe(head: bytes) -> str:
    known = {
        b"\xff\xd8\xff": _("a JPEG photo"),
        b"GIF8": _("a GIF image"),
        b"%PDF": _("a PDF document"),
        b"PK\x03\x04": _("a ZIP archive or office document"),
        b"RIFF": _("a WebP image or media file"),
        b"BM": _("a BMP image"),
    }
    for magic, what in known.items():
        if head.startswith(magic):
            return what
    return _("not a PNG or SVG image")


def _read(upload, limit: int) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def normalise_badge_image(upload) -> BadgeImage:
    """Check and normalise an uploaded badge image (a Django UploadedFile or any file object)."""
    size = getattr(upload, "size", None)
    limit = max(MAX_PNG_BYTES, MAX_SVG_BYTES)
    if size is not None and size > limit:
        raise BadgeImageError(
            _(
                "The image is %(size)s; a badge image may be at most "
                "%(png_max)s (PNG) or %(svg_max)s (SVG)."
            )
            % {
                "size": _megabytes(size),
                "png_max": _megabytes(MAX_PNG_BYTES),
                "svg_max": _megabytes(MAX_SVG_BYTES),
            }
        )
    head = _read(upload, 1024)[:1024]
    kind = sniff(head)
    if kind is None:
        raise BadgeImageError(
            _("This file is %(kind)s. Upload the badge as a PNG or an SVG image.")
            % {"kind": _describe(head)}
        )
    max_bytes = MAX_PNG_BYTES if kind == "png" else MAX_SVG_BYTES
    data = _read(upload, max_bytes)
    if len(data) > max_bytes:
        raise BadgeImageError(
            _("The %(format)s is larger than %(max)s; make it smaller.")
            % {"format": kind.upper(), "max": _megabytes(max_bytes)}
        )
    return normalise_png(data) if kind == "png" else normalise_svg(data)


def _open_png(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["PNG"])
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise BadgeImageError(
                    _(
                        "The PNG says it is %(width)s×%(height)s pixels, too large to be a badge "
                        "(at most %(megapixels)s megapixels). Export it at, say, "
                        "%(png_size)s×%(png_size)s."
                    )
                    % {
                        "width": width,
                        "height": height,
                        "megapixels": MAX_PIXELS // 1_000_000,
                        "png_size": PNG_SIZE,
                    }
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BadgeImageError(
            _(
                "The PNG declares far more pixels than a badge needs (a decompression bomb); "
                "export it at, say, %(png_size)s×%(png_size)s pixels."
            )
            % {"png_size": PNG_SIZE}
        ) from error
    except BadgeImageError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise BadgeImageError(
            _("The PNG is damaged or incomplete and cannot be read. Export it again.")
        ) from error
    return image


def normalise_png(data: bytes) -> BadgeImage:
    """A square RGBA PNG of PNG_SIZE pixels, the picture centred on a transparent canvas."""
    image = _open_png(data)
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        raise BadgeImageError(
            _(
                "The PNG is only %(width)s×%(height)s pixels; a badge needs at least "
                "%(min_side)s×%(min_side)s (best %(png_size)s×%(png_size)s)."
            )
            % {"width": width, "height": height, "min_side": MIN_SIDE, "png_size": PNG_SIZE}
        )
    rgba = image.convert("RGBA")
    side = max(width, height)
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    canvas.paste(rgba, ((side - width) // 2, (side - height) // 2))
    if side != PNG_SIZE:
        canvas = canvas.resize((PNG_SIZE, PNG_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return BadgeImage(out.getvalue(), "png", "image/png", PNG_SIZE, PNG_SIZE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _check_svg_element(element) -> None:
    name = _local(element.tag)
    if name in FORBIDDEN_ELEMENTS:
        raise BadgeImageError(
            _("The SVG contains a <%(name)s> element; badge images may not.") % {"name": name}
        )
    for attribute, value in element.attrib.items():
        attr = _local(attribute)
        if attr.lower().startswith("on"):
            raise BadgeImageError(
                _("The SVG has an event handler (%(attr)s); badge images may not run scripts.")
                % {"attr": attr}
            )
        if attr == "href" and not (value.startswith("#") or SAFE_DATA_URI.match(value)):
            raise BadgeImageError(
                _(
                    "The SVG refers to something outside the file (%(value)s); "
                    "embed everything it needs."
                )
                % {"value": value[:60]}
            )
        if attr == "attributeName" and (value.lower().startswith("on") or "href" in value):
            raise BadgeImageError(_("The SVG animates a link or handler; badge images may not."))
        if attr == "style" and CSS_EXTERNAL.search(value):
            raise BadgeImageError(_("The SVG's styles load something from outside the file."))
        if "javascript:" in value.replace(" ", "").lower():
            raise BadgeImageError(_("The SVG contains a javascript: link; badge images may not."))
    if name == "style" and CSS_EXTERNAL.search(element.text or ""):
        raise BadgeImageError(_("The SVG's styles load something from outside the file."))


def _svg_length(value: str | None) -> float | None:
    match = re.match(r"^\s*([0-9.]+)\s*(px)?\s*$", value or "")
    return float(match.group(1)) if match else None


def normalise_svg(data: bytes) -> BadgeImage:
    """The SVG, parsed safely, checked, re-serialised without comments or baked assertions."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadgeImageError(_("The SVG is not UTF-8 text. Save it again as UTF-8.")) from error
    try:
        root = parse_xml(text, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise BadgeImageError(
            _(
                "The SVG declares entities; badge images may not (they can hide references to "
                "other files or expand without end)."
            )
        ) from error
    except ElementTree.ParseError as error:
        raise BadgeImageError(
            _("The SVG is not well-formed XML (%(error)s).") % {"error": error}
        ) from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise BadgeImageError(
            _("The file is XML but not an SVG image (its root must be <svg> in the SVG namespace).")
        )
    for element in root.iter():
        _check_svg_element(element)
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.startswith(f"{{{OPENBADGES_NS}}}"):
                parent.remove(child)  # an assertion baked into someone else's badge
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            width, height = float(view_box[2]), float(view_box[3])
        except ValueError:
            width = height = None
    elif width and height:
        root.set("viewBox", f"0 0 {width:g} {height:g}")
    if not width or not height:
        raise BadgeImageError(
            _("The SVG has no size: give the <svg> a viewBox or width and height.")
        )
    root.set("width", str(PNG_SIZE))
    root.set("height", str(PNG_SIZE))
    content = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return BadgeImage(content, "svg", "image/svg+xml", PNG_SIZE, PNG_SIZE)
