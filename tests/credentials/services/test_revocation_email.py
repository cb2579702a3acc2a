"""Revoking a credential e-mails its recipient once: the reason, the date, what it means, and
the credential's page (the service signals on commit; a receiver queues the task)."""

from unittest import mock

import pytest
from django.core import mail

from credentials import receivers as credential_receivers
from credentials import services, signals
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
