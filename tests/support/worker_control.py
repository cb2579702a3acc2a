"""Control over a real Celery worker for the fault tests: start it, kill it, start another.

``tests/support/worker.py``'s ``celery_worker`` runs one worker for a test's whole body; a fault
test needs the process itself (to SIGKILL it mid-task, then start a fresh one) and scripts run
in the awarding process with a different broker (a closed port: Redis down). The database is a
SQLite file both sides share, migrated once per test session and copied for each test.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.worker import ROOT, migrated_template


def broker_url(redis_proc) -> str:
    return f"redis://{redis_proc.host}:{redis_proc.port}/0"


def worker_env(broker: str, database: Path, **extra: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SITE_URL": "http://testserver",
        **extra,
    }
    env.pop("COCREATE_TEST_DATABASE_URL", None)
    return env


def migrated_copy(template: Path, database: Path) -> Path:
    """A copy, at ``database``, of the database migrated once per test process (shared with
    the worker tests: tests/support/worker.py's ``migrated_template``). ``template`` is kept
    for the callers' signature; the one migrated file serves them all."""
    shutil.copyfile(migrated_template(), database)
    return database


WORKER_ARGS = ["worker", "--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=INFO"]

# A worker that holds a task where a test wants it: before running the task named
# ``$HOLD_TASK``, it leaves ``started-<n>`` in ``$HOLD_DIR`` (n counts that task's runs) and,
# from the ``$HOLD_FROM``-th run on, waits while ``$HOLD_DIR/hold`` exists. The task's message
# is then reserved and unacknowledged, so a test can kill the worker at exactly that point
# instead of racing it.
HOLDING_WORKER = """
import os, sys, time
from pathlib import Path
from celery.signals import task_prerun

hold, name = Path(os.environ["HOLD_DIR"]), os.environ["HOLD_TASK"]
first = int(os.environ["HOLD_FROM"])

@task_prerun.connect(weak=False)
def _hold(task=None, **_):
    if task is None or task.name != name:
        return
    n = len(list(hold.glob("started-*")))
    (hold / f"started-{n}").touch()
    while n >= first and (hold / "hold").exists():
        time.sleep(0.02)

from celery.__main__ import main
sys.argv = ["celery", "-A", "cms", *sys.argv[1:]]
main()
"""


def start_worker(env: dict, log: Path, hold: dict | None = None) -> subprocess.Popen:
    """A solo-pool worker (one task at a time, as a killed process leaves it).

    ``hold`` (``{"HOLD_DIR": ..., "HOLD_TASK": ..., "HOLD_FROM": ...}``) starts the holding
    worker described above."""
    command = [sys.executable, "-m", "celery", "-A", "cms", *WORKER_ARGS]
    if hold:
        env = {**env, **{key: str(value) for key, value in hold.items()}}
        command = [sys.executable, "-c", HOLDING_WORKER, *WORKER_ARGS]
    with log.open("a") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )  # fmt: skip


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def run_script(env: dict, script: str) -> str:
    """Run ``script`` with ``python -c`` in ``env``; its last line of output."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def query(database: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(sql, params).fetchall()


def wait_for(check: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()
