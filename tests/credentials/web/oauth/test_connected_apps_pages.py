"""/credentials/mine/apps/: a learner's connected applications, and revoking one."""

import pytest
from oauth2_provider.models import AccessToken, RefreshToken

from tests.credentials.web.oauth import oauth_support as oauth

pytestmark = pytest.mark.django_db
PAGE = "/credentials/mine/apps/"


def app_id(oauth_app):
    from oauth2_provider.models import Application

    return Application.objects.get(client_id=oauth_app["client_id"]).pk


def test_alice_sees_the_app_she_authorised_and_the_backpack_links_there(
    client, oauth_app, oauth_alice
):
    oauth.token_for(client, oauth_alice, oauth_app)
    client.force_login(oauth_alice)
    html = client.get(PAGE).content.decode()
    assert "Skills Wallet" in html and "127.0.0.1:8765" in html
    assert "Add credentials from other issuers to your backpack" in html
    assert PAGE in client.get("/credentials/mine/").content.decode()


def test_alice_revokes_and_the_app_gets_401(client, oauth_app, oauth_alice):
    token = oauth.token_for(client, oauth_alice, oauth_app)
    client.force_login(oauth_alice)
    response = client.post(f"{PAGE}{app_id(oauth_app)}/revoke/", follow=True)
    assert "can no longer reach your backpack" in response.content.decode()
    assert not AccessToken.objects.filter(user=oauth_alice).exists()
    assert not RefreshToken.objects.filter(user=oauth_alice).exists()
    assert "Skills Wallet" not in client.get(PAGE).content.decode()
    assert client.get("/ims/ob/v3p0/credentials", **oauth.bearer(token)).status_code == 401
    again = client.post(f"{PAGE}{app_id(oauth_app)}/revoke/", follow=True)
    assert again.status_code == 200


def test_charlie_neither_sees_nor_revokes_alice_s_app(
    client, oauth_app, oauth_alice, oauth_charlie
):
    token = oauth.token_for(client, oauth_alice, oauth_app)
    client.force_login(oauth_charlie)
    assert "Skills Wallet" not in client.get(PAGE).content.decode()
    client.post(f"{PAGE}{app_id(oauth_app)}/revoke/")
    assert client.get("/ims/ob/v3p0/credentials", **oauth.bearer(token)).status_code == 200


def test_revoking_needs_a_post_with_csrf_and_a_sign_in(client, oauth_app, oauth_alice):
    from django.test import Client

    token = oauth.token_for(client, oauth_alice, oauth_app)
    assert client.get(PAGE).status_code == 302
    client.force_login(oauth_alice)
    assert client.get(f"{PAGE}{app_id(oauth_app)}/revoke/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(oauth_alice)
    assert strict.post(f"{PAGE}{app_id(oauth_app)}/revoke/").status_code == 403
    assert client.get("/ims/ob/v3p0/credentials", **oauth.bearer(token)).status_code == 200


def test_the_page_never_gives_the_app_s_name_as_an_identity(client, oauth_app, oauth_alice):
    oauth.token_for(client, oauth_alice, oauth_app)
    client.force_login(oauth_alice)
    html = client.get(PAGE).content.decode()
    heading = " ".join(html.split("<h2>")[1].split("</h2>")[0].split())
    assert heading == "An application calling itself “Skills Wallet”"
    response = client.post(f"{PAGE}{app_id(oauth_app)}/revoke/", follow=True)
    assert "The application calling itself “Skills Wallet” can no longer" in " ".join(
        response.content.decode().split()
    )
