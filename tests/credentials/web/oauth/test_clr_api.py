"""/ims/clr/v2p0/: discovery and the learner's signed records."""

import pytest

from tests.credentials.web.oauth import oauth_support as oauth
from tests.credentials.web.oauth.oauth_support import CLR, OB3

pytestmark = pytest.mark.django_db
URL = "/ims/clr/v2p0/credentials"


def test_clr_discovery_names_its_scope_and_registration(client):
    body = client.get("/ims/clr/v2p0/discovery").json()
    scheme = body["components"]["securitySchemes"]["OAuth2ACG"]
    assert list(scheme["flows"]["authorizationCode"]["scopes"]) == [CLR + "credential.readonly"]
    assert scheme["x-imssf-registrationUrl"].endswith("/oauth/register")
    assert body["servers"][0]["url"].endswith("/ims/clr/v2p0")


def test_clr_credentials_hands_out_the_service_s_records(
    client, oauth_app, oauth_alice, monkeypatch
):
    from credentials.services import clr

    seen = []

    def signed_records(user):
        seen.append(user)
        return [{"type": ["VerifiableCredential", "ClrCredential"], "id": "urn:uuid:1"}]

    monkeypatch.setattr(clr, "signed_records", signed_records)
    token = oauth.token_for(client, oauth_alice, oauth_app, CLR + "credential.readonly")
    body = client.get(URL, **oauth.bearer(token)).json()
    assert body["clrCredential"][0]["id"] == "urn:uuid:1" and body["compactJwsString"] == []
    assert seen == [oauth_alice]


def test_clr_credentials_need_the_clr_scope(client, oauth_app, oauth_alice):
    token = oauth.token_for(client, oauth_alice, oauth_app, OB3 + "credential.readonly")
    assert client.get(URL, **oauth.bearer(token)).status_code == 403
    assert client.get(URL).status_code == 401


def test_a_learner_without_awards_has_no_records(client, oauth_app, oauth_bob):
    token = oauth.token_for(client, oauth_bob, oauth_app, CLR + "credential.readonly")
    assert client.get(URL, **oauth.bearer(token)).json()["clrCredential"] == []


def test_discovery_documents_answer_other_methods_with_imsx_405(client):
    for url in ("/ims/clr/v2p0/discovery", "/ims/ob/v3p0/discovery"):
        response = client.post(url)
        assert response.status_code == 405
        assert response.json()["imsx_codeMajor"] == "failure"
