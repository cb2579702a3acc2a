"""A worker killed (SIGKILL) in the middle of a bulk award: the rest finishes on resume, with
every row awarded exactly once, and the job says done.

The chunk task is acknowledged late and rejected when its worker is lost, so the message of
the chunk that was running stays in Redis (unacknowledged, redelivered after the broker's
visibility timeout, an hour). The beat sweep ``resume_stalled_bulk_awards`` does not wait that
long: it queues a stalled job's missing chunks again; a chunk delivered twice awards nobody
twice (idempotency keys ``bulk:<job>:<line>``).
"""

import os
import signal

import pytest
import redis

from cms.celery import app
from credentials import tasks
from tests.support.worker import SEED_BADGE
from tests.support.worker_control import (
    broker_url,
    migrated_copy,
    query,
    run_script,
    start_worker,
    stop_worker,
    wait_for,
    worker_env,
)

ROWS, CHUNK = 24, 2
START = (
    SEED_BADGE
    + f"""
from django.contrib.auth import get_user_model
from credentials.services import bulk
staff = get_user_model().objects.create_user(email="staff@uni.example", password="x")
issuer.staff.add(staff)
csv = "email\\n" + "".join(f"p{{n}}@example.org\\n" for n in range({ROWS}))
rows, problems = bulk.check_csv(badge, csv.encode())
job = bulk.create_job(badge, rows, staff, "people.csv")
job.chunk_size = {CHUNK}
job.save()
bulk.start(job, staff)
print(job.pk)
"""
)
RESUME = """
import django
django.setup()
from django.utils import timezone
from credentials.services import bulk
print(bulk.resume_stalled(now=timezone.now() + bulk.STALLED_AFTER * 2))
"""


def test_the_chunk_task_is_acknowledged_late_and_rejected_when_its_worker_is_lost():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert tasks.run_bulk_award_chunk.acks_late
    assert app.conf.worker_prefetch_multiplier == 1


@pytest.mark.worker
def test_a_bulk_award_whose_worker_is_killed_finishes_on_resume_without_duplicates(
    redis_proc, tmp_path, faults_migrated_template
):
    database = migrated_copy(faults_migrated_template, tmp_path / "shared.sqlite3")
    env = worker_env(
        broker_url(redis_proc), database, MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )  # fmt: skip
    log = tmp_path / "worker.log"
    chunks = ROWS // CHUNK
    count = "SELECT COUNT(*) FROM credentials_bulkawardchunk WHERE job_id = ?"
    # The first worker runs two chunks, then holds the third before it starts: killed there,
    # that chunk's message is reserved and unacknowledged, whatever the machine's load.
    holding = tmp_path / "hold"
    holding.mkdir()
    (holding / "hold").touch()
    hold = {"HOLD_DIR": holding, "HOLD_TASK": tasks.run_bulk_award_chunk.name, "HOLD_FROM": 2}
    first = start_worker(env, log, hold=hold)
    try:
        job = int(run_script(env, START))
        third = holding / "started-2"
        assert wait_for(third.exists, 180, 0.1), log.read_text()[-3000:]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        stop_worker(first)
    (holding / "hold").unlink()
    done_before = query(database, count, job)[0][0]
    assert done_before == 2, "two chunks were done when the worker was killed"
    # The chunk that was running is not lost: its message waits, unacknowledged, in Redis.
    assert redis.Redis(host=redis_proc.host, port=redis_proc.port).hlen("unacked") >= 1

    second = start_worker(env, log)
    try:
        resumed = run_script(env, RESUME)
        assert resumed == f"[{job}]"
        status = "SELECT status FROM credentials_bulkaward WHERE id = ?"
        assert wait_for(lambda: query(database, status, job)[0][0] == "done", 90, 0.2), (
            query(database, status, job),
            log.read_text()[-3000:],
        )
    finally:
        stop_worker(second)

    awards = query(
        database,
        "SELECT recipient_email, signed_at FROM credentials_award WHERE bulk_award_id = ?",
        job,
    )
    assert len(awards) == ROWS
    assert len({email for email, _ in awards}) == ROWS  # nobody twice
    assert all(signed for _, signed in awards)
    assert query(database, count, job)[0][0] == chunks


def test_the_beat_sweep_resumes_a_stalled_job_once_and_leaves_a_live_one(
    faults_badge, faults_staff, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from credentials.models import Award, BulkAward, BulkAwardChunk
    from credentials.services import bulk

    csv = "email\n" + "".join(f"p{n}@example.org\n" for n in range(4))
    rows, _problems = bulk.check_csv(faults_badge, csv.encode())
    lost = timezone.now() - bulk.STALLED_AFTER - timedelta(minutes=1)
    stalled = bulk.create_job(faults_badge, rows, faults_staff, "a.csv")
    live = bulk.create_job(faults_badge, rows[:2], faults_staff, "b.csv")
    BulkAward.objects.filter(pk=stalled.pk).update(
        chunk_size=2, status=BulkAward.Status.RUNNING, started_by=faults_staff, started_at=lost
    )
    BulkAward.objects.filter(pk=live.pk).update(
        status=BulkAward.Status.RUNNING, started_by=faults_staff, started_at=timezone.now()
    )
    BulkAwardChunk.objects.create(job=stalled, index=0, rows=2)  # its worker died after this
    BulkAwardChunk.objects.filter(job=stalled).update(finished_at=lost)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_stalled_bulk_awards() == 1  # runs the missing chunk (eager here)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_stalled_bulk_awards() == 0
    stalled.refresh_from_db()
    live.refresh_from_db()
    assert stalled.status == BulkAward.Status.DONE
    assert Award.objects.filter(bulk_award=stalled).count() == 2  # chunk 1's rows, once
    assert live.status == BulkAward.Status.RUNNING and not live.chunks.exists()
