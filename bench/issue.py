"""Bulk issuance: award, sign (eddsa-rdfc-2022 proof + RS256 JWS) and e-mail 2,000 credentials.

Measures, side by side in one run:
  bulk    a checked CSV of 2,000 recipients run as a bulk award (credentials.services.bulk):
          chunks of 250 awarded in one transaction each, every award signed (OB 3.0 Data
          Integrity proof, OB 3.0 VC-JWT, OB 2.0 signed assertion; one UPDATE per chunk) and
          e-mailed at the end of its chunk — the Celery tasks run eagerly in this one process;
  workers the same bulk award for 2,000 other recipients with its chunk tasks shared by as many
          forked worker processes as the machine has cores (what a prefork Celery worker does,
          without the broker);
  single  credentials.services.award() one at a time for 200 more recipients (the path of a
          course completion: one transaction, then the per-award signing task), for comparison;
  floor   for each of the same credentials, with no framework: one Ed25519 signature and one
          RS256 signature over its JSON, and one PNG iTXt chunk written into the badge image;
  stack   the production stack on loopback (bench/stack.py: PostgreSQL, Redis, gunicorn and a
          Celery prefork worker of 2 processes): a bulk award of 2,000 queued through Redis,
          from ``bulk.start`` to the job's ``finished_at`` (a 20-row job warms the workers first),
          and to the last award signed and the last e-mail sent.
Prints credentials per second for each, and:
  storage  rows and bytes stored per award: the award's row (what it stores now) against the
           award's row plus the four baked files and four ``BakedImage`` rows stored until
           migration 0018 (the files' bytes measured by baking them as that code did; on the
           stack, the rows' bytes measured by filling a table of BakedImage's shape, with its
           indexes, four rows per award);
  e-mail   the time from the last award of a job to its last e-mail (``notified_at``).

BENCH_AWARDS sets the count (default 2,000); BENCH_STACK=0 leaves the production stack out.
Run: make bench   (or DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python bench/issue.py)
"""

import json
import logging
import multiprocessing
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path
from unittest import mock

COUNT = int(os.environ.get("BENCH_AWARDS", "2000"))
STACK = os.environ.get("BENCH_STACK", "1") != "0"
ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="bench-issue-"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")

import django  # noqa: E402
import django.db  # noqa: E402

django.setup()
logging.disable(logging.INFO)  # one line per e-mail sent would drown the table

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.DATABASES["default"]["NAME"] = str(WORK / "bench.sqlite3")
settings.MEDIA_ROOT = str(WORK / "media")
# The settings open SQLite in WAL mode with synchronous=NORMAL, as a SQLite deployment runs.
call_command("migrate", verbosity=0)

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Max  # noqa: E402

from credentials import services, tasks  # noqa: E402
from credentials.issuing import baking, keystore, openbadges3  # noqa: E402
from credentials.models import Award, BadgeClass, Issuer  # noqa: E402
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


def email_lag(job) -> float:
    """Seconds from the job's last award to its last e-mail."""
    times = job.awards.aggregate(award=Max("created_at"), mail=Max("notified_at"))
    return (times["mail"] - times["award"]).total_seconds()


def issue(badge: BadgeClass) -> tuple[float, float]:
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
    assert job.awards.filter(notified_at__isnull=False).count() == COUNT, "not all e-mailed"
    return elapsed, email_lag(job)


def _run_chunk(args: tuple[int, int]) -> int:
    django.db.connections.close_all()
    job = bulk.BulkAward.objects.get(pk=args[0])
    return bulk.run_chunk(job, args[1])


def in_workers(badge: BadgeClass) -> tuple[float, int, float]:
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
    return elapsed, workers, email_lag(job)


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


def baked_files(badge: BadgeClass, sample: int = 200) -> tuple[float, float]:
    """Bytes of the four files an award stored until 0018 (baked as that code baked them), and
    milliseconds to bake the four now, on download: averages over ``sample`` awards."""
    awards = list(Award.objects.filter(badge_class=badge).select_related("badge_class__issuer"))
    awards = awards[:sample]
    start = time.perf_counter()
    total = sum(len(b.data) for a in awards for b in baking.baked_images(a).values())
    elapsed = time.perf_counter() - start
    return total / len(awards), 1000 * elapsed / len(awards)


def award_row_bytes_sqlite() -> float:
    """The stored size of an award's row here (SQLite): its columns' lengths, on average."""
    from django.db import connection

    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(
            cursor, "credentials_award")]  # fmt: skip
        lengths = " + ".join(f'COALESCE(LENGTH("{name}"), 0)' for name in columns)
        cursor.execute(f"SELECT AVG({lengths}) FROM credentials_award")  # noqa: S608
        return float(cursor.fetchone()[0])


STACK_SCRIPT = """
import json, time
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Max
from credentials.issuing import keystore
from credentials.models import Award, BadgeClass, BulkAward, Issuer
from credentials.services import bulk

issuer = Issuer.objects.create(slug="bench-bulk", name="Bench University", kind="university",
    url="https://bench.example", email="info@bench.example", country="NL")
keystore.ensure_keys(issuer)
badge = BadgeClass.objects.create(issuer=issuer, slug="bench-bulk", name="Opportunity Spotter",
    description="Spots them.", criteria_narrative="Pass the course.",
    status=BadgeClass.Status.PUBLISHED, is_micro_credential=True, learning_outcomes="One\\nTwo",
    workload_hours=25, ects_credits=1, assessment_type="Quiz", participation_form="online",
    quality_assurance="Internal")
staff = get_user_model().objects.create_user(email="bulk-staff@bench.example", password="x")
issuer.staff.add(staff)

def run(prefix, count):
    text = "email,name,evidence_narrative\\n" + "".join(
        f"{prefix}{n}@example.org,Learner {n},Passed the final pitch\\n" for n in range(count))
    rows, problems = bulk.check_csv(badge, text.encode())
    assert not problems, problems[:3]
    job = bulk.create_job(badge, rows, staff, prefix + ".csv")
    job = bulk.start(job, staff)
    while True:
        job.refresh_from_db()
        if job.status in (BulkAward.Status.DONE, BulkAward.Status.FAILED):
            break
        time.sleep(0.05)
    assert job.status == BulkAward.Status.DONE, job.error
    for _ in range(1200):  # e-mails still queued behind the job: wait for them (2 minutes)
        if not job.awards.filter(notified_at=None).exists():
            break
        time.sleep(0.1)
    times = job.awards.aggregate(award=Max("created_at"), mail=Max("notified_at"))
    sent = job.awards.filter(notified_at__isnull=False).count()
    signed = job.awards.aggregate(last=Max("signed_at"))["last"]
    return {
        "seconds": (job.finished_at - job.started_at).total_seconds(),
        "signed_seconds": (signed - job.started_at).total_seconds(),
        "mailed_seconds": (times["mail"] - job.started_at).total_seconds(),
        "email_lag": (times["mail"] - times["award"]).total_seconds(),
        "emailed": sent,
    }

run("warm", 20)
result = run("stack", COUNT)
awards = Award.objects.count()
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE credentials_award")
    cursor.execute("SELECT pg_total_relation_size('credentials_award')")
    (size,) = cursor.fetchone()
    # The BakedImage table as migration 0005 made it (dropped by 0018), four rows per award.
    cursor.execute(
        "CREATE TABLE bench_bakedimage (id bigserial PRIMARY KEY, format varchar(4) NOT NULL, "
        "file varchar(100) NOT NULL, sha256 varchar(64) NOT NULL, "
        "created_at timestamptz NOT NULL, award_id bigint NOT NULL "
        "REFERENCES credentials_award (id), UNIQUE (award_id, format))")
    cursor.execute("CREATE INDEX ON bench_bakedimage (award_id)")
    cursor.execute(
        "INSERT INTO bench_bakedimage (format, file, sha256, created_at, award_id) "
        "SELECT f, 'baked/' || a.public_id || '-' || f || '.' || left(f, 3), "
        "encode(sha256(a.public_id::text::bytea || f::bytea), 'hex'), now(), a.id "
        "FROM credentials_award a CROSS JOIN (VALUES ('png2'), ('svg2'), ('png3'), ('svg3')) "
        "AS formats (f)")
    cursor.execute("VACUUM ANALYZE bench_bakedimage")
    cursor.execute("SELECT pg_total_relation_size('bench_bakedimage')")
    (baked_rows,) = cursor.fetchone()
    cursor.execute("DROP TABLE bench_bakedimage")
result["award_bytes"] = size / awards
result["baked_row_bytes"] = baked_rows / (4 * awards)
result["awards"] = awards
print("BENCH-STACK " + json.dumps(result))
"""


def on_stack(count: int) -> dict | None:
    """The bulk award on the production stack (PostgreSQL, Redis, a 2-process Celery worker)."""
    try:
        from bench.stack import ProductionStack
    except ImportError as error:
        print(f"  (production stack unavailable: {error})")
        return None
    with ProductionStack(web_workers=1, worker_concurrency=2) as stack:
        out = stack.python(STACK_SCRIPT.replace("COUNT", str(count)), timeout=1800)
    line = next(x for x in out.splitlines() if x.startswith("BENCH-STACK "))
    return json.loads(line.removeprefix("BENCH-STACK "))


def main() -> None:
    badge = setup()
    keystore.ensure_keys(badge.issuer)
    issued, bulk_lag = issue(badge)
    assert Award.objects.filter(signed_at__isnull=False).count() == COUNT, "not all signed"
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert not stored, f"{len(stored)} files stored for {COUNT} awards"
    files, bake_ms = baked_files(badge)
    row = award_row_bytes_sqlite()
    raw = floor(badge)
    parallel, workers, workers_lag = in_workers(badge)
    one_by_one = single(badge, SINGLE)
    stack = on_stack(COUNT) if STACK else None
    rate, raw_rate, single_rate = COUNT / issued, COUNT / raw, SINGLE / one_by_one
    parallel_rate = COUNT / parallel
    print(f"{COUNT} credentials awarded, signed (DI + 2 JWS) and e-mailed; images bake on download")
    print(f"  bulk    {issued:7.2f} s  {rate:8.1f} credentials/s  (one process)")
    print(f"  workers {parallel:7.2f} s  {parallel_rate:8.1f} credentials/s  ({workers} processes)")
    if stack:
        stack_rate = COUNT / stack["seconds"]
        print(f"  stack   {stack['seconds']:7.2f} s  {stack_rate:8.1f} credentials/s  "
              "(PostgreSQL + Redis + Celery prefork, 2 processes; goal ≥ 500)")  # fmt: skip
        signed, mailed = stack["signed_seconds"], stack["mailed_seconds"]
        print(f"          all signed after {signed:.2f} s ({COUNT / signed:.1f}/s), "
              f"all e-mailed after {mailed:.2f} s ({COUNT / mailed:.1f}/s)")  # fmt: skip
    print(f"  single  {one_by_one:7.2f} s  {single_rate:8.1f} credentials/s  ({SINGLE} one by one)")
    print(f"  floor   {raw:7.2f} s  {raw_rate:8.1f} credentials/s  (Ed25519 + RS256 + PNG chunk)")
    print(f"  ratio   {issued / raw:7.1f}x the raw floor (bulk)")
    print(f"  10,000 awards: {10_000 / rate:.0f} s in one worker process, "
          f"{10_000 / parallel_rate:.0f} s in {workers} (goal: under 60 s)")  # fmt: skip
    print("last award to last e-mail (goal: within 5 s):")
    print(f"  bulk {bulk_lag:.2f} s, workers {workers_lag:.2f} s" + (
        f", stack {stack['email_lag']:.2f} s ({stack['emailed']}/{COUNT} e-mailed)"
        if stack else ""))  # fmt: skip
    print("storage per award (goal: rows and bytes halved):")
    print(f"  SQLite      now 1 row, {row / 1024:5.1f} KB (the award's column bytes), no file; "
          f"before 5 rows, {(row + files) / 1024:5.1f} KB + 4 rows "
          f"(4 baked files: {files / 1024:.1f} KB)")  # fmt: skip
    if stack:
        now, baked_row = stack["award_bytes"], stack["baked_row_bytes"]
        before = now + files + 4 * baked_row
        print(f"  PostgreSQL  now 1 row, {now / 1024:5.1f} KB (pg_total_relation_size), no file; "
              f"before 5 rows, {before / 1024:5.1f} KB (4 files + 4 rows of "
              f"{baked_row:.0f} B) -> {before / now:.1f}x now")  # fmt: skip
    print(f"  baking on download: {bake_ms / 4:.2f} ms per image ({bake_ms:.2f} ms for all four)")


if __name__ == "__main__":
    main()
