"""Redis down when an award is made: the award is stored and the person is told that signing
and the e-mail will run when the task queue is back (never a server error after a stored
award); once Redis is back, the beat sweeps sign, bake and e-mail it, exactly once.
"""

import socket

import pytest
import redis
from django.urls import reverse
from kombu.exceptions import OperationalError

from credentials import tasks
from credentials.models import Award
from tests.support.smtp import SMTPStub
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

try:  # issuer staff act after a second factor (when that lands: credentials/web/second_factor.py)
    from tests.credentials.second_factor_support import login_with_second_factor as staff_login
except ImportError:  # pragma: no cover

    def staff_login(client, user):
        client.force_login(user)


@pytest.fixture
def faults_redis_down(settings, monkeypatch):
    """A broker configured (not eager) that refuses connections, as kombu reports it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    def delay(*args, **kwargs):
        raise refused

    for task in (tasks.bake_award, tasks.send_award_emails_task):
        monkeypatch.setattr(task, "delay", delay)


@pytest.mark.django_db(transaction=True)  # callbacks run at commit, as in production
def test_an_award_made_while_redis_is_down_is_stored_and_the_person_is_told(
    client, faults_staff, faults_badge, faults_redis_down
):
    staff_login(client, faults_staff)
    url = reverse("credentials_manage:badge_award", args=["uni", "spotter"])
    response = client.post(url, {"email": "lena@example.org"}, follow=True)
    assert response.status_code == 200
    assert "Signing and the e-mail are queued and will run when the task queue is back" in (
        response.content.decode()
    )
    given = Award.objects.get(recipient_email="lena@example.org")
    assert given.signed_at is None and given.notified_at is None  # what the sweeps look for


def test_an_outsider_still_cannot_award_while_redis_is_down(
    client, faults_colleague_elsewhere, faults_badge, faults_redis_down
):
    staff_login(client, faults_colleague_elsewhere)
    url = reverse("credentials_manage:badge_award", args=["uni", "spotter"])
    assert client.post(url, {"email": "lena@example.org"}).status_code == 403
    assert not Award.objects.exists()


def test_the_sweep_finds_the_unsigned_award_and_not_the_signed_one(faults_badge):
    from datetime import timedelta

    from credentials import services
    from credentials.services import backlog

    unsigned = services.award(faults_badge, "lena@example.org")
    signed = services.award(faults_badge, "omar@example.org")
    tasks.bake_award(signed.pk)
    assert backlog.unsigned_award_pks(older_than=timedelta(0)) == [unsigned.pk]
    assert backlog.unsigned_award_pks() == []  # only awards older than UNSIGNED_AFTER


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


AWARD = (
    SEED_BADGE
    + """
from django.db import transaction
from credentials import services
from credentials.services import backlog
with backlog.watch() as not_queued:
    with transaction.atomic():
        award = services.award(badge, "lena@example.org")
print(award.pk, ",".join(not_queued))
"""
)
SWEEP = """
import django
django.setup()
from credentials import tasks
tasks.bake_overdue_awards.delay(older_than_seconds=0)
tasks.send_overdue_award_emails_task.delay(older_than_seconds=0)
"""


@pytest.mark.worker
def test_once_redis_is_back_the_sweeps_sign_and_email_the_award_exactly_once(
    redis_proc, tmp_path, faults_migrated_template
):
    database = migrated_copy(faults_migrated_template, tmp_path / "shared.sqlite3")
    with SMTPStub() as server:
        mail = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(server.port)}  # fmt: skip
        media = {"MEDIA_ROOT": str(tmp_path / "media")}
        down = worker_env(f"redis://127.0.0.1:{closed_port()}/0", database, **media, **mail)
        pk, not_queued = run_script(down, AWARD).split(" ")
        assert not_queued == "signing,e-mail"
        env = worker_env(broker_url(redis_proc), database, **media, **mail)
        log = tmp_path / "worker.log"
        worker = start_worker(env, log)
        try:
            signed = "SELECT COUNT(*) FROM credentials_award WHERE id = ? AND signed_at NOT NULL"
            run_script(env, SWEEP)
            assert wait_for(
                lambda: query(database, signed, pk)[0][0] == 1 and len(server.messages) == 1,
                90,
                0.2,
            ), log.read_text()[-3000:]
            run_script(env, SWEEP)  # the sweeps run again later: nothing more happens
            queue = redis.Redis(host=redis_proc.host, port=redis_proc.port)
            assert wait_for(lambda: queue.llen("celery") == 0 and queue.hlen("unacked") == 0, 60)
        finally:
            stop_worker(worker)
        (signed, notified) = query(
            database, "SELECT signed_at, notified_at FROM credentials_award WHERE id = ?", pk
        )[0]
        assert signed and notified
        assert not (tmp_path / "media" / "baked").exists()  # images bake on download
        assert len(server.messages) == 1 and "lena@example.org" in server.messages[0]


@pytest.mark.django_db(transaction=True)  # callbacks run at commit, as in production
def test_a_booking_made_while_redis_is_down_is_kept_and_its_invitation_sent_once_later(
    settings, monkeypatch, make_user
):
    from datetime import timedelta

    from django.core import mail

    from mentoring import services as mentoring_services
    from mentoring import tasks as mentoring_tasks
    from mentoring.models import MentorSession
    from tests.mentoring.conftest import NOW, at, make_mentor

    settings.CELERY_TASK_ALWAYS_EAGER = False
    real_delay = mentoring_tasks.send_invitation.delay

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(mentoring_tasks.send_invitation, "delay", refused)
    mentor = make_mentor("paul@helix.example")
    learner = make_user("lena@example.org", time_zone="Europe/Berlin")
    start = at(NOW.date() + timedelta(days=7), 10)
    session = mentoring_services.book(mentor, learner, start, idempotency_key="k", now=NOW)
    assert MentorSession.objects.filter(pk=session.pk).exists() and mail.outbox == []
    monkeypatch.setattr(mentoring_tasks.send_invitation, "delay", real_delay)  # Redis is back
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    assert mentoring_tasks.send_pending_invitations() == 1
    assert mentoring_tasks.send_pending_invitations() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["lena@example.org", "paul@helix.example"]
