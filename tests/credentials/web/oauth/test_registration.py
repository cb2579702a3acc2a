"""POST /oauth/register: RFC 7591 dynamic client registration, strictly checked."""

import json

import pytest
from oauth2_provider.models import get_application_model

from tests.credentials.web.oauth.oauth_support import OB3, REDIRECT

pytestmark = pytest.mark.django_db


def post(client, body, content_type="application/json", **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/oauth/register", data, content_type=content_type, **extra)


def test_registration_creates_a_confidential_code_application_with_a_hashed_secret(client):
    response = post(
        client,
        {
            "client_name": "Skills Wallet",
            "redirect_uris": [REDIRECT, "https://wallet.example/cb"],
            "client_uri": "https://wallet.example",
            "software_id": "skills-wallet",
            "scope": OB3 + "credential.readonly",
            "token_endpoint_auth_method": "client_secret_post",
            "grant_types": ["authorization_code", "refresh_token"],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["client_secret"] and body["client_id"]
    assert body["client_secret_expires_at"] == 0
    assert body["client_uri"] == "https://wallet.example"
    assert body["software_id"] == "skills-wallet"
    app = get_application_model().objects.get(client_id=body["client_id"])
    assert app.name == "Skills Wallet"
    assert app.client_type == "confidential"
    assert app.authorization_grant_type == "authorization-code"
    assert app.hash_client_secret and app.client_secret != body["client_secret"]
    assert app.registration_source == "dcr"
    assert app.redirect_uris.split() == [REDIRECT, "https://wallet.example/cb"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(1)",
        "http://wallet.example/cb",
        "http://127.0.0.1.evil.example/cb",
        "http://localhost.evil.example/cb",
        "https://wallet.example/cb#frag",
        "https://user:pw@wallet.example/cb",
        "data:text/html,hi",
        "/relative/cb",
        "https://wallet.example/c b",
        "",
        42,
    ],
)
def test_a_bad_redirect_uri_is_refused(client, uri):
    response = post(client, {"client_name": "X", "redirect_uris": [uri]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_redirect_uri"
    assert not get_application_model().objects.exists()


@pytest.mark.parametrize(
    "uri", ["http://127.0.0.1:9000/cb", "http://[::1]:9000/cb", "http://localhost/cb"]
)
def test_http_is_accepted_on_loopback_hosts_only(client, uri):
    assert post(client, {"client_name": "X", "redirect_uris": [uri]}).status_code == 201


@pytest.mark.parametrize(
    "change",
    [
        {"redirect_uris": []},
        {"redirect_uris": "https://wallet.example/cb"},
    ],
)
def test_redirect_uris_are_required(client, change):
    response = post(client, {"client_name": "X", **change})
    assert response.json()["error"] == "invalid_redirect_uri"


@pytest.mark.parametrize(
    "change",
    [
        {"client_name": ""},
        {"client_name": None},
        {"client_name": "x" * 201},
        {"client_uri": "http://wallet.example"},
        {"logo_uri": "javascript:alert(1)"},
        {"tos_uri": "https://wallet.example/tos#x"},
        {"policy_uri": "ftp://wallet.example/p"},
        {"scope": OB3 + "credential.readonly https://evil.example/scope/all"},
        {"grant_types": ["client_credentials"]},
        {"grant_types": ["authorization_code", "password"]},
        {"grant_types": "authorization_code"},
        {"response_types": ["token"]},
        {"token_endpoint_auth_method": "none"},
        {"token_endpoint_auth_method": "private_key_jwt"},
        {"software_id": "x" * 500},
    ],
)
def test_bad_client_metadata_is_refused(client, change):
    body = {"client_name": "Skills Wallet", "redirect_uris": [REDIRECT], **change}
    if body["client_name"] is None:
        del body["client_name"]
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert response.json()["error_description"]
    assert not get_application_model().objects.exists()


def test_a_client_name_of_200_characters_is_accepted(client):
    body = {"client_name": "x" * 200, "redirect_uris": [REDIRECT]}
    assert post(client, body).status_code == 201


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_refused(client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"


def test_only_json_is_accepted(client):
    response = client.post("/oauth/register", {"client_name": "X", "redirect_uris": REDIRECT})
    assert response.status_code == 415


def test_an_oversize_registration_is_refused(client):
    body = {"client_name": "X", "redirect_uris": [REDIRECT], "software_version": "v" * 20000}
    response = post(client, body)
    assert response.status_code == 413
    assert not get_application_model().objects.exists()


def test_get_is_not_allowed(client):
    assert client.get("/oauth/register").status_code == 405


def test_registrations_are_rate_limited_per_address(client, settings):
    settings.OAUTH_REGISTRATION_RATE_LIMIT = (2, 3600)
    body = {"client_name": "X", "redirect_uris": [REDIRECT]}
    assert post(client, body).status_code == 201
    assert post(client, body).status_code == 201
    refused = post(client, body)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert post(client, body, REMOTE_ADDR="10.0.0.9").status_code == 201
    assert get_application_model().objects.count() == 3


def test_the_registration_keeps_its_scope_and_what_the_app_says_about_itself(client):
    from credentials.models import OAuthClientRegistration

    response = post(
        client,
        {
            "client_name": "Skills Wallet",
            "redirect_uris": [REDIRECT],
            "client_uri": "https://wallet.example",
            "software_id": "skills-wallet",
            "software_version": "2.1",
            "scope": OB3 + "credential.readonly",
        },
    )
    assert response.status_code == 201
    row = OAuthClientRegistration.objects.get(application__client_id=response.json()["client_id"])
    assert row.scopes == [OB3 + "credential.readonly"]
    assert (row.client_uri, row.software_id, row.software_version) == (
        "https://wallet.example",
        "skills-wallet",
        "2.1",
    )


@pytest.mark.parametrize(
    "name",
    [
        "Co-Create Academy",
        "co create academy",
        "CO·CREATE  ACADEMY",
        "Со-Сreate Асаdemy",  # Cyrillic look-alikes
        "Co-Cre\u00adate Academy",  # a soft hyphen
        "Uni",  # an institution of this platform (the uni fixture)
        "U\u200bni",
    ],
)
def test_a_name_that_reads_as_the_site_s_or_an_institution_s_is_refused(client, uni, name):
    response = post(client, {"client_name": name, "redirect_uris": [REDIRECT]})
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_client_metadata"
    assert not get_application_model().objects.exists()


def test_a_name_that_reads_as_a_wagtail_site_s_name_is_refused(client):
    from wagtail.models import Site

    Site.objects.update(site_name="Academy of Things")
    response = post(client, {"client_name": "Academy of things", "redirect_uris": [REDIRECT]})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "name",
    ["Skills\u202eWallet", "Skills\u2066Wallet\u2069", "Skills\x07Wallet", "Skills\x85Wallet"],
)
def test_a_name_with_control_or_bidi_characters_is_refused(client, name):
    response = post(client, {"client_name": name, "redirect_uris": [REDIRECT]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"


def test_a_name_that_merely_contains_the_site_s_name_is_accepted(client, uni):
    body = {"client_name": "Wallet for Co-Create Academy learners", "redirect_uris": [REDIRECT]}
    assert post(client, body).status_code == 201


GARBAGE = [[], {}, 7, 1.5, True, [[]], [{}], [7], {"a": "b"}]
FIELDS = [
    "client_name",
    "redirect_uris",
    "grant_types",
    "response_types",
    "token_endpoint_auth_method",
    "scope",
    "client_uri",
    "logo_uri",
    "tos_uri",
    "policy_uri",
    "software_id",
    "software_version",
]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", GARBAGE, ids=repr)
def test_garbage_in_any_field_is_a_400_never_a_500(client, field, value):
    body = {"client_name": "Skills Wallet", "redirect_uris": [REDIRECT], field: value}
    response = post(client, body)
    assert response.status_code == 400, (field, value, response.content)
    assert response.json()["error"] in ("invalid_client_metadata", "invalid_redirect_uri")
    assert not get_application_model().objects.exists()


def test_ipv6_registrations_are_counted_per_64_network(client, settings):
    settings.OAUTH_REGISTRATION_RATE_LIMIT = (2, 3600)
    body = {"client_name": "X", "redirect_uris": [REDIRECT]}
    assert post(client, body, REMOTE_ADDR="2001:db8:1:2::1").status_code == 201
    assert post(client, body, REMOTE_ADDR="2001:db8:1:2::2").status_code == 201
    # Another address of the same /64 is the same client.
    assert post(client, body, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert post(client, body, REMOTE_ADDR="2001:db8:1:3::1").status_code == 201
