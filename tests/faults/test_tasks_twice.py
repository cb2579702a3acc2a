"""The same task delivered twice (a redelivery after a lost worker, a retry racing the first
run): every award- and booking-related task has exactly one effect.

The task functions are called directly, twice with the same arguments, and once re-entrantly:
the second delivery arrives while the first is still talking to the mail server.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from credentials import services as credentials_services
from credentials import tasks
from credentials.models import Award, BulkAward
from credentials.services import bulk
from mentoring import services as mentoring_services
from mentoring import tasks as mentoring_tasks
from mentoring.models import MentorSession, SessionReminder
from tests.mentoring.conftest import NOW, at, make_mentor


def test_signing_twice_keeps_the_first_proofs_and_stores_no_image(faults_badge, settings):
    given = credentials_services.award(faults_badge, "lena@example.org")
    assert tasks.bake_award(given.pk) is True
    first = Award.objects.values("signed_at", "ob3_credential", "ob2_signed").get(pk=given.pk)
    assert tasks.bake_award(given.pk) is True
    again = Award.objects.values("signed_at", "ob3_credential", "ob2_signed").get(pk=given.pk)
    assert first == again
    assert not (settings.MEDIA_ROOT / "baked").exists()


def test_the_email_task_twice_sends_one_email(faults_badge):
    given = credentials_services.award(faults_badge, "lena@example.org")
    mail.outbox.clear()
    assert tasks.send_award_emails_task([given.pk]) == 1
    assert tasks.send_award_emails_task([given.pk]) == 0
    assert tasks.send_award_email_task(given.pk) == 0  # the one-award task of earlier releases
    assert len(mail.outbox) == 1


def test_a_second_delivery_while_the_first_is_sending_sends_nothing(faults_badge):
    """Without the claim taken before the mail server is asked, both deliveries send."""
    given = credentials_services.award(faults_badge, "lena@example.org")
    mail.outbox.clear()
    real_send = EmailMessage.send
    nested: list[int] = []

    def send(message, *args, **kwargs):
        if not nested:
            nested.append(tasks.send_award_emails_task([given.pk]))  # redelivered meanwhile
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", send):
        assert tasks.send_award_emails_task([given.pk]) == 1
    assert nested == [0]
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_lost_worker_is_taken_over_by_the_overdue_sweep(faults_badge):
    from django.utils import timezone

    from credentials.services import emails

    given = credentials_services.award(faults_badge, "lena@example.org")
    lost = timezone.now() - max(emails.CLAIM_LEASE, emails.OVERDUE_AFTER) - timedelta(minutes=1)
    Award.objects.filter(pk=given.pk).update(email_claimed_at=lost, created_at=lost)
    mail.outbox.clear()
    assert emails.send_overdue_award_emails() == 1
    assert emails.send_overdue_award_emails() == 0
    assert len(mail.outbox) == 1


def test_a_bulk_chunk_delivered_twice_awards_nobody_twice(faults_badge, faults_staff):
    rows, problems = bulk.check_csv(
        faults_badge, ("email\n" + "".join(f"p{n}@example.org\n" for n in range(5))).encode()
    )
    assert problems == []
    job = bulk.create_job(faults_badge, rows, faults_staff, "people.csv")
    BulkAward.objects.filter(pk=job.pk).update(
        chunk_size=3, status=BulkAward.Status.QUEUED, started_by=faults_staff
    )
    mail.outbox.clear()
    assert tasks.run_bulk_award_chunk(job.pk, 0) == 3
    assert tasks.run_bulk_award_chunk(job.pk, 0) == 0
    assert tasks.run_bulk_award_chunk(job.pk, 1) == 2
    assert tasks.run_bulk_award_chunk(job.pk, 1) == 0
    job.refresh_from_db()
    assert job.status == BulkAward.Status.DONE
    assert Award.objects.filter(bulk_award=job, signed_at__isnull=False).count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.org" for n in range(5)]


def test_a_bulk_chunk_run_again_after_dying_before_its_emails_sends_each_once(
    faults_badge, faults_staff
):
    rows, _problems = bulk.check_csv(
        faults_badge, ("email\n" + "".join(f"p{n}@example.org\n" for n in range(3))).encode()
    )
    job = bulk.create_job(faults_badge, rows, faults_staff, "people.csv")
    BulkAward.objects.filter(pk=job.pk).update(
        status=BulkAward.Status.QUEUED, started_by=faults_staff
    )
    mail.outbox.clear()
    real = bulk.emails.send_award_emails

    def dies_after_one(pks):
        real(pks[:1])
        raise RuntimeError("worker lost")

    with (
        mock.patch.object(bulk.emails, "send_award_emails", dies_after_one),
        pytest.raises(RuntimeError),
    ):
        tasks.run_bulk_award_chunk(job.pk, 0)
    BulkAward.objects.filter(pk=job.pk).update(status=BulkAward.Status.QUEUED, error="")
    assert tasks.run_bulk_award_chunk(job.pk, 0) == 0  # nobody new: all awarded the first time
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.org" for n in range(3)]


@pytest.fixture
def faults_session(db, make_user):
    mentor = make_mentor("paul@helix.example")
    learner = make_user("lena@example.org", display_name="Lena", time_zone="Europe/Berlin")
    session = mentoring_services.book(
        mentor, learner, at(NOW.date() + timedelta(days=7), 10), goal="Plan", now=NOW
    )
    mail.outbox.clear()
    return session


def test_the_invitation_task_twice_sends_one_invitation_to_each_side(faults_session):
    assert mentoring_tasks.send_invitation(faults_session.pk) is True
    assert mentoring_tasks.send_invitation(faults_session.pk) is False
    assert sorted(m.to[0] for m in mail.outbox) == ["lena@example.org", "paul@helix.example"]


def test_the_reminder_task_twice_sends_each_reminder_once(faults_session, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: faults_session.starts_at - timedelta(minutes=30))
    due = SessionReminder.objects.filter(session=faults_session).count()
    assert due == 2
    assert mentoring_tasks.send_due_reminders() == 2
    assert mentoring_tasks.send_due_reminders() == 0
    assert len(mail.outbox) == 2 * 2  # two reminders, each to both sides


def test_a_booking_submitted_twice_is_one_session(db, make_user):
    mentor = make_mentor("paul@helix.example")
    learner = make_user("lena@example.org", time_zone="Europe/Berlin")
    start = at(NOW.date() + timedelta(days=7), 10)
    first = mentoring_services.book(mentor, learner, start, idempotency_key="k", now=NOW)
    second = mentoring_services.book(mentor, learner, start, idempotency_key="k", now=NOW)
    assert first.pk == second.pk and MentorSession.objects.count() == 1
