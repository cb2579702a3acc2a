"""Bulk issuance: award, sign (eddsa-rdfc-2022 proof + RS256 JWS) and bake 2,000 credentials.

Measures, side by side in one run:
  bulk    a checked CSV of 2,000 recipients run as a bulk award (credentials.services.bulk):
          chunks of 250 awarded in one transaction each, every award signed (OB 3.0 Data
          Integrity proof,
          OB 3.0 VC-JWT, OB 2.0 signed assertion) and baked (PNG + SVG for OB 2.0 and 3.0,
          stored), and its e-mail sent — the Celery tasks run eagerly in this one process;
  workers the same bulk award for 2,000 other recipients with its chunk tasks shared by as many
          forked worker processes as the machine has cores (what a prefork Celery worker does,
          without the broker);
  single  credentials.services.award() one at a time for 200 more recipients (the path of a
          course completion: one transaction, then the per-award bake task), for comparison;
  floor   for each of the same credentials, with no framework: one Ed25519 signature and one
          RS256 signature over its JSON, and one PNG iTXt chunk written into the badge image.
Prints credentials per second for both and the ratio.

Run: make bench   (or DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python bench/issue.py)
"""

import multiprocessing
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path
from unittest import mock

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
# The settings open SQLite in WAL mode with synchronous=NORMAL, as a SQLite deployment runs.
call_command("migrate", verbosity=0)

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from credentials import services, tasks  # noqa: E402
from credentials.issuing import baking, keystore, openbadges3  # noqa: E402
from credentials.models import Award, BadgeClass, BakedImage, Issuer  # noqa: E402
from credentials.services import bulk  # noqa: E402
from credentials.standards import jsonld  # noqa: E402

SINGLE = max(COUNT // 10, 1)


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
    staff = get_user_model().objects.create_user(email="staff@bench.example", password="x")
    badge.issuer.staff.add(staff)
    csv_file = "email,name,evidence_narrative\n" + "".join(
        f"learner{n}@example.org,Learner {n},Passed the final pitch\n" for n in range(COUNT)
    )
    start = time.perf_counter()
    rows, problems = bulk.check_csv(badge, csv_file.encode())
    assert not problems, problems[:3]
    job = bulk.start(bulk.create_job(badge, rows, staff, "bench.csv"), staff)
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    assert job.status == job.Status.DONE, job.status
    return elapsed


def _run_chunk(args: tuple[int, int]) -> int:
    django.db.connections.close_all()
    job = bulk.BulkAward.objects.get(pk=args[0])
    return bulk.run_chunk(job, args[1])


def in_workers(badge: BadgeClass) -> tuple[float, int]:
    """The bulk award's chunks run by WORKERS forked processes (a prefork Celery worker)."""
    workers = os.cpu_count() or 1
    staff = get_user_model().objects.get(email="staff@bench.example")
    csv_file = "email\n" + "".join(f"worker{n}@example.org\n" for n in range(COUNT))
    start = time.perf_counter()
    rows, _problems = bulk.check_csv(badge, csv_file.encode())
    job = bulk.create_job(badge, rows, staff, "workers.csv")
    with mock.patch.object(tasks.run_bulk_award_chunk, "delay"):  # the pool runs them instead
        bulk.start(job, staff)
    django.db.connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_run_chunk, [(job.pk, index) for index in range(job.chunk_count)], chunksize=1)
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    assert job.status == job.Status.DONE, job.status
    assert job.awards.filter(signed_at__isnull=False).count() == COUNT
    return elapsed, workers


def single(badge: BadgeClass, count: int) -> float:
    start = time.perf_counter()
    for number in range(count):
        services.award(badge, f"single{number}@example.org")
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
    parallel, workers = in_workers(badge)
    one_by_one = single(badge, SINGLE)
    rate, raw_rate, single_rate = COUNT / issued, COUNT / raw, SINGLE / one_by_one
    parallel_rate = COUNT / parallel
    print(f"{COUNT} credentials awarded, signed (DI + 2 JWS) and baked (4 images each)")
    print(f"  bulk    {issued:7.2f} s  {rate:8.1f} credentials/s  (one process)")
    print(f"  workers {parallel:7.2f} s  {parallel_rate:8.1f} credentials/s  ({workers} processes)")
    print(f"  single  {one_by_one:7.2f} s  {single_rate:8.1f} credentials/s  ({SINGLE} one by one)")
    print(f"  floor   {raw:7.2f} s  {raw_rate:8.1f} credentials/s  (Ed25519 + RS256 + PNG chunk)")
    print(f"  ratio   {issued / raw:7.1f}x the raw floor (bulk)")
    print(f"  10,000 awards: {10_000 / rate:.0f} s in one worker process, "
          f"{10_000 / parallel_rate:.0f} s in {workers} (goal: under 60 s)")  # fmt: skip


if __name__ == "__main__":
    main()
