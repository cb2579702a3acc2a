"""Offering an award to a wallet (OpenID4VCI): who may, the codes, the token, the nonce and
the bound credential — and every way a stranger or a replay is refused."""

import re
import smtplib
import time
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from credentials import services
from credentials.models.wallets import WalletCredential, WalletNonce, WalletOffer
from credentials.services import wallet
from credentials.standards import dids, oid4vci

pytestmark = pytest.mark.django_db


def wallet_proof(key, nonce, audience=None):
    header = {
        "typ": oid4vci.PROOF_TYP,
        "kid": dids.did_for_jwk(dids.jwk_of(key.public_key())) + "#0",
    }
    claims = {"aud": audience or wallet.issuer_id(), "iat": int(time.time()), "nonce": nonce}
    return jwt.encode(claims, key, algorithm="EdDSA", headers=header)


@pytest.fixture
def offered(signed, learner, django_capture_on_commit_callbacks):
    """Alice (the learner) offers her signed award; (offer, pre-authorised code, tx code)."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer, created = wallet.create_offer(signed, learner)
    assert created
    tx_code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)[1]
    return offer, wallet.pre_authorized_code(offer), tx_code


@pytest.fixture
def holder_key():
    return ed25519.Ed25519PrivateKey.generate()


def request_for(key, configuration=oid4vci.LDP_VC, nonce=None):
    return {
        "credential_configuration_id": configuration,
        "proofs": {"jwt": [wallet_proof(key, nonce or wallet.new_nonce())]},
    }


def test_the_offer_stores_only_hashes_and_mails_the_code_to_the_learner(offered, learner):
    offer, code, tx_code = offered
    message = mail.outbox[-1]
    assert message.to == [learner.email]
    assert tx_code in message.subject and tx_code in message.alternatives[0][0]
    stored = WalletOffer.objects.filter(pk=offer.pk).values().get()
    assert code not in str(stored) and tx_code not in str(stored)
    assert offer.expires_at - timezone.now() <= wallet.OFFER_LIFETIME
    document = wallet.offer_document(offer)
    assert document["grants"][oid4vci.PRE_AUTHORIZED_GRANT]["pre-authorized_code"] == code


def test_a_second_click_returns_the_same_offer_without_a_second_email(offered, signed, learner):
    offer, _code, _tx = offered
    count = len(mail.outbox)
    again, created = wallet.create_offer(signed, learner)
    assert (again.pk, created, len(mail.outbox)) == (offer.pk, False, count)


def test_a_new_offer_on_request_retires_the_old_one(offered, signed, learner):
    offer, code, tx_code = offered
    renewed, created = wallet.create_offer(signed, learner, renew=True)
    assert created and renewed.pk != offer.pk
    with pytest.raises(wallet.WalletError):
        wallet.redeem(code, tx_code)


def test_someone_else_cannot_offer_alices_award(signed, other_learner):
    with pytest.raises(PermissionError):
        wallet.create_offer(signed, other_learner)
    assert not WalletOffer.objects.exists()


def test_a_revoked_or_unsigned_award_is_not_offered(signed, given, learner, staff):
    services.revoke(signed, "Plagiarised project", staff)
    with pytest.raises(ValueError):
        wallet.create_offer(signed, learner)
    type(given).objects.filter(pk=given.pk).update(signed_at=None)
    given.refresh_from_db()
    with pytest.raises(ValueError):
        wallet.create_offer(given, learner)


def test_the_right_codes_give_a_token_once(offered):
    offer, code, tx_code = offered
    token = wallet.redeem(code, tx_code)
    offer.refresh_from_db()
    assert offer.token_hash and token.token not in offer.token_hash
    with pytest.raises(wallet.WalletError) as again:
        wallet.redeem(code, tx_code)
    assert again.value.code == "invalid_grant"


def test_five_wrong_tx_codes_kill_the_offer(offered):
    offer, code, tx_code = offered
    wrong = f"{(int(tx_code) + 1) % 1_000_000:06d}"
    for attempt in range(1, wallet.MAX_ATTEMPTS + 1):
        with pytest.raises(wallet.WalletError) as refused:
            wallet.redeem(code, wrong)
        assert refused.value.code == "invalid_grant"
        offer.refresh_from_db()
        assert offer.tx_code_attempts == attempt
    with pytest.raises(wallet.WalletError):
        wallet.redeem(code, tx_code)
    assert wallet.offer_state(offer) == "blocked"


@pytest.mark.parametrize(("code", "tx"), [("", "123456"), ("x", ""), ("x" * 500, "123456")])
def test_a_token_request_without_both_codes_is_invalid(code, tx):
    with pytest.raises(wallet.WalletError) as refused:
        wallet.redeem(code, tx)
    assert refused.value.code == "invalid_request"


def test_an_expired_offer_or_an_unknown_code_gives_no_token(offered):
    offer, code, tx_code = offered
    with pytest.raises(wallet.WalletError):
        wallet.redeem("not-our-code", tx_code)
    WalletOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(wallet.WalletError):
        wallet.redeem(code, tx_code)
    offer.refresh_from_db()
    assert wallet.offer_state(offer) == "expired" and wallet.offer_document(offer) is None


def test_a_nonce_is_good_once_and_only_ours_and_fresh():
    nonce = wallet.new_nonce()
    assert wallet.consume_nonce(nonce) and not wallet.consume_nonce(nonce)
    assert not wallet.consume_nonce("made-up")
    stale = wallet.new_nonce()
    WalletNonce.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not wallet.consume_nonce(stale)


def test_the_wallet_gets_both_formats_bound_to_its_key(offered, holder_key, signed):
    _offer, code, tx_code = offered
    token = wallet.redeem(code, tx_code).token
    ldp = wallet.issue(token, request_for(holder_key))["credentials"][0]["credential"]
    holder = dids.did_for_jwk(dids.jwk_of(holder_key.public_key()))
    assert ldp["credentialSubject"]["id"] == holder and ldp["proof"]
    signed_jwt = wallet.issue(token, request_for(holder_key, oid4vci.JWT_VC))
    claims = jwt.decode(
        signed_jwt["credentials"][0]["credential"], options={"verify_signature": False}
    )
    assert claims["sub"] == holder
    signed.refresh_from_db()
    assert signed.ob3_credential["credentialSubject"]["id"] != holder  # stored one untouched
    assert WalletCredential.objects.count() == 2


def test_the_same_format_is_given_once_per_offer(offered, holder_key):
    _offer, code, tx_code = offered
    token = wallet.redeem(code, tx_code).token
    wallet.issue(token, request_for(holder_key))
    with pytest.raises(wallet.WalletError) as refused:
        wallet.issue(token, request_for(holder_key))
    assert refused.value.code == "credential_request_denied"


def test_one_offer_goes_to_one_wallet_key(offered, holder_key):
    _offer, code, tx_code = offered
    token = wallet.redeem(code, tx_code).token
    wallet.issue(token, request_for(holder_key))
    other = ed25519.Ed25519PrivateKey.generate()
    with pytest.raises(wallet.WalletError) as refused:
        wallet.issue(token, request_for(other, oid4vci.JWT_VC))
    assert refused.value.code == "invalid_proof"


def test_a_nonce_cannot_be_replayed_or_invented(offered, holder_key):
    _offer, code, tx_code = offered
    token = wallet.redeem(code, tx_code).token
    nonce = wallet.new_nonce()
    wallet.issue(token, request_for(holder_key, nonce=nonce))
    for bad in (nonce, "invented"):
        with pytest.raises(wallet.WalletError) as refused:
            wallet.issue(token, request_for(holder_key, oid4vci.JWT_VC, nonce=bad))
        assert refused.value.code == "invalid_nonce"


def test_a_proof_for_another_issuer_is_refused(offered, holder_key):
    _offer, code, tx_code = offered
    token = wallet.redeem(code, tx_code).token
    body = {
        "credential_configuration_id": oid4vci.LDP_VC,
        "proofs": {"jwt": [wallet_proof(holder_key, wallet.new_nonce(), "https://evil.example")]},
    }
    with pytest.raises(wallet.WalletError) as refused:
        wallet.issue(token, body)
    assert refused.value.code == "invalid_proof"


def test_an_unknown_or_expired_token_is_refused(offered, holder_key):
    offer, code, tx_code = offered
    with pytest.raises(wallet.WalletError) as refused:
        wallet.issue("made-up", request_for(holder_key))
    assert (refused.value.code, refused.value.status) == ("invalid_token", 401)
    token = wallet.redeem(code, tx_code).token
    WalletOffer.objects.filter(pk=offer.pk).update(token_expires_at=timezone.now())
    with pytest.raises(wallet.WalletError) as refused:
        wallet.issue(token, request_for(holder_key))
    assert refused.value.code == "invalid_token"


def test_an_award_revoked_after_the_token_is_not_issued(offered, holder_key, signed, staff):
    _offer, code, tx_code = offered
    token = wallet.redeem(code, tx_code).token
    services.revoke(signed, "Plagiarised project", staff)
    with pytest.raises(wallet.WalletError) as refused:
        wallet.issue(token, request_for(holder_key))
    assert refused.value.code == "credential_request_denied"
    assert not WalletCredential.objects.exists()


def test_the_address_is_masked():
    assert wallet.masked("lena@example.org") == "l•••@example.org"
    assert wallet.masked("broken") == "•••"


class RefusingBackend(BaseEmailBackend):
    """An e-mail backend whose server refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"alice@example.org": (550, b"no")})


REFUSING = "tests.credentials.services.test_wallet.RefusingBackend"


def test_a_code_that_cannot_be_mailed_leaves_no_offer_and_a_later_click_mails_one(
    signed, learner, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValueError, match="could not send"),
    ):
        wallet.create_offer(signed, learner)
    assert not WalletOffer.objects.exists()  # no offer whose code nobody has
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer, created = wallet.create_offer(signed, learner)
    assert created and len(mail.outbox) == 1 and WalletOffer.objects.get() == offer


def test_a_renewal_whose_mail_fails_keeps_no_new_offer(
    offered, signed, learner, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValueError, match="could not send"),
    ):
        wallet.create_offer(signed, learner, renew=True)
    assert list(WalletOffer.objects.all()) == [offered[0]]
