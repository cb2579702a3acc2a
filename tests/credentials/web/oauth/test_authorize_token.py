"""/oauth/authorize/, /oauth/token/, /oauth/revoke/: the code flow with PKCE S256 only."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.credentials.web.oauth import oauth_support as oauth
from tests.credentials.web.oauth.oauth_support import ALL_OB3, OB3, REDIRECT

pytestmark = pytest.mark.django_db


def test_the_authorize_page_asks_to_sign_in_first(client, oauth_app):
    _verifier, challenge = oauth.pkce()
    params = oauth.authorize_params(oauth_app, ALL_OB3, challenge)
    response = client.get("/oauth/authorize/", params)
    assert response.status_code == 302
    assert "/login" in response["Location"] and "next=" in response["Location"]


def test_the_consent_page_names_the_app_as_it_calls_itself_its_host_and_scopes(
    client, oauth_app, oauth_alice
):
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    page = client.get("/oauth/authorize/", oauth.authorize_params(oauth_app, ALL_OB3, challenge))
    html = page.content.decode()
    assert "Skills Wallet" in html
    assert "We have not checked who runs it" in html
    assert "127.0.0.1:8765" in html
    assert "See every credential in your backpack" in html
    assert "Change the name on your profile" in html
    assert 'name="allow"' in html


def test_the_consent_page_lets_the_form_redirect_to_the_validated_origin_only(
    client, oauth_app, oauth_alice
):
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    page = client.get("/oauth/authorize/", oauth.authorize_params(oauth_app, ALL_OB3, challenge))
    policy = page["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert "http://127.0.0.1:8765" in form_action
    # A redirect URI the application did not register adds nothing.
    params = oauth.authorize_params(oauth_app, ALL_OB3, challenge)
    params["redirect_uri"] = "https://evil.example/cb"
    refused = client.get("/oauth/authorize/", params)
    assert "evil.example" not in refused["Content-Security-Policy"]
    # Elsewhere the policy is the site's.
    assert "127.0.0.1:8765" not in client.get("/credentials/mine/")["Content-Security-Policy"]


def test_the_code_flow_with_s256_gives_tokens_and_the_refresh_token_rotates(
    client, oauth_app, oauth_alice
):
    token = oauth.token_for(client, oauth_alice, oauth_app)
    assert token["token_type"] == "Bearer" and token["refresh_token"]
    refreshed = client.post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": token["refresh_token"],
            "client_id": oauth_app["client_id"],
            "client_secret": oauth_app["client_secret"],
        },
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["refresh_token"] != token["refresh_token"]
    again = client.post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": token["refresh_token"],
            "client_id": oauth_app["client_id"],
            "client_secret": oauth_app["client_secret"],
        },
    )
    assert again.status_code == 400
    # Replaying the rotated-away refresh token revoked the tokens that replaced it.
    url = "/ims/ob/v3p0/credentials"
    assert client.get(url, **oauth.bearer(refreshed.json())).status_code == 401


def test_without_pkce_there_is_no_code(client, oauth_app, oauth_alice):
    client.force_login(oauth_alice)
    params = oauth.authorize_params(oauth_app, ALL_OB3, "")
    response = client.get("/oauth/authorize/", params)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert "code" not in query and query["error"] == ["invalid_request"]


def test_a_plain_pkce_challenge_is_refused(client, oauth_app, oauth_alice):
    client.force_login(oauth_alice)
    params = oauth.authorize_params(oauth_app, ALL_OB3, "a" * 50, method="plain")
    assert client.get("/oauth/authorize/", params).status_code == 400
    del params["code_challenge_method"]  # a challenge without a method is plain
    assert client.get("/oauth/authorize/", params).status_code == 400
    # Posting the consent form anyway gets no code either.
    params["code_challenge_method"] = "plain"
    response = client.post("/oauth/authorize/", {**params, "allow": "1"})
    query = parse_qs(urlsplit(response["Location"]).query)
    assert "code" not in query and "error" in query


def test_a_wrong_verifier_gets_no_token(client, oauth_app, oauth_alice):
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    code = oauth.get_code(client, oauth_app, ALL_OB3, challenge)
    response = oauth.exchange(client, oauth_app, code, oauth.pkce()[0])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_code_works_once(client, oauth_app, oauth_alice):
    client.force_login(oauth_alice)
    verifier, challenge = oauth.pkce()
    code = oauth.get_code(client, oauth_app, ALL_OB3, challenge)
    assert oauth.exchange(client, oauth_app, code, verifier).status_code == 200
    assert oauth.exchange(client, oauth_app, code, verifier).status_code == 400


def test_a_wrong_client_secret_gets_no_token(client, oauth_app, oauth_alice):
    client.force_login(oauth_alice)
    verifier, challenge = oauth.pkce()
    code = oauth.get_code(client, oauth_app, ALL_OB3, challenge)
    response = oauth.exchange(client, {**oauth_app, "client_secret": "nope"}, code, verifier)
    assert response.status_code == 401


def test_denying_sends_access_denied_back(client, oauth_app, oauth_alice):
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    params = oauth.authorize_params(oauth_app, ALL_OB3, challenge)
    client.get("/oauth/authorize/", params)
    response = client.post("/oauth/authorize/", params)
    assert response["Location"].startswith(REDIRECT)
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]


def test_an_unregistered_redirect_uri_is_not_followed(client, oauth_app, oauth_alice):
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    params = oauth.authorize_params(oauth_app, ALL_OB3, challenge)
    params["redirect_uri"] = "https://evil.example/cb"
    response = client.get("/oauth/authorize/", params)
    assert response.status_code == 400
    assert "evil.example" not in response.get("Location", "")


def test_a_revoked_token_no_longer_reaches_the_api(client, oauth_app, oauth_alice):
    token = oauth.token_for(client, oauth_alice, oauth_app, OB3 + "credential.readonly")
    url = "/ims/ob/v3p0/credentials"
    assert client.get(url, **oauth.bearer(token)).status_code == 200
    revoked = client.post(
        "/oauth/revoke/",
        {
            "token": token["access_token"],
            "client_id": oauth_app["client_id"],
            "client_secret": oauth_app["client_secret"],
        },
    )
    assert revoked.status_code == 200
    assert client.get(url, **oauth.bearer(token)).status_code == 401


def test_the_pre_authorized_code_grant_goes_to_the_wallet_view(client, monkeypatch):
    from django.http import JsonResponse

    from credentials.web.wallet import views as wallet_views

    seen = []

    def pre_authorized_token(request):
        seen.append(request.POST["pre-authorized_code"])
        return JsonResponse({"access_token": "w", "token_type": "Bearer"})

    monkeypatch.setattr(wallet_views, "pre_authorized_token", pre_authorized_token, raising=False)
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            "pre-authorized_code": "abc",
        },
    )
    assert response.status_code == 200 and seen == ["abc"]


def test_tokens_are_kept_at_rest_as_checksums_only_and_still_work(client, oauth_app, oauth_alice):
    import hashlib

    from oauth2_provider.models import AccessToken, RefreshToken

    token = oauth.token_for(client, oauth_alice, oauth_app)
    access = AccessToken.objects.get(user=oauth_alice)
    refresh = RefreshToken.objects.get(user=oauth_alice)
    assert token["access_token"] not in (access.token, access.token_checksum)
    assert token["refresh_token"] not in (refresh.token, refresh.token_checksum)
    assert access.token_checksum == hashlib.sha256(token["access_token"].encode()).hexdigest()
    # Looked up by checksum: the API, a refresh and a revocation all still work.
    assert client.get("/ims/ob/v3p0/credentials", **oauth.bearer(token)).status_code == 200
    refreshed = client.post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": token["refresh_token"],
            "client_id": oauth_app["client_id"],
            "client_secret": oauth_app["client_secret"],
        },
    ).json()
    assert refreshed["access_token"]
    assert not AccessToken.objects.filter(token=refreshed["access_token"]).exists()
    revoked = client.post(
        "/oauth/revoke/",
        {
            "token": refreshed["access_token"],
            "client_id": oauth_app["client_id"],
            "client_secret": oauth_app["client_secret"],
        },
    )
    assert revoked.status_code == 200
    assert client.get("/ims/ob/v3p0/credentials", **oauth.bearer(refreshed)).status_code == 401


def test_the_authorization_response_names_us_as_issuer(client, oauth_app, oauth_alice, settings):
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    params = oauth.authorize_params(oauth_app, ALL_OB3, challenge)
    client.get("/oauth/authorize/", params)
    allowed = client.post("/oauth/authorize/", {**params, "allow": "1"})
    issuer = client.get("/.well-known/oauth-authorization-server").json()["issuer"]
    assert parse_qs(urlsplit(allowed["Location"]).query)["iss"] == [issuer]
    denied = client.post("/oauth/authorize/", params)
    assert parse_qs(urlsplit(denied["Location"]).query)["iss"] == [issuer]


def test_approval_prompt_auto_still_shows_the_consent_page(client, oauth_app, oauth_alice):
    oauth.token_for(client, oauth_alice, oauth_app)  # alice already holds a live token
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    params = {**oauth.authorize_params(oauth_app, ALL_OB3, challenge), "approval_prompt": "auto"}
    response = client.get("/oauth/authorize/", params)
    assert response.status_code == 200
    assert 'name="allow"' in response.content.decode()


def test_an_app_may_not_ask_for_more_than_the_scope_it_registered(client, oauth_alice):
    app = oauth.register(client, scope=OB3 + "credential.readonly")
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    asked = OB3 + "credential.readonly " + OB3 + "profile.update"
    more = oauth.authorize_params(app, asked, challenge)
    response = client.get("/oauth/authorize/", more)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        query = parse_qs(urlsplit(response["Location"]).query)
        assert query["error"] == ["invalid_scope"] and "code" not in query
    # Posting the consent form anyway gets no code either.
    posted = client.post("/oauth/authorize/", {**more, "allow": "1"})
    assert "code" not in parse_qs(urlsplit(posted.get("Location", "")).query)
    # What it registered for is fine.
    fine = oauth.authorize_params(app, OB3 + "credential.readonly", challenge)
    assert client.get("/oauth/authorize/", fine).status_code == 200


def test_the_consent_headline_never_gives_the_app_s_name_as_an_identity(
    client, oauth_app, oauth_alice
):
    client.force_login(oauth_alice)
    _verifier, challenge = oauth.pkce()
    page = client.get("/oauth/authorize/", oauth.authorize_params(oauth_app, ALL_OB3, challenge))
    html = page.content.decode()
    headline = html.split("<h1>")[1].split("</h1>")[0]
    assert "An application calling itself “Skills Wallet” asks" in " ".join(headline.split())


@pytest.mark.parametrize(
    "body",
    [
        "&".join(f"f{n}=1" for n in range(1200)),  # more fields than Django reads
        "grant_type=authorization_code&pad=" + "x" * (3 * 1024 * 1024),  # over the body cap
    ],
    ids=["too-many-fields", "too-large"],
)
def test_a_token_request_django_refuses_gets_an_oauth_error_not_a_page(client, settings, body):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    response = client.post(
        "/oauth/token/", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "invalid_request"
