"""Baked badge images of an award: PNG and SVG, for Open Badges 2.0 and 3.0. Idempotent.

* 2.0: the hosted Assertion JSON, PNG iTXt ``openbadges`` / SVG ``openbadges:assertion``.
* 3.0: the OpenBadgeCredential with its Data Integrity proof, PNG iTXt
  ``openbadgecredential`` / SVG ``openbadges:credential``.

The image is the badge class's own (PNG or SVG); the other format is derived from it — an SVG
that embeds the PNG, or, for an SVG-only badge, a generated PNG — and a badge without an image
gets a generated one. ``bake_award`` runs in a Celery task after the award commits; a download
that comes first calls ``baked_image``, which bakes the one it needs on the spot.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from functools import lru_cache

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from credentials.issuing import openbadges2
from credentials.issuing.signing import SIGNED_FIELDS, sign_award, signed_documents
from credentials.models import Award, BadgeClass, BakedImage
from credentials.standards import bakery

Format = BakedImage.Format
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


def _new_baked(award: Award, fmt: str, data: bytes) -> BakedImage:
    """An unsaved image row whose file is written (under the award's public id)."""
    baked = BakedImage(award=award, format=fmt, sha256=hashlib.sha256(data).hexdigest())
    baked.file.save(f"{award.public_id}-{fmt}.{EXTENSION[fmt]}", ContentFile(data), save=False)
    return baked


def _store(award: Award, fmt: str, data: bytes) -> BakedImage:
    baked = None
    try:
        with transaction.atomic():
            baked = _new_baked(award, fmt, data)
            baked.save()
            return baked
    except IntegrityError:
        # Baked concurrently (a download racing the task): keep theirs, drop our file.
        if baked is not None:
            baked.file.delete(save=False)
        return BakedImage.objects.get(award=award, format=fmt)


def bake_award(award: Award) -> dict[str, BakedImage]:
    """Sign ``award`` if needed and store its four baked images. Idempotent.

    Signs and bakes in memory, writes the files, then saves the proofs and the image rows in
    one transaction (one commit per award, whatever the database).
    """
    award = Award.objects.select_related("badge_class__issuer").get(pk=award.pk)
    existing = {b.format: b for b in BakedImage.objects.filter(award=award)}
    missing = [fmt for fmt in Format.values if fmt not in existing]
    if not missing:
        return existing
    signed_here = award.signed_at is None
    if signed_here:
        for field, value in signed_documents(award).items():
            setattr(award, field, value)
    images = {award.badge_class_id: base_images(award.badge_class)}
    made = _bake_missing(award, set(existing), images)
    try:
        with transaction.atomic():
            locked = Award.objects.select_for_update().get(pk=award.pk)
            if signed_here and locked.signed_at is not None:
                raise _Raced
            if signed_here:
                award.signed_at = timezone.now()
                award.save(update_fields=[*SIGNED_FIELDS, "signed_at"])
            BakedImage.objects.bulk_create(made)
    except (_Raced, IntegrityError):
        # Another process signed or baked meanwhile: drop our files, keep theirs.
        for baked in made:
            baked.file.delete(save=False)
        return bake_award(award)
    return {b.format: b for b in BakedImage.objects.filter(award=award)}


class _Raced(Exception):
    pass


def bake_many(awards: list[Award]) -> int:
    """``bake_award`` for many awards, in one transaction. Idempotent.

    The bulk award's path: each award is signed and its four images baked in memory and
    written, then the proofs and image rows of all of them are saved at once. Awards that are
    already signed and baked are skipped; one that another process signed or baked meanwhile
    keeps theirs (and our files are removed). An award that cannot be signed does not hold up
    the others: they are saved, then ``BakingError`` names it. If saving fails, the files
    written are removed. Returns how many awards this call baked.
    """
    if not awards:
        return 0
    pks = [a.pk for a in awards]
    awards = list(Award.objects.filter(pk__in=pks).select_related("badge_class__issuer"))
    badges: dict[int, BadgeClass] = {}
    for award in awards:  # one object per badge class: its keys and image are read once
        award.badge_class = badges.setdefault(award.badge_class_id, award.badge_class)
    baked_formats: dict[int, set[str]] = {}
    for award_pk, fmt in BakedImage.objects.filter(award__in=pks).values_list("award", "format"):
        baked_formats.setdefault(award_pk, set()).add(fmt)
    todo = [a for a in awards if len(baked_formats.get(a.pk, ())) < len(Format.values)]
    if not todo:
        return 0
    images = {pk: base_images(badge) for pk, badge in badges.items()}
    signed_here: set[int] = set()
    made: dict[int, list[BakedImage]] = {}
    failed: dict[Award, Exception] = {}
    try:
        for award in todo:
            try:
                if award.signed_at is None:
                    for field, value in signed_documents(award).items():
                        setattr(award, field, value)
                    signed_here.add(award.pk)
            except Exception as error:  # noqa: BLE001 - reported below, after the others
                failed[award] = error
                continue
            made[award.pk] = _bake_missing(award, baked_formats.get(award.pk, set()), images)
        drop = _save_baked(todo, made, signed_here)
    except BaseException:
        for images_made in made.values():
            for baked in images_made:
                baked.file.delete(save=False)
        raise
    for baked in drop:
        baked.file.delete(save=False)
    raced_awards = {b.award_id for b in drop}
    for award in todo:
        if award.pk in raced_awards:
            bake_award(award)  # theirs is signed: bake whatever is still missing from it
    if failed:
        award, error = next(iter(failed.items()))
        raise BakingError(
            f"{len(failed)} credential(s) could not be signed, first {award.recipient_email}: "
            f"{error}"
        ) from error
    return len(made) - len(raced_awards)


class BakingError(RuntimeError):
    """Some awards of a batch could not be signed; the rest were saved."""


def bake_unsaved(award: Award) -> list[BakedImage]:
    """All four baked images of ``award`` as it is in memory (signed), their files written and
    their rows not saved: the caller saves them in its own transaction, or deletes the files."""
    return _bake_missing(award, set(), {award.badge_class_id: base_images(award.badge_class)})


def _bake_missing(award: Award, present: set[str], images: dict) -> list[BakedImage]:
    made = []
    for fmt in Format.values:
        if fmt in present:
            continue
        made.append(_new_baked(award, fmt, bake_one(award, fmt, images[award.badge_class_id])))
    return made


def _save_baked(
    todo: list[Award], made: dict[int, list[BakedImage]], signed_here: set[int]
) -> list[BakedImage]:
    """Save proofs and image rows in one transaction; returns our images that lost a race."""
    with transaction.atomic():
        locked = Award.objects.select_for_update().filter(pk__in=list(made)).order_by("pk")
        now_signed = {pk for pk, at in locked.values_list("pk", "signed_at") if at is not None}
        taken = set(BakedImage.objects.filter(award__in=list(made)).values_list("award", "format"))
        keep, drop = [], []
        for award_pk, images_made in made.items():
            raced = award_pk in signed_here and award_pk in now_signed
            for baked in images_made:
                (drop if raced or (award_pk, baked.format) in taken else keep).append(baked)
        now = timezone.now()
        fresh = [a for a in todo if a.pk in signed_here and a.pk not in now_signed]
        for award in fresh:
            award.signed_at = now
        Award.objects.bulk_update(fresh, [*SIGNED_FIELDS, "signed_at"])
        BakedImage.objects.bulk_create(keep)
    return drop


def baked_image(award: Award, fmt: str) -> BakedImage:
    """The stored baked image in ``fmt``, baking it now if the task has not yet."""
    if fmt not in Format.values:
        raise ValueError(f"unknown format {fmt!r}")
    found = BakedImage.objects.filter(award=award, format=fmt).first()
    if found is not None:
        return found
    award = sign_award(award)
    return _store(award, fmt, bake_one(award, fmt))


def rebake(award: Award) -> dict[str, BakedImage]:
    """Throw away and bake again (after a badge image change, or a damaged file)."""
    for baked in BakedImage.objects.filter(award=award):
        baked.file.delete(save=False)
        baked.delete()
    return bake_award(award)
