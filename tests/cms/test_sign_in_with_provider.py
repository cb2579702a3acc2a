"""Signing in with a university's OpenID Connect provider, through the real allauth flow.

The provider is tests/support/oidc_provider.py, started on 127.0.0.1 for each test; the browser
is Django's test client, and the hop to the provider's /authorize is a real HTTP request.
Nothing may leave loopback: sso_loopback_only refuses any other host.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from requests.adapters import HTTPAdapter

from cms import roles
from cms.sso.config import oidc_apps
from credentials.services import award
from tests.credentials import factories
from tests.support.oidc_provider import OIDCProvider

User = get_user_model()
LOGIN = "/accounts/oidc/northbridge/login/"


@pytest.fixture(autouse=True)
def sso_loopback_only(monkeypatch):
    send = HTTPAdapter.send

    def loopback_send(self, request, *args, **kwargs):
        host = urlsplit(request.url).hostname
        assert host in {"127.0.0.1", "localhost"}, f"HTTP to {host} left loopback"
        return send(self, request, *args, **kwargs)

    monkeypatch.setattr(HTTPAdapter, "send", loopback_send)


@pytest.fixture
def sso_provider():
    provider = OIDCProvider().start()
    yield provider
    provider.stop()


def sso_configure(settings, server_url: str, **changes) -> None:
    entry = {
        "id": "northbridge",
        "name": "Northbridge University",
        "server_url": server_url,
        "client_id": "academy",
        "secret": "s3cret",
        "email_domains": ["northbridge.example"],
        **changes,
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": oidc_apps(json.dumps([entry])),
        },
    }


@pytest.fixture
def sso_northbridge(settings, sso_provider, db):
    sso_configure(settings, sso_provider.issuer)
    return sso_provider


def start(client):
    """Press "Sign in with Northbridge University"; return the provider's answer (a redirect)."""
    response = client.post(LOGIN)
    assert response.status_code == 302, response.content[:500]
    return requests.get(response["Location"], allow_redirects=False, timeout=5)


def come_back(client, provider_answer):
    """Follow the provider's redirect back to our callback."""
    assert provider_answer.status_code == 302, provider_answer.text
    callback = urlsplit(provider_answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def sign_in(client):
    return come_back(client, start(client))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def assert_refused(response):
    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in response.templates]
    assert signed_in_user(response.client) is None
    assert not SocialAccount.objects.exists()


# --- the journey ---------------------------------------------------------------------------


def test_first_sign_in_creates_an_account_with_a_verified_address(client, sso_northbridge):
    response = sign_in(client)
    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None and user.email == "ada@northbridge.example"
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("northbridge", "nb-0001")
    assert not SocialToken.objects.exists()  # tokens are not kept
    assert user.display_name == "Ada Lovelace"
    assert roles.roles_of(user) == [roles.LEARNERS]
    assert mail.outbox == []  # nothing to confirm


def test_an_award_waiting_for_the_vouched_address_joins_the_new_account(client, sso_northbridge):
    issuer = factories.make_issuer("northbridge-sso")
    made = award(factories.make_badge(issuer), "ada@northbridge.example")
    sign_in(client)
    made.refresh_from_db()
    assert made.recipient == signed_in_user(client)


def test_an_award_waits_when_the_address_is_outside_the_providers_domains(
    client, settings, sso_provider, db
):
    sso_configure(settings, sso_provider.issuer, email_domains=["elsewhere.example"])
    issuer = factories.make_issuer("northbridge-sso")
    made = award(factories.make_badge(issuer), "ada@northbridge.example")
    sign_in(client)
    made.refresh_from_db()
    assert made.recipient is None


def test_signing_in_again_reaches_the_same_account(client, sso_northbridge):
    sign_in(client)
    first = signed_in_user(client)
    client.logout()
    sso_northbridge.user["name"] = "Ada King"
    sign_in(client)
    assert signed_in_user(client) == first
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1


def test_an_address_outside_the_providers_domains_stays_unverified(client, sso_northbridge):
    sso_northbridge.user["email"] = "ada@gmail.example"
    sign_in(client)
    address = EmailAddress.objects.get(email="ada@gmail.example")
    assert address.verified is False
    assert signed_in_user(client) is None  # confirmed by e-mail first, like any sign-up
    assert [message.to for message in mail.outbox] == [["ada@gmail.example"]]


def test_an_address_the_id_token_does_not_call_verified_stays_unverified(client, sso_northbridge):
    sso_northbridge.user["email_verified"] = False
    sign_in(client)
    assert EmailAddress.objects.get(email="ada@northbridge.example").verified is False
    assert signed_in_user(client) is None


def test_userinfo_alone_cannot_verify_what_the_id_token_does_not(client, sso_northbridge):
    sso_northbridge.id_token_claims = {"email_verified": False}
    sign_in(client)
    assert EmailAddress.objects.get(email="ada@northbridge.example").verified is False


def test_a_lookalike_subdomain_is_not_the_configured_domain(client, sso_northbridge):
    sso_northbridge.user["email"] = "ada@evil-northbridge.example"
    sign_in(client)
    assert EmailAddress.objects.get(email="ada@evil-northbridge.example").verified is False


# --- taking over accounts ------------------------------------------------------------------


def test_a_provider_cannot_take_over_a_local_account_of_its_own_domain(
    client, sso_northbridge, make_user
):
    local = make_user("ada@northbridge.example")
    EmailAddress.objects.update_or_create(
        user=local, email=local.email, defaults={"verified": True, "primary": True}
    )
    sign_in(client)
    assert signed_in_user(client) != local
    assert not SocialAccount.objects.filter(user=local).exists()


def test_a_provider_cannot_take_over_an_account_in_a_domain_it_is_not_for(
    client, sso_northbridge, make_user
):
    local = make_user("bob@other.example")
    EmailAddress.objects.update_or_create(
        user=local, email=local.email, defaults={"verified": True, "primary": True}
    )
    sso_northbridge.user.update(sub="nb-0002", email="bob@other.example")
    sign_in(client)
    assert signed_in_user(client) != local
    assert not SocialAccount.objects.filter(user=local).exists()


def test_email_authentication_stays_off(settings):
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION is False
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT is False
    for app in settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]:
        assert app["settings"]["email_authentication"] is False


# --- tokens the provider (or someone in between) got wrong ---------------------------------


@pytest.mark.parametrize("signing", ["other-key", "none", "tampered"])
def test_a_forged_unsigned_or_tampered_id_token_is_refused(client, sso_northbridge, signing):
    sso_northbridge.sign_with = signing
    assert_refused(sign_in(client))


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "someone-else"},
        {"aud": ["academy", "someone-else"]},
        {"iss": "https://attacker.example"},
        {"nonce": "a-nonce-from-another-sign-in"},
        {"exp": 1_000_000_000},
    ],
    ids=["audience", "shared-audience-without-azp", "issuer", "nonce", "expired"],
)
def test_an_id_token_not_meant_for_this_sign_in_is_refused(client, sso_northbridge, claims):
    sso_northbridge.id_token_claims = claims
    assert_refused(sign_in(client))


def test_a_replayed_state_is_refused(client, sso_northbridge):
    answer = start(client)
    come_back(client, answer)
    account = SocialAccount.objects.get()
    client.logout()
    replay = come_back(client, answer)
    assert replay.status_code == 401
    assert signed_in_user(client) is None
    assert SocialAccount.objects.get() == account


def test_a_callback_started_in_another_browser_is_refused(client, sso_northbridge):
    answer = start(Client())
    assert_refused(come_back(client, answer))


def test_the_nonce_sent_to_the_provider_is_the_one_checked(client, sso_northbridge):
    response = client.post(LOGIN)
    query = parse_qs(urlsplit(response["Location"]).query)
    assert len(query["nonce"][0]) >= 32 and query["code_challenge_method"] == ["S256"]


# --- the provider being down ---------------------------------------------------------------


def test_the_provider_being_down_gives_a_clear_error_page(client, settings, sso_provider, db):
    sso_configure(settings, sso_provider.issuer)
    sso_provider.stop()
    response = client.post(LOGIN)
    assert response.status_code == 503
    assert b"Northbridge University" in response.content
    assert b"could not" in response.content.lower()


def test_an_unknown_provider_is_not_found(client, sso_northbridge):
    assert client.post("/accounts/oidc/southgate/login/").status_code == 404


# --- the login page ------------------------------------------------------------------------


def test_the_login_page_lists_the_configured_providers(client, sso_northbridge):
    html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Northbridge University" in html
    assert 'action="/accounts/oidc/northbridge/login/?process=login"' in html


def test_the_login_page_lists_nothing_when_no_provider_is_configured(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with your university" not in html
    assert "/accounts/oidc/" not in html


def test_a_member_sees_their_connected_university_account(client, sso_northbridge):
    sign_in(client)
    html = client.get(reverse("socialaccount_connections")).content.decode()
    assert "Northbridge University" in html and "Connect Northbridge University" in html


def test_an_outsider_cannot_open_the_connections_page(client, sso_northbridge):
    response = client.get(reverse("socialaccount_connections"))
    assert response.status_code == 302 and "/login/" in response["Location"]
