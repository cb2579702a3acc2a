"""/.well-known/oauth-authorization-server (RFC 8414)."""

from tests.credentials.web.oauth.oauth_support import ALL_OB3, CLR


def test_the_metadata_names_our_endpoints_under_the_site_url(client, settings):
    settings.SITE_URL = "https://academy.example"
    body = client.get("/.well-known/oauth-authorization-server").json()
    assert body["issuer"] == "https://academy.example"
    assert body["authorization_endpoint"] == "https://academy.example/oauth/authorize/"
    assert body["token_endpoint"] == "https://academy.example/oauth/token/"
    assert body["registration_endpoint"] == "https://academy.example/oauth/register"
    assert body["revocation_endpoint"] == "https://academy.example/oauth/revoke/"
    assert set(ALL_OB3.split()) | {CLR + "credential.readonly"} == set(body["scopes_supported"])
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["response_types_supported"] == ["code"]
    assert "urn:ietf:params:oauth:grant-type:pre-authorized_code" in body["grant_types_supported"]
    assert body["pre-authorized_grant_anonymous_access_supported"] is True
    assert set(body["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
    }


def test_the_metadata_says_authorization_responses_carry_iss(client):
    body = client.get("/.well-known/oauth-authorization-server").json()
    assert body["authorization_response_iss_parameter_supported"] is True
