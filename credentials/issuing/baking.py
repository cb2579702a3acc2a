"""Baked badge images of an award: PNG and SVG, for Open Badges 2.0 and 3.0, baked on demand.

* 2.0: the hosted Assertion JSON, PNG iTXt ``openbadges`` / SVG ``openbadges:assertion``.
* 3.0: the OpenBadgeCredential with its Data Integrity proof, PNG iTXt
  ``openbadgecredential`` / SVG ``openbadges:credential``.

The image is the badge class's own (PNG or SVG); the other format is derived from it — an SVG
that embeds the PNG, or, for an SVG-only badge, a generated PNG — and a badge without an image
gets a generated one. Nothing baked is stored: an award keeps its signed documents
(``signing``), and ``baked_image`` bakes one of them into the badge's image when someone
downloads it (a fraction of a millisecond: cheaper than storing four files per award and
reading one back). The bytes only depend on the stored documents and the badge's image, so
the same download gives the same bytes (and the same ETag).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageDraw, ImageFont

from credentials.issuing import openbadges2
from credentials.issuing.signing import sign_award
from credentials.models import Award, BadgeClass
from credentials.standards import bakery


class Format(models.TextChoices):
    PNG2 = "png2", "PNG, Open Badges 2.0"
    SVG2 = "svg2", "SVG, Open Badges 2.0"
    PNG3 = "png3", "PNG, Open Badges 3.0"
    SVG3 = "svg3", "SVG, Open Badges 3.0"


MIME = {Format.PNG2: "image/png", Format.PNG3: "image/png"}
MIME.update({Format.SVG2: "image/svg+xml", Format.SVG3: "image/svg+xml"})
EXTENSION = {Format.PNG2: "png", Format.PNG3: "png", Format.SVG2: "svg", Format.SVG3: "svg"}
_PALETTE = ["#1f4e79", "#2e7d32", "#6a1b9a", "#ad1457", "#e65100", "#00695c", "#283593"]


def _initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "B"


def _colour(name: str) -> str:
    return _PALETTE[hashlib.sha256(name.encode()).digest()[0] % len(_PALETTE)]


@lru_cache(maxsize=64)
def default_png(name: str, size: int = 256) -> bytes:
    """A round badge with the name's initials (for badge classes without an image)."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=_colour(name), outline="#ffffff", width=6)
    try:
        font = ImageFont.load_default(size=size // 3)
    except TypeError:  # Pillow without FreeType
        font = ImageFont.load_default()
    draw.text((size / 2, size / 2), _initials(name), fill="#ffffff", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _svg_with_png(png: bytes, name: str) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{html.escape(name)}</title>"
        f'<image width="{width}" height="{height}" xlink:href="data:image/png;base64,{data}"/>'
        "</svg>"
    ).encode()


def source_image(badge: BadgeClass) -> tuple[bytes, str]:
    """The badge class's image bytes and type ("png" or "svg"); a generated PNG if none."""
    if badge.image:
        try:
            with badge.image.open("rb") as handle:
                data = handle.read()
            return data, bakery.image_type(data)
        except (OSError, bakery.BakeryError):
            pass
    return default_png(badge.name), "png"


def base_images(badge: BadgeClass) -> dict[str, bytes]:
    data, kind = source_image(badge)
    if kind == "png":
        return {"png": data, "svg": _svg_with_png(data, badge.name)}
    return {"png": default_png(badge.name), "svg": data}


def payload(award: Award, fmt: str) -> str:
    if fmt in (Format.PNG2, Format.SVG2):
        return json.dumps(openbadges2.assertion_document(award), ensure_ascii=False)
    return json.dumps(award.ob3_credential, ensure_ascii=False)


def bake_one(award: Award, fmt: str, images: dict[str, bytes] | None = None) -> bytes:
    """The baked image bytes of ``award`` in ``fmt`` (not stored). The award must be signed."""
    images = images or base_images(award.badge_class)
    kind = "png" if fmt in (Format.PNG2, Format.PNG3) else "svg"
    version = "2.0" if fmt in (Format.PNG2, Format.SVG2) else "3.0"
    return bakery.bake(images[kind], payload(award, fmt), version=version)


@dataclass(frozen=True)
class Baked:
    """One baked image of an award, in memory."""

    format: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def mime(self) -> str:
        return MIME[self.format]

    @property
    def file(self) -> ContentFile:
        """The bytes as a file (``with baked.file.open("rb") as handle``), for readers of files."""
        return ContentFile(self.data, name=f"badge.{EXTENSION[self.format]}")


def baked_image(award: Award, fmt: str, images: dict[str, bytes] | None = None) -> Baked:
    """``award`` baked in ``fmt``, signing it first if it is not yet (idempotent)."""
    if fmt not in Format.values:
        raise ValueError(f"unknown format {fmt!r}")
    award = sign_award(award)
    return Baked(fmt, bake_one(award, fmt, images))


def baked_images(award: Award) -> dict[str, Baked]:
    """All four baked images of ``award`` (signed first if needed), the badge image read once."""
    award = sign_award(award)
    images = base_images(award.badge_class)
    return {fmt: Baked(fmt, bake_one(award, fmt, images)) for fmt in Format.values}
