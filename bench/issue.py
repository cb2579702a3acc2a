"""Bulk issuance: award, sign (eddsa-rdfc-2022 proof + RS256 JWS) and bake 2,000 credentials.

Measures, side by side in one run:
  issue   credentials.services.award() for 2,000 recipients; on commit each award is signed
          (OB 3.0 Data Integrity proof, OB 3.0 VC-JWT, OB 2.0 signed assertion) and baked
          (PNG + SVG for OB 2.0 and 3.0, stored) by the Celery task, eager here — the whole
          path a bulk CSV award takes, database writes and files included;
  floor   for each of the same credentials, with no framework: one Ed25519 signature and one
          RS256 signature over its JSON, and one PNG iTXt chunk written into the badge image.
Prints credentials per second for both and the ratio.

Run: make bench   (or DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python bench/issue.py)
"""

import os
import sys
import tempfile
import time
import zlib
from pathlib import Path

COUNT = int(os.environ.get("BENCH_AWARDS", "2000"))
ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="bench-issue-"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")

import django  # noqa: E402
import django.db  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.DATABASES["default"]["NAME"] = str(WORK / "bench.sqlite3")
settings.MEDIA_ROOT = str(WORK / "media")
call_command("migrate", verbosity=0)
# One fsync per commit costs ~20 ms on this kind of disk and would measure the disk, not the
# code: WAL with synchronous=NORMAL (durable at checkpoints), as a SQLite deployment would run.
with django.db.connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402

from credentials import baking, jsonld, keystore, openbadges3, services  # noqa: E402
from credentials.models import Award, BadgeClass, BakedImage, Issuer  # noqa: E402


def setup() -> BadgeClass:
    issuer = Issuer.objects.create(
        slug="bench", name="Bench University", kind="university", url="https://bench.example",
        email="info@bench.example", country="NL",
    )  # fmt: skip
    return BadgeClass.objects.create(
        issuer=issuer, slug="bench", name="Opportunity Spotter", description="Spots them.",
        criteria_narrative="Pass the course.", status=BadgeClass.Status.PUBLISHED,
        is_micro_credential=True, learning_outcomes="One\nTwo", workload_hours=25,
        ects_credits=1, assessment_type="Quiz", participation_form="online",
        quality_assurance="Internal",
    )  # fmt: skip


def issue(badge: BadgeClass) -> float:
    jsonld.default_store.warm_up(openbadges3.credential_context())
    start = time.perf_counter()
    for number in range(COUNT):
        services.award(badge, f"learner{number}@example.org")
    return time.perf_counter() - start


def png_chunk(png: bytes, keyword: bytes, text: bytes) -> bytes:
    data = keyword + b"\x00\x00\x00\x00\x00" + text
    chunk = len(data).to_bytes(4, "big") + b"iTXt" + data
    chunk += zlib.crc32(b"iTXt" + data).to_bytes(4, "big")
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunk + png[end:]


def floor(badge: BadgeClass) -> float:
    import json

    ed = keystore.private_key(keystore.active_key(badge.issuer, "Ed25519"))
    rsa = keystore.private_key(keystore.active_key(badge.issuer, "RS256"))
    payloads = [
        json.dumps(award.ob3_credential).encode()
        for award in Award.objects.filter(badge_class=badge).only("ob3_credential")
    ]
    image = baking.base_images(badge)["png"]
    start = time.perf_counter()
    for payload in payloads:
        ed.sign(payload)
        rsa.sign(payload, padding.PKCS1v15(), hashes.SHA256())
        png_chunk(image, b"openbadgecredential", payload)
    return time.perf_counter() - start


def main() -> None:
    badge = setup()
    keystore.ensure_keys(badge.issuer)
    issued = issue(badge)
    baked = BakedImage.objects.filter(award__badge_class=badge).count()
    assert Award.objects.filter(signed_at__isnull=False).count() == COUNT, "not all signed"
    assert baked == 4 * COUNT, f"{baked} baked images, expected {4 * COUNT}"
    raw = floor(badge)
    rate, raw_rate = COUNT / issued, COUNT / raw
    print(f"{COUNT} credentials awarded, signed (DI + 2 JWS) and baked (4 images each)")
    print(f"  issue  {issued:7.2f} s  {rate:8.1f} credentials/s")
    print(f"  floor  {raw:7.2f} s  {raw_rate:8.1f} credentials/s  (Ed25519 + RS256 + PNG chunk)")
    print(f"  ratio  {issued / raw:7.1f}x the raw floor")
    print(f"  10,000 awards at this rate: {10_000 / rate:.0f} s (goal: under 60 s)")


if __name__ == "__main__":
    main()
