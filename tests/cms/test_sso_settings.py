"""OIDC_PROVIDERS / SAML_PROVIDERS: what start-up accepts, what stops it, and whose word counts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.sso.adapter import provider_vouches_for
from cms.sso.config import oidc_apps, provider_apps, saml_apps, sign_in_origins

ROOT = Path(__file__).resolve().parents[2]

NORTHBRIDGE = {
    "id": "northbridge",
    "name": "Northbridge University",
    "server_url": "https://login.northbridge.example/realms/staff",
    "client_id": "academy",
    "secret": "s3cret",
    "email_domains": ["Northbridge.example", "@students.northbridge.example"],
}
SOUTHGATE = {
    "id": "southgate",
    "name": "Southgate University",
    "entity_id": "https://idp.southgate.example/idp/shibboleth",
    "sso_url": "https://idp.southgate.example/idp/profile/SAML2/Redirect/SSO",
    "x509cert": "MIIC...",
    "email_domains": ["southgate.example"],
}


def test_an_oidc_provider_becomes_an_allauth_app():
    (app,) = oidc_apps(json.dumps([NORTHBRIDGE]))
    assert (app["provider_id"], app["name"], app["client_id"], app["secret"]) == (
        "northbridge",
        "Northbridge University",
        "academy",
        "s3cret",
    )
    assert app["settings"] == {
        "server_url": "https://login.northbridge.example/realms/staff",
        "email_domains": ["northbridge.example", "students.northbridge.example"],
        "oauth_pkce_enabled": True,
        "email_authentication": False,
    }


def test_no_providers_is_an_empty_list():
    assert oidc_apps(None) == oidc_apps("") == oidc_apps("[]") == []


def test_a_saml_provider_becomes_an_allauth_app_that_wants_signed_assertions():
    (app,) = saml_apps(json.dumps([SOUTHGATE]))
    assert (app["client_id"], app["provider_id"]) == ("southgate", "southgate")
    assert app["settings"]["idp"] == {
        "entity_id": SOUTHGATE["entity_id"],
        "sso_url": SOUTHGATE["sso_url"],
        "x509cert": "MIIC...",
    }
    assert app["settings"]["advanced"]["want_assertion_signed"] is True
    assert app["settings"]["advanced"]["strict"] is True


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": "northbridge"}', "JSON list"),
        ('["northbridge"]', "entry 0: must be a JSON object"),
        (json.dumps([{**NORTHBRIDGE, "email_domain": ["x.example"]}]), "unknown key(s)"),
        (json.dumps([{**NORTHBRIDGE, "id": "North Bridge"}]), "'id' must be lowercase"),
        (json.dumps([NORTHBRIDGE, NORTHBRIDGE]), "appears twice"),
        (json.dumps([{**NORTHBRIDGE, "name": ""}]), "'name' must be a non-empty string"),
        (json.dumps([{**NORTHBRIDGE, "client_id": 7}]), "'client_id' must be a non-empty"),
        (json.dumps([{**NORTHBRIDGE, "server_url": "http://login.example"}]), "https://"),
        (json.dumps([{**NORTHBRIDGE, "server_url": "https://"}]), "has no host"),
        (json.dumps([{**NORTHBRIDGE, "email_domains": "x.example"}]), "list of domain names"),
        (json.dumps([{**NORTHBRIDGE, "email_domains": ["*.example"]}]), "is not a domain"),
    ],
)
def test_a_bad_oidc_value_names_the_problem(value, message):
    with pytest.raises(ImproperlyConfigured) as error:
        oidc_apps(value)
    assert message in str(error.value)
    assert str(error.value).startswith("OIDC_PROVIDERS: ")


def test_plain_http_is_allowed_on_loopback_only():
    (app,) = oidc_apps(json.dumps([{**NORTHBRIDGE, "server_url": "http://127.0.0.1:9000"}]))
    assert app["settings"]["server_url"] == "http://127.0.0.1:9000"


def test_a_saml_provider_needs_metadata_or_a_certificate():
    entry = {key: value for key, value in SOUTHGATE.items() if key != "x509cert"}
    with pytest.raises(ImproperlyConfigured, match="'metadata_url' or both"):
        saml_apps(json.dumps([entry]))


def test_an_id_cannot_name_both_an_oidc_and_a_saml_provider():
    with pytest.raises(ImproperlyConfigured, match="already name an OIDC_PROVIDERS entry"):
        provider_apps(json.dumps([NORTHBRIDGE]), json.dumps([{**SOUTHGATE, "id": "northbridge"}]))


def test_the_providers_origins_may_receive_the_sign_in_redirect():
    oidc, saml = provider_apps(json.dumps([NORTHBRIDGE]), json.dumps([SOUTHGATE]))
    assert sign_in_origins(oidc, saml) == [
        "https://login.northbridge.example",
        "https://idp.southgate.example",
    ]


def test_a_bad_value_stops_start_up_with_a_clear_message():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    env["OIDC_PROVIDERS"] = json.dumps([{**NORTHBRIDGE, "email_domains": ["not a domain"]}])
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: OIDC_PROVIDERS: provider 'northbridge':" in result.stderr
    assert "'not a domain' in 'email_domains' is not a domain name" in result.stderr


@pytest.mark.parametrize(
    ("email", "claimed", "vouches"),
    [
        ("ada@northbridge.example", True, True),
        ("ADA@Northbridge.Example", True, True),
        ("ada@northbridge.example", False, False),
        ("ada@students.northbridge.example", True, True),
        ("ada@other.example", True, False),
        ("ada@northbridge.example.evil.example", True, False),
        ("ada@evil-northbridge.example", True, False),
    ],
)
def test_a_provider_vouches_only_for_claimed_addresses_in_its_domains(email, claimed, vouches):
    settings = oidc_apps(json.dumps([NORTHBRIDGE]))[0]["settings"]
    assert provider_vouches_for(settings, email, claimed) is vouches


def test_a_saml_idp_vouches_for_its_own_domains_without_a_claim():
    settings = saml_apps(json.dumps([SOUTHGATE]))[0]["settings"]
    assert provider_vouches_for(settings, "sam@southgate.example", False) is True
    assert provider_vouches_for(settings, "sam@northbridge.example", True) is False


def test_a_provider_with_no_domains_vouches_for_nothing():
    settings = oidc_apps(json.dumps([{**NORTHBRIDGE, "email_domains": []}]))[0]["settings"]
    assert provider_vouches_for(settings, "ada@northbridge.example", True) is False
