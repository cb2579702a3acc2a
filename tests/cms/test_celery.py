import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery

from cms.tasks import ping

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_ping_task_runs_in_process_when_eager(learner):
    result = ping.delay("abc").get()
    assert result["nonce"] == "abc"
    assert result["users"] == 1


@pytest.fixture
def worker(redis_proc, tmp_path):
    """A real Celery worker process, with Django loaded, against a real redis-server."""
    url = f"redis://{redis_proc.host}:{redis_proc.port}/0"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "CELERY_BROKER_URL": url,
        "CELERY_RESULT_BACKEND": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    log = (tmp_path / "worker.log").open("w")  # noqa: SIM115 - closed after the worker stops
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield url
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.mark.worker
def test_a_real_worker_runs_the_proof_task(worker):
    client = Celery("probe", broker=worker, backend=worker)
    nonce = uuid.uuid4().hex
    result = client.send_task("cms.ping", args=[nonce]).get(timeout=90)
    assert result["nonce"] == nonce
    assert result["users"] == 0
