"""Someone awarded by e-mail, without an account, adds the credential to their account."""

import pytest
from django.core import mail, signing
from django.urls import reverse

from credentials.services import award, backpack
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest_award(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return award(make_badge(make_issuer("uni")), "guest@example.org")


def claim_url(given):
    return reverse("credentials_manage:claim", args=[backpack.claim_token(given)])


def test_the_award_email_to_someone_without_an_account_carries_the_claim_link(
    guest_award, django_capture_on_commit_callbacks
):
    from credentials.services.emails import send_award_email

    mail.outbox.clear()
    send_award_email(guest_award)
    body = mail.outbox[-1].body
    assert "/credentials/claim/" in body
    assert "/credentials/mine/" not in body


def test_claiming_adds_the_award_to_the_signed_in_account(client, guest_award, learner):
    client.force_login(learner)
    response = client.post(claim_url(guest_award))
    assert response["Location"] == reverse("credentials_manage:backpack")
    guest_award.refresh_from_db()
    assert guest_award.recipient == learner


def test_claiming_twice_changes_nothing(client, guest_award, learner):
    client.force_login(learner)
    client.post(claim_url(guest_award))
    assert client.post(claim_url(guest_award)).status_code == 302
    guest_award.refresh_from_db()
    assert guest_award.recipient == learner


def test_an_award_already_in_another_account_cannot_be_claimed(
    client, guest_award, learner, make_user
):
    backpack.claim(backpack.claim_token(guest_award), learner)
    client.force_login(make_user("other@example.org"))
    response = client.post(claim_url(guest_award))
    assert response.status_code == 409
    assert "already in another account" in response.content.decode()
    guest_award.refresh_from_db()
    assert guest_award.recipient == learner


def test_a_forged_claim_link_is_refused(client, learner):
    client.force_login(learner)
    token = signing.dumps("00000000-0000-0000-0000-000000000000", salt="another.salt")
    response = client.post(reverse("credentials_manage:claim", args=[token]))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_an_anonymous_visitor_is_asked_to_log_in_or_sign_up(client, guest_award):
    response = client.get(claim_url(guest_award))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Create an account" in html and "?next=/credentials/claim/" in html
    guest_award.refresh_from_db()
    assert guest_award.recipient is None


def test_a_get_request_never_claims(client, guest_award, learner):
    client.force_login(learner)
    client.get(claim_url(guest_award))
    guest_award.refresh_from_db()
    assert guest_award.recipient is None
