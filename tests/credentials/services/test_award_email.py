"""The award e-mail: HTML and text, the badge image and links, sent once per award."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from credentials import receivers as credential_receivers
from credentials import services, signals
from credentials import tasks as credential_tasks
from credentials.services import emails
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db


@pytest.fixture
def founder_badge(db):
    return make_badge(make_issuer("uni", name="Uni of Tests"), "founder", name="Founder")


def award_now(django_capture_on_commit_callbacks, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.award(*args, **kwargs)


def test_a_new_award_sends_one_e_mail_with_html_text_image_and_links(
    founder_badge, learner, django_capture_on_commit_callbacks
):
    award = award_now(django_capture_on_commit_callbacks, founder_badge, learner)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert message.subject == "You have earned “Founder” from Uni of Tests"
    public = (
        f"http://testserver{reverse('credentials:award', kwargs={'public_id': award.public_id})}"
    )
    image = "http://testserver" + reverse(
        "credentials:badge_image", kwargs={"public_id": founder_badge.public_id}
    )
    assert public in message.body
    assert "http://testserver/credentials/mine/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert f'<img src="{image}"' in html
    assert public in html
    png = reverse("credentials:award_png2", kwargs={"public_id": award.public_id})
    assert f"http://testserver{png}" in message.body and f"http://testserver{png}" in html


def test_awarding_again_sends_nothing_more(
    founder_badge, learner, django_capture_on_commit_callbacks
):
    award_now(django_capture_on_commit_callbacks, founder_badge, learner)
    award_now(django_capture_on_commit_callbacks, founder_badge, learner)
    assert len(mail.outbox) == 1


def test_an_award_to_an_address_without_account_mentions_no_backpack(
    founder_badge, django_capture_on_commit_callbacks
):
    award_now(django_capture_on_commit_callbacks, founder_badge, "guest@example.org")
    assert mail.outbox[0].to == ["guest@example.org"]
    assert "/credentials/mine/" not in mail.outbox[0].body


def test_nothing_is_sent_before_the_award_commits(founder_badge, learner):
    services.award(founder_badge, learner)  # no on_commit callbacks run in this test transaction
    assert mail.outbox == []


def test_a_revoked_award_is_not_e_mailed(founder_badge, learner):
    award = services.award(founder_badge, learner)
    award = services.revoke(award, "Mistake.", by=None)
    assert emails.send_award_email(award) is False
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_undo_the_award(
    founder_badge, learner, django_capture_on_commit_callbacks
):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")):
        award = award_now(django_capture_on_commit_callbacks, founder_badge, learner)
    award.refresh_from_db()
    assert award.pk is not None


def test_the_receiver_is_connected_to_awards_issued():
    receivers = [r[1]() for r in signals.awards_issued.receivers]
    assert credential_receivers.email_new_awards in receivers


def test_a_retried_batch_e_mails_nobody_twice(founder_badge, learner, other_learner):
    first = services.award(founder_badge, learner)
    second = services.award(founder_badge, other_learner)
    assert emails.send_award_emails([first.pk]) == 1
    assert emails.send_award_emails([first.pk, second.pk]) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([learner.email, other_learner.email])


def test_a_batch_shares_one_mail_server_connection(founder_badge, learner, other_learner):
    pks = [services.award(founder_badge, who).pk for who in (learner, other_learner)]
    with mock.patch(
        "credentials.services.emails.get_connection", wraps=emails.get_connection
    ) as opened:
        emails.send_award_emails(pks)
    assert opened.call_count == 1
    assert len(mail.outbox) == 2


def test_a_refused_address_does_not_stop_the_rest_of_the_batch(
    founder_badge, learner, other_learner
):
    import smtplib

    pks = [services.award(founder_badge, who).pk for who in (learner, other_learner)]
    real = emails.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if learner.email in message.to:
            raise smtplib.SMTPRecipientsRefused({learner.email: (550, b"no such user")})
        return real(message, *args, **kwargs)

    with mock.patch.object(emails.EmailMultiAlternatives, "send", send):
        assert emails.send_award_emails(pks) == 1
    assert [m.to for m in mail.outbox] == [[other_learner.email]]


def test_awards_whose_e_mail_never_went_out_are_sent_later(founder_badge, learner):
    from datetime import timedelta

    from django.utils import timezone

    from credentials.models import Award

    award = services.award(founder_badge, learner)  # no commit here, so no e-mail yet
    Award.objects.filter(pk=award.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert emails.send_overdue_award_emails() == 1
    assert emails.send_overdue_award_emails() == 0
    assert len(mail.outbox) == 1


def test_the_one_award_task_of_earlier_releases_still_sends(founder_badge, learner):
    award = services.award(founder_badge, learner)
    assert credential_tasks.send_award_email_task.apply(args=[award.pk]).get() == 1
