"""Signing in with a university's SAML identity provider (eduGAIN), through allauth's views.

The IdP is tests/support/saml_idp.py: a key and certificate made for the test, and responses
built and signed as an IdP would post them to our assertion consumer service.
"""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from cms.sso.config import saml_apps
from tests.cms.test_sign_in_with_provider import assert_refused, signed_in_user
from tests.support import saml_idp

User = get_user_model()
BASE = "/accounts/saml/southgate/"
# python3-saml refuses single-label hosts such as "testserver" in our own URLs.
HOST = "academy.example"
ACS = f"http://{HOST}{BASE}acs/"
SP_ENTITY_ID = f"http://{HOST}{BASE}metadata/"


@pytest.fixture(scope="module")
def saml_idp_keys():
    return saml_idp.key_and_certificate()


@pytest.fixture
def saml_client(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return Client(HTTP_HOST=HOST)


@pytest.fixture
def saml_southgate(settings, saml_idp_keys, db):
    entry = {
        "id": "southgate",
        "name": "Southgate University",
        "entity_id": saml_idp.ENTITY_ID,
        "sso_url": saml_idp.SSO_URL,
        "x509cert": saml_idp_keys[1],
        "email_domains": ["southgate.example"],
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "saml": {"APPS": saml_apps(json.dumps([entry]))},
    }
    return saml_idp_keys


def saml_sign_in(client, sign=None, email="sam@southgate.example", tamper=None):
    """Start at our login, answer as the IdP with an assertion (signed by ``sign(xml)``)."""
    started = client.post(f"{BASE}login/")
    assert started.status_code == 302 and started["Location"].startswith(saml_idp.SSO_URL)
    in_response_to = saml_idp.request_id(started["Location"])
    xml = saml_idp.assertion(
        acs=ACS, audience=SP_ENTITY_ID, in_response_to=in_response_to, email=email, uid="sam-1"
    )
    if sign:
        xml = sign(xml)
    if tamper:
        xml = tamper(xml)
    form = {
        "SAMLResponse": saml_idp.response(acs=ACS, in_response_to=in_response_to, the_assertion=xml)
    }
    posted = client.post(f"{BASE}acs/", form)
    assert posted.status_code == 302
    return client.get(posted["Location"])


def test_our_service_provider_metadata_is_served(saml_client, saml_southgate):
    response = saml_client.get(f"{BASE}metadata/")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f'entityID="{SP_ENTITY_ID}"' in xml
    assert f'Location="{ACS}"' in xml
    assert 'WantAssertionsSigned="true"' in xml


def test_an_unknown_idp_has_no_metadata(saml_client, saml_southgate):
    assert saml_client.get("/accounts/saml/elsewhere/metadata/").status_code == 404


def test_a_correctly_signed_assertion_signs_in_with_a_verified_address(saml_client, saml_southgate):
    key, certificate = saml_southgate
    response = saml_sign_in(saml_client, sign=lambda xml: saml_idp.sign(xml, key, certificate))
    assert response.status_code == 302
    user = signed_in_user(saml_client)
    assert user is not None and user.email == "sam@southgate.example"
    assert EmailAddress.objects.get(user=user).verified is True
    assert SocialAccount.objects.get(user=user).provider == "southgate"


def test_an_address_outside_the_idps_domains_stays_unverified(saml_client, saml_southgate):
    key, certificate = saml_southgate
    saml_sign_in(
        saml_client,
        sign=lambda xml: saml_idp.sign(xml, key, certificate),
        email="sam@gmail.example",
    )
    assert EmailAddress.objects.get(email="sam@gmail.example").verified is False
    assert signed_in_user(saml_client) is None


def test_an_unsigned_assertion_is_refused(saml_client, saml_southgate):
    assert_refused(saml_sign_in(saml_client))


def test_an_assertion_signed_by_another_key_is_refused(saml_client, saml_southgate):
    key, certificate = saml_idp.key_and_certificate()
    assert_refused(saml_sign_in(saml_client, sign=lambda xml: saml_idp.sign(xml, key, certificate)))


def test_an_assertion_changed_after_signing_is_refused(saml_client, saml_southgate):
    key, certificate = saml_southgate
    assert_refused(
        saml_sign_in(
            saml_client,
            sign=lambda xml: saml_idp.sign(xml, key, certificate),
            tamper=lambda xml: xml.replace("sam@southgate.example", "rector@southgate.example"),
        )
    )
