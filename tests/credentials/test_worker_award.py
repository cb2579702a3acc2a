"""The award → sign path through a REAL Celery worker process and redis-server.

The worker and the awarding process share a file-based SQLite database and a media folder
made for this test (the test's own in-memory database is not visible to another process).
"""

import sqlite3
import subprocess
import sys
import time

import pytest

from tests.support.worker import ROOT, SEED_BADGE, celery_worker

AWARD_SCRIPT = (
    SEED_BADGE
    + """
from django.db import transaction
from credentials import services
with transaction.atomic():
    award = services.award(badge, "lena@example.org")
print(award.pk)
"""
)


@pytest.fixture
def shared(redis_proc, tmp_path):
    media = tmp_path / "media"
    with celery_worker(
        redis_proc,
        tmp_path,
        MEDIA_ROOT=str(media),
        SITE_URL="http://testserver",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ) as env:
        yield env, tmp_path / "shared.sqlite3", media, tmp_path / "worker.log"


@pytest.mark.worker
def test_a_real_worker_signs_an_award_after_commit(shared):
    env, database, media, log_path = shared
    made = subprocess.run(
        [sys.executable, "-c", AWARD_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    award_pk = int(made.stdout.strip().splitlines()[-1])
    # The awarding process did not sign: only the worker can have done it.
    deadline = time.monotonic() + 90
    signed = (None, "")
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            signed = connection.execute(
                "SELECT signed_at, ob3_jwt FROM credentials_award WHERE id = ?", (award_pk,)
            ).fetchone()
        if signed[0] is not None:
            break
        time.sleep(0.25)
    assert signed[0] is not None and signed[1].count(".") == 2, log_path.read_text()[-3000:]
    assert not (media / "baked").exists()  # images are baked on download, not stored
    assert "credentials.bake_award" in log_path.read_text()
