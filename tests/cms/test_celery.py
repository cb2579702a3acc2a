import uuid

import pytest
from celery import Celery

from cms.tasks import ping
from tests.support.worker import celery_worker


@pytest.mark.django_db
def test_ping_task_runs_in_process_when_eager(learner):
    result = ping.delay("abc").get()
    assert result["nonce"] == "abc"
    assert result["users"] == 1


@pytest.fixture
def worker(redis_proc, tmp_path):
    """A real Celery worker process, with Django loaded, against a real redis-server."""
    with celery_worker(redis_proc, tmp_path) as env:
        yield env["CELERY_BROKER_URL"]


@pytest.mark.worker
def test_a_real_worker_runs_the_proof_task(worker):
    client = Celery("probe", broker=worker, backend=worker)
    nonce = uuid.uuid4().hex
    result = client.send_task("cms.ping", args=[nonce]).get(timeout=90)
    assert result["nonce"] == nonce
    assert result["users"] == 0
