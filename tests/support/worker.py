"""A real Celery worker process, with Django loaded, against a redis-server the tests started.

The worker and the test share a file-based SQLite database migrated for the test: the test's
own database is not visible to another process.
"""

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The start of a script run with ``python -c`` in the worker's environment: Django set up, and
# a published badge of a test university in ``badge``.
SEED_BADGE = """
import django
django.setup()
from credentials.models import BadgeClass, Issuer
issuer = Issuer.objects.create(slug="uni", name="Uni", kind="university", url="https://uni.example",
                               email="info@uni.example", country="NL")
badge = BadgeClass.objects.create(issuer=issuer, slug="spotter", name="Spotter",
                                  description="Spots", criteria_narrative="Do it",
                                  status=BadgeClass.Status.PUBLISHED)
"""


_TEMPLATE: list[Path] = []


def migrated_template() -> Path:
    """A SQLite file migrated once per test process (a migration takes some 40 s here); each
    worker test and fault test gets a copy of it."""
    if not _TEMPLATE:
        directory = Path(tempfile.mkdtemp(prefix="worker-db-"))
        atexit.register(shutil.rmtree, directory, True)
        template = directory / "template.sqlite3"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": f"sqlite:///{template}",
            "CELERY_BROKER_URL": "memory://localhost/",
        }
        env.pop("COCREATE_TEST_DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT, env=env, check=True, timeout=600,
        )  # fmt: skip
        _TEMPLATE.append(template)
    return _TEMPLATE[0]


@contextmanager
def celery_worker(
    redis_proc, tmp_path: Path, concurrency: int = 1, **extra_env: str
) -> Iterator[dict]:
    """Migrate a shared database, start a worker, yield the environment both sides use.

    ``concurrency`` above 1 starts a prefork pool of that many processes (as in production).
    """
    pool = ["--pool=solo"] if concurrency == 1 else ["--pool=prefork", f"-c{concurrency}"]
    url = f"redis://{redis_proc.host}:{redis_proc.port}/0"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "CELERY_BROKER_URL": url,
        "CELERY_RESULT_BACKEND": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra_env,
    }
    env.pop("COCREATE_TEST_DATABASE_URL", None)
    shutil.copyfile(migrated_template(), tmp_path / "shared.sqlite3")
    with (tmp_path / "worker.log").open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                *pool,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield env
        finally:
            worker.terminate()
            worker.wait(timeout=30)
