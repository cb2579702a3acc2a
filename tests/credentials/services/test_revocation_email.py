"""Revoking a credential e-mails its recipient once: the reason, the date, what it means, and
the credential's page (the service signals on commit; a receiver queues the task)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from credentials import receivers as credential_receivers
from credentials import services, signals
from credentials import tasks as credential_tasks
from credentials.issuing import links
from credentials.models import Award
from credentials.services import emails
from tests.credentials.factories import make_badge

pytestmark = pytest.mark.django_db

REASON = "The capstone report was plagiarised."


@pytest.fixture
def revocable_award(uni, learner):
    badge = make_badge(uni, "pitcher", name="Pitch Practitioner")
    award = services.award(badge, learner)
    mail.outbox.clear()
    return award


def revoke_now(capture, award, staff, reason=REASON):
    with capture(execute=True):
        return services.revoke(award, reason, by=staff)


def test_revoking_e_mails_the_recipient_the_reason_date_meaning_and_link(
    revocable_award, staff, learner, django_capture_on_commit_callbacks
):
    revoked = revoke_now(django_capture_on_commit_callbacks, revocable_award, staff)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert message.subject == "Your badge “Pitch Practitioner” from Uni has been revoked"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert REASON in body
        assert f"{revoked.revoked_at:%-d %B %Y}" in body
        assert "no longer stands" in body
        assert links.award_url(revoked) in body
    revoked.refresh_from_db()
    assert revoked.revocation_notified_at is not None


def test_nothing_is_sent_before_the_revocation_commits(revocable_award, staff):
    services.revoke(revocable_award, REASON, by=staff)  # the test's transaction never commits
    assert mail.outbox == []


def test_revoking_an_already_revoked_award_sends_nothing(
    revocable_award, staff, django_capture_on_commit_callbacks
):
    revoke_now(django_capture_on_commit_callbacks, revocable_award, staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.revoke(revocable_award, "Another reason.", by=staff)
    assert callbacks == []
    assert len(mail.outbox) == 1
    revocable_award.refresh_from_db()
    assert revocable_award.revocation_reason == REASON


def test_the_task_run_twice_e_mails_once(
    revocable_award, staff, django_capture_on_commit_callbacks
):
    revoke_now(django_capture_on_commit_callbacks, revocable_award, staff)
    assert emails.send_revocation_email(revocable_award.pk) is False
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_leaves_the_e_mail_for_a_retry(revocable_award, staff):
    services.revoke(revocable_award, REASON, by=staff)
    down = mock.patch.object(emails.EmailMultiAlternatives, "send", side_effect=OSError("down"))
    with down, pytest.raises(OSError):
        emails.send_revocation_email(revocable_award.pk)
    assert Award.objects.get(pk=revocable_award.pk).revocation_notified_at is None
    assert emails.send_revocation_email(revocable_award.pk) is True
    assert len(mail.outbox) == 1


def test_an_award_that_is_not_revoked_is_not_e_mailed_as_revoked(revocable_award):
    assert emails.send_revocation_email(revocable_award.pk) is False
    assert mail.outbox == []


def test_an_unattached_award_is_e_mailed_at_its_recipient_address(
    uni, staff, django_capture_on_commit_callbacks
):
    badge = make_badge(uni, "walker", name="Walker")
    award = services.award(badge, "nora@example.org")
    mail.outbox.clear()
    revoke_now(django_capture_on_commit_callbacks, award, staff)
    assert [message.to for message in mail.outbox] == [["nora@example.org"]]
    assert "My credentials" not in mail.outbox[0].body


def test_staff_of_another_institution_cannot_revoke_and_nobody_is_e_mailed(
    revocable_award, other_staff, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionError), django_capture_on_commit_callbacks(execute=True):
        services.revoke(revocable_award, REASON, by=other_staff)
    assert mail.outbox == []
    assert not Award.objects.get(pk=revocable_award.pk).is_revoked


def test_the_receiver_is_connected_to_award_revoked():
    receivers = [entry[1]() for entry in signals.award_revoked.receivers]
    assert credential_receivers.email_revoked_award in receivers


def test_a_reply_goes_to_the_institution(
    revocable_award, staff, uni, django_capture_on_commit_callbacks
):
    revoke_now(django_capture_on_commit_callbacks, revocable_award, staff)
    message = mail.outbox[0]
    assert message.reply_to == [uni.email]
    assert f"your reply goes to Uni at {uni.email}" in message.body


def test_without_an_institution_address_nobody_is_told_to_reply(
    revocable_award, staff, uni, django_capture_on_commit_callbacks
):
    uni.email = ""
    uni.save(update_fields=["email"])
    revoke_now(django_capture_on_commit_callbacks, revocable_award, staff)
    message = mail.outbox[0]
    assert message.reply_to == []
    assert "a reply to this e-mail does not reach them" in message.body
    assert "a reply to this e-mail does not reach them" in message.alternatives[0][0]


@pytest.fixture
def broker_down(settings):
    """The task queue (Redis) is down: queuing a task raises."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    down = OSError("Error 111 connecting to redis:6379. Connection refused.")
    with mock.patch.object(credential_tasks.send_revocation_email_task, "delay", side_effect=down):
        yield


def test_a_revocation_e_mail_not_queued_is_sent_once_by_the_sweep(
    revocable_award, staff, broker_down, django_capture_on_commit_callbacks
):
    revoke_now(django_capture_on_commit_callbacks, revocable_award, staff)
    assert mail.outbox == []  # the revocation stands, the e-mail waits
    assert Award.objects.get(pk=revocable_award.pk).revocation_notified_at is None
    assert emails.send_overdue_revocation_emails() == 0  # not overdue yet
    later = timezone.now() + timedelta(hours=1)
    assert emails.send_overdue_revocation_emails(now=later) == 1
    assert emails.send_overdue_revocation_emails(now=later) == 0
    assert emails.send_revocation_email(revocable_award.pk) is False  # the late task, too
    assert [message.to for message in mail.outbox] == [[revocable_award.recipient_email]]


def test_the_beat_sweep_of_award_e_mails_sends_the_revocation_e_mails_too(
    revocable_award, staff, broker_down, django_capture_on_commit_callbacks
):
    revoke_now(django_capture_on_commit_callbacks, revocable_award, staff)
    assert credential_tasks.send_overdue_award_emails_task.apply(args=[0]).get() == 1
    assert credential_tasks.send_overdue_award_emails_task.apply(args=[0]).get() == 0
    assert len(mail.outbox) == 1


def test_an_old_revocation_is_not_e_mailed_by_the_sweep(revocable_award, staff):
    services.revoke(revocable_award, REASON, by=staff)  # no commit: no e-mail queued
    long_ago = timezone.now() - timedelta(days=30)
    Award.objects.filter(pk=revocable_award.pk).update(revoked_at=long_ago)
    assert emails.send_overdue_revocation_emails() == 0
    assert mail.outbox == []
