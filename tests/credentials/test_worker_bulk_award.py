"""A bulk award run by a REAL Celery worker with two processes, sharing one SQLite file.

Chunks run in parallel; every row is awarded once, the status-list positions stay unique,
every award is signed, and the job reports done.
"""

import sqlite3
import subprocess
import sys
import time

import pytest

from tests.support.worker import ROOT, SEED_BADGE, celery_worker

START_SCRIPT = (
    SEED_BADGE
    + """
from django.contrib.auth import get_user_model
from credentials.services import bulk
staff = get_user_model().objects.create_user(email="staff@uni.example", password="x")
issuer.staff.add(staff)
csv = "email\\n" + "".join(f"p{n}@example.org\\n" for n in range(8))
rows, problems = bulk.check_csv(badge, csv.encode())
job = bulk.create_job(badge, rows, staff, "people.csv")
job.chunk_size = 3
job.save()
bulk.start(job, staff)
print(job.pk)
"""
)


@pytest.mark.worker
def test_two_worker_processes_share_a_bulk_award(redis_proc, tmp_path):
    media = tmp_path / "media"
    database = tmp_path / "shared.sqlite3"
    with celery_worker(
        redis_proc,
        tmp_path,
        concurrency=2,
        MEDIA_ROOT=str(media),
        SITE_URL="http://testserver",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ) as env:
        made = subprocess.run(
            [sys.executable, "-c", START_SCRIPT],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr[-3000:]
        job_pk = int(made.stdout.strip().splitlines()[-1])
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline:
            with sqlite3.connect(database) as connection:
                (status,) = connection.execute(
                    "SELECT status FROM credentials_bulkaward WHERE id = ?", (job_pk,)
                ).fetchone()
            if status in ("done", "failed"):
                break
            time.sleep(0.25)
    log = (tmp_path / "worker.log").read_text()
    assert status == "done", log[-3000:]
    with sqlite3.connect(database) as connection:
        awards = connection.execute(
            "SELECT status_index, signed_at, notified_at FROM credentials_award "
            "WHERE bulk_award_id = ?",
            (job_pk,),
        ).fetchall()
        chunks = connection.execute(
            "SELECT COUNT(*) FROM credentials_bulkawardchunk WHERE job_id = ?", (job_pk,)
        ).fetchone()[0]
    assert len({index for index, _, _ in awards}) == 8  # distinct positions in the issuer's list
    assert all(signed for _, signed, _ in awards)
    assert all(notified for _, _, notified in awards)  # each chunk e-mailed its own
    assert chunks == 3
