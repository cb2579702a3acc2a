"""The wallet pages and OpenID4VCI endpoints over HTTP: who sees what, the JSON answers, the
cache headers, and the refusals a wallet (or an attacker) gets."""

import re
import time
from datetime import timedelta
from urllib.parse import urlencode

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from credentials.models.wallets import WalletOffer
from credentials.services import wallet
from credentials.standards import dids, oid4vci

pytestmark = pytest.mark.django_db

TOKEN_URL = "/oauth/token/"
FORM = "application/x-www-form-urlencoded"


def create_url(award):
    return reverse("credentials_manage:wallet_pages:create", args=[award.public_id])


@pytest.fixture
def offer_page(client, signed, learner, django_capture_on_commit_callbacks):
    """Alice asked for an offer through the page: (response, offer, tx code)."""
    client.force_login(learner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(signed), follow=True)
    offer = WalletOffer.objects.get()
    return response, offer, re.search(r"\b(\d{6})\b", mail.outbox[-1].body)[1]


def token_for(client, offer, tx_code):
    body = {
        "grant_type": oid4vci.PRE_AUTHORIZED_GRANT,
        "pre-authorized_code": wallet.pre_authorized_code(offer),
        "tx_code": tx_code,
    }
    return client.post(TOKEN_URL, urlencode(body), content_type=FORM)


def credential_request(client, token, key, configuration=oid4vci.LDP_VC, alg="EdDSA"):
    nonce = client.post(reverse("wallet:nonce")).json()["c_nonce"]
    header = {
        "typ": oid4vci.PROOF_TYP,
        "kid": dids.did_for_jwk(dids.jwk_of(key.public_key())) + "#0",
    }
    claims = {"aud": wallet.issuer_id(), "iat": int(time.time()), "nonce": nonce}
    signing_key = key if alg == "EdDSA" else "a-shared-secret-of-at-least-32-bytes!"
    proof = jwt.encode(claims, signing_key, algorithm=alg, headers=header)
    return client.post(
        reverse("wallet:credential"),
        {"credential_configuration_id": configuration, "proofs": {"jwt": [proof]}},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )


def test_the_issuer_metadata_is_served(client, settings):
    response = client.get("/.well-known/openid-credential-issuer")
    document = response.json()
    assert document["credential_issuer"] == settings.SITE_URL.rstrip("/")
    assert document["credential_endpoint"].endswith("/wallet/credential")
    assert document["nonce_endpoint"].endswith("/wallet/nonce")
    assert set(document["credential_configurations_supported"]) == set(oid4vci.FORMATS)
    assert client.get("/.well-known/openid-credential-issuer/elsewhere").status_code == 404


def test_the_owner_gets_an_offer_page_with_a_qr_code_and_a_link(offer_page, learner):
    response, offer, _tx = offer_page
    page = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/png;base64,' in page
    assert "openid-credential-offer://?credential_offer_uri=" in page
    assert str(offer.public_id) in page
    assert wallet.masked(learner.email) in page and learner.email not in page
    assert response["Cache-Control"] == "private, no-store"


def test_a_double_click_keeps_one_working_offer(offer_page, client, signed):
    _response, offer, _tx = offer_page
    count = len(mail.outbox)
    response = client.post(create_url(signed))
    assert response.url.endswith(f"/offers/{offer.public_id}/")
    assert WalletOffer.objects.count() == 1 and len(mail.outbox) == count


def test_someone_else_cannot_make_or_see_alices_offer(offer_page, client, signed, other_learner):
    _response, offer, _tx = offer_page
    client.force_login(other_learner)
    assert client.post(create_url(signed)).status_code == 404
    page = reverse("credentials_manage:wallet_pages:offer", args=[offer.public_id])
    assert client.get(page).status_code == 404
    assert WalletOffer.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in(client, signed):
    response = client.post(create_url(signed))
    assert response.status_code == 302 and "login" in response.url
    assert not WalletOffer.objects.exists()


def test_the_offer_is_served_by_reference_while_it_can_be_used(offer_page, client):
    _response, offer, tx_code = offer_page
    url = reverse("wallet:offer", args=[offer.public_id])
    document = client.get(url).json()
    assert document["credential_configuration_ids"] == [oid4vci.LDP_VC, oid4vci.JWT_VC]
    assert token_for(client, offer, tx_code).status_code == 200
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("state", "change", "words"),
    [
        (
            "expired",
            {"expires_at": timezone.now() - timedelta(minutes=1)},
            "This offer has expired.",
        ),
        ("blocked", {"tx_code_attempts": wallet.MAX_ATTEMPTS}, "Too many wrong codes"),
        ("used", {"redeemed_at": timezone.now()}, "A wallet has used this offer."),
    ],
)
def test_a_dead_offer_says_why_and_offers_a_new_one(offer_page, client, state, change, words):
    _response, offer, _tx = offer_page
    WalletOffer.objects.filter(pk=offer.pk).update(**change)
    page = client.get(reverse("credentials_manage:wallet_pages:offer", args=[offer.public_id]))
    text = page.content.decode()
    assert words in text and "data:image/png" not in text
    assert 'name="renew"' in text


def test_the_token_endpoint_answers_without_caching(offer_page, client):
    _response, offer, tx_code = offer_page
    response = token_for(client, offer, tx_code)
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0 and body["access_token"]
    assert response["Cache-Control"] == "no-store"


def test_a_wrong_tx_code_is_an_invalid_grant(offer_page, client):
    _response, offer, tx_code = offer_page
    wrong = f"{(int(tx_code) + 1) % 1_000_000:06d}"
    response = token_for(client, offer, wrong)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert response["Cache-Control"] == "no-store"


def test_the_nonce_endpoint_gives_a_fresh_nonce_never_cached(client):
    first, second = client.post(reverse("wallet:nonce")), client.post(reverse("wallet:nonce"))
    assert first.json()["c_nonce"] != second.json()["c_nonce"]
    assert first["Cache-Control"] == "no-store"
    assert client.get(reverse("wallet:nonce")).status_code == 405


def test_the_credential_endpoint_issues_to_a_proven_key(offer_page, client):
    _response, offer, tx_code = offer_page
    token = token_for(client, offer, tx_code).json()["access_token"]
    key = ed25519.Ed25519PrivateKey.generate()
    response = credential_request(client, token, key)
    assert response.status_code == 200, response.content
    credential = response.json()["credentials"][0]["credential"]
    assert credential["credentialSubject"]["id"] == dids.did_for_jwk(dids.jwk_of(key.public_key()))
    assert response["Cache-Control"] == "no-store"


def test_the_credential_endpoint_needs_a_bearer_token(client):
    response = credential_request(client, None, ed25519.Ed25519PrivateKey.generate())
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    response = credential_request(client, "made-up", ed25519.Ed25519PrivateKey.generate())
    assert response.status_code == 401


def test_an_hs256_proof_is_refused(offer_page, client):
    _response, offer, tx_code = offer_page
    token = token_for(client, offer, tx_code).json()["access_token"]
    response = credential_request(client, token, ed25519.Ed25519PrivateKey.generate(), alg="HS256")
    assert response.status_code == 400 and response.json()["error"] == "invalid_proof"


def test_a_request_that_is_not_json_is_refused(offer_page, client):
    _response, offer, tx_code = offer_page
    token = token_for(client, offer, tx_code).json()["access_token"]
    response = client.post(
        reverse("wallet:credential"),
        "not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.json()["error"] == "invalid_credential_request"


def test_the_holder_sees_add_to_a_wallet_but_others_do_not(client, signed, learner, other_learner):
    signed.is_public = True
    signed.save(update_fields=["is_public"])
    page = reverse("credentials:award", kwargs={"public_id": signed.public_id})
    client.force_login(learner)
    assert "Add to a wallet" in client.get(page).content.decode()
    assert "Add to a wallet" in client.get(reverse("credentials_manage:backpack")).content.decode()
    client.force_login(other_learner)
    assert "Add to a wallet" not in client.get(page).content.decode()


def test_a_token_request_that_is_not_form_encoded_is_invalid(offer_page, client):
    _response, offer, tx_code = offer_page
    body = {
        "grant_type": oid4vci.PRE_AUTHORIZED_GRANT,
        "pre-authorized_code": wallet.pre_authorized_code(offer),
        "tx_code": tx_code,
    }
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == 400
    offer.refresh_from_db()
    assert offer.redeemed_at is None


def test_a_client_asking_for_too_many_nonces_is_told_to_wait(client, monkeypatch):
    from django.core.cache import cache

    from credentials.web.wallet import views

    cache.clear()
    monkeypatch.setattr(views, "NONCE_RATE_LIMIT", (2, 600))
    assert client.post(reverse("wallet:nonce")).status_code == 200
    assert client.post(reverse("wallet:nonce")).status_code == 200
    refused = client.post(reverse("wallet:nonce"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "c_nonce" not in refused.json()


def test_when_the_code_cannot_be_mailed_the_page_says_so_and_a_new_click_works(
    client, signed, learner, settings, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    settings.EMAIL_BACKEND = "tests.credentials.services.test_wallet.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(signed), follow=True)
    text = response.content.decode()
    assert response.status_code == 200 and "could not send" in text
    assert "Add to a wallet" in text and not WalletOffer.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(create_url(signed))
    assert again.url.endswith(f"/offers/{WalletOffer.objects.get().public_id}/")
    assert len(mail.outbox) == 1


def test_the_metadata_names_the_credential_in_each_language_whatever_the_readers(settings):
    from django.utils import translation

    documents = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            documents.append(wallet.metadata())
    assert all(document == documents[0] for document in documents)
    display = documents[0]["credential_configurations_supported"][oid4vci.LDP_VC][
        "credential_metadata"
    ]["display"]
    assert [entry["locale"] for entry in display] == [code for code, _ in settings.LANGUAGES]
