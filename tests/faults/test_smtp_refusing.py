"""A mail server that refuses: the award e-mail is retried with exponential back-off, sent once
it accepts, and when the last retry still fails, staff see why on the awards list and resend.

Tasks run eagerly here (retries at once, their countdowns recorded); the mail server is a real
socket server speaking SMTP (tests/support/smtp.py) that Django's SMTP backend talks to.
"""

import pytest
from django.urls import reverse

from credentials import services, tasks
from credentials.models import Award
from tests.support.smtp import SMTPStub

try:  # issuer staff act after a second factor (when that lands: credentials/web/second_factor.py)
    from tests.credentials.second_factor_support import login_with_second_factor as staff_login
except ImportError:  # pragma: no cover

    def staff_login(client, user):
        client.force_login(user)


TRY_LATER = "451 4.3.0 Try again later"


@pytest.fixture(autouse=True)
def faults_eager_retries(monkeypatch):
    """Eager tasks retry at once, as a worker would later (rather than raising ``Retry``)."""
    from cms.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


@pytest.fixture
def faults_smtp(settings):
    def start(**kwargs) -> SMTPStub:
        stub = SMTPStub(**kwargs).__enter__()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", stub.port
        started.append(stub)
        return stub

    started: list[SMTPStub] = []
    yield start
    for stub in started:
        stub.__exit__(None, None, None)


@pytest.fixture
def faults_countdowns(monkeypatch):
    """The countdowns the e-mail task asks for when it retries."""
    asked: list[int] = []
    task = tasks.send_award_emails_task
    original = task.retry

    def retry(*args, countdown=None, **kwargs):
        asked.append(countdown)
        return original(*args, countdown=countdown, **kwargs)

    monkeypatch.setattr(task, "retry", retry)
    return asked


def award_now(capture, badge, email="lena@example.org") -> Award:
    with capture(execute=True):
        given = services.award(badge, email)
    given.refresh_from_db()
    return given


def test_a_server_saying_try_later_is_retried_with_backoff_and_the_email_goes_out_once(
    faults_badge, faults_smtp, faults_countdowns, django_capture_on_commit_callbacks
):
    server = faults_smtp(refuse=TRY_LATER, refusals=2)
    given = award_now(django_capture_on_commit_callbacks, faults_badge)
    assert len(server.messages) == 1 and "lena@example.org" in server.messages[0]
    assert server.attempts == 3
    assert faults_countdowns == [30, 60]  # exponential back-off
    assert given.notified_at is not None and given.email_failed_at is None


def test_after_the_last_retry_the_failure_is_recorded_and_shown_to_staff(
    client, faults_staff, faults_badge, faults_smtp, faults_countdowns,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    server = faults_smtp(refuse="554 5.7.1 Relay access denied")
    given = award_now(django_capture_on_commit_callbacks, faults_badge)
    assert server.messages == [] and server.attempts == tasks.MAIL_MAX_RETRIES + 1
    assert faults_countdowns == [30, 60, 120, 240, 480]
    assert given.notified_at is None and given.email_failed_at is not None
    assert "554" in given.email_error and "Relay access denied" in given.email_error
    staff_login(client, faults_staff)
    html = client.get(reverse("credentials_manage:awards", args=["uni"])).content.decode()
    assert "E-mail not delivered: the mail server answered 554" in html
    resend = reverse("credentials_manage:award_resend_email", args=["uni", given.public_id])
    assert resend in html


def test_staff_resend_once_the_server_accepts_and_it_goes_out_once(
    client, faults_staff, faults_badge, faults_smtp, django_capture_on_commit_callbacks
):
    server = faults_smtp(refuse=TRY_LATER)
    given = award_now(django_capture_on_commit_callbacks, faults_badge)
    assert given.email_failed_at is not None
    server.refuse = ""  # the mail server is back
    staff_login(client, faults_staff)
    resend = reverse("credentials_manage:award_resend_email", args=["uni", given.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, follow=True)
    assert "on its way again" in response.content.decode()
    assert len(server.messages) == 1
    given.refresh_from_db()
    assert given.notified_at is not None and given.email_failed_at is None
    assert given.email_error == ""
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(resend, follow=True)
    assert "nothing to resend" in again.content.decode()
    assert len(server.messages) == 1
    html = client.get(reverse("credentials_manage:awards", args=["uni"])).content.decode()
    assert "E-mail not delivered" not in html


def test_an_address_refused_for_good_is_recorded_without_retrying_and_others_still_go(
    faults_badge, faults_smtp, django_capture_on_commit_callbacks
):
    from credentials.services import emails

    server = faults_smtp()
    first = award_now(django_capture_on_commit_callbacks, faults_badge, "a@example.org")
    Award.objects.filter(pk=first.pk).update(notified_at=None)
    server.messages.clear()
    import smtplib
    from unittest import mock

    real = emails.send_award_email

    def refuse_first(award, connection=None, urls=None):
        if award.pk == first.pk:
            raise smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")})
        return real(award, connection, urls)

    with django_capture_on_commit_callbacks(execute=True):
        second = services.award(faults_badge, "b@example.org")
    server.messages.clear()
    Award.objects.filter(pk=second.pk).update(notified_at=None)
    with mock.patch.object(emails, "send_award_email", refuse_first):
        assert tasks.send_award_emails_task.delay([first.pk, second.pk]).get() == 1
    first.refresh_from_db()
    assert "550 No such user" in first.email_error and first.notified_at is None
    assert len(server.messages) == 1 and "b@example.org" in server.messages[0]


@pytest.mark.parametrize("who", ["anonymous", "colleague_elsewhere", "recipient"])
def test_nobody_but_the_institutions_staff_may_resend(
    client, who, faults_badge, faults_colleague_elsewhere, faults_smtp, make_user,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    server = faults_smtp(refuse=TRY_LATER)
    given = award_now(django_capture_on_commit_callbacks, faults_badge)
    server.refuse = ""
    if who == "colleague_elsewhere":
        staff_login(client, faults_colleague_elsewhere)
    elif who == "recipient":
        client.force_login(make_user("lena@example.org"))
    resend = reverse("credentials_manage:award_resend_email", args=["uni", given.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend)
    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert "login" in response["Location"]
    else:
        assert response.status_code == 403
    assert server.messages == []
    given.refresh_from_db()
    assert given.email_failed_at is not None


def test_resend_is_post_only(
    client, faults_staff, faults_badge, django_capture_on_commit_callbacks
):
    given = award_now(django_capture_on_commit_callbacks, faults_badge)
    staff_login(client, faults_staff)
    resend = reverse("credentials_manage:award_resend_email", args=["uni", given.public_id])
    assert client.get(resend).status_code == 405
