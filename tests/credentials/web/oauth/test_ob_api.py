"""/ims/ob/v3p0/: discovery, getCredentials, upsertCredential, getProfile, putProfile."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from credentials import services
from credentials.models import ImportedCredential
from credentials.standards import keys
from tests.credentials.factories import make_badge
from tests.credentials.forgery_support import did_key_credential, sign_with_did_key
from tests.credentials.web.oauth import oauth_support as oauth
from tests.credentials.web.oauth.oauth_support import ALL_OB3, OB3

pytestmark = pytest.mark.django_db
URL = "/ims/ob/v3p0/credentials"
PROFILE = "/ims/ob/v3p0/profile"


@pytest.fixture
def ob_alice_awards(uni, oauth_alice):
    """Three signed awards of alice's, of three badges."""
    from credentials.issuing.signing import sign_award

    badges = [make_badge(uni, slug=f"skill-{n}") for n in range(3)]
    return [sign_award(services.award(b, oauth_alice, [])) for b in badges]


@pytest.fixture
def ob_alice_token(client, oauth_app, oauth_alice):
    return oauth.token_for(client, oauth_alice, oauth_app)


@pytest.fixture
def did_key_foreign_credential():
    """An OB 3.0 credential another issuer (a throwaway did:key) signed."""
    key = keys.generate_ed25519_key()
    return sign_with_did_key(did_key_credential("Elsewhere University", key), key)


def assert_imsx(response, status: int, minor: str | None = None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error"
    assert body["imsx_description"]
    field = body["imsx_codeMinor"]["imsx_codeMinorField"][0]
    assert field["imsx_codeMinorFieldName"] == "TargetEndSystem"
    if minor:
        assert field["imsx_codeMinorFieldValue"] == minor


def test_discovery_is_open_and_points_at_registration(client, settings):
    settings.SITE_URL = "https://academy.example"
    body = client.get("/ims/ob/v3p0/discovery").json()
    assert body["servers"] == [{"url": "https://academy.example/ims/ob/v3p0"}]
    assert body["info"]["x-imssf-privacyPolicyUrl"]
    assert body["info"]["x-imssf-image"].startswith("https://academy.example/")
    scheme = body["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-imssf-registrationUrl"] == "https://academy.example/oauth/register"
    flow = scheme["flows"]["authorizationCode"]
    assert flow["tokenUrl"] == flow["refreshUrl"] == "https://academy.example/oauth/token/"
    assert set(flow["scopes"]) == set(ALL_OB3.split())
    ops = {op["operationId"] for path in body["paths"].values() for op in path.values()}
    assert {"getCredentials", "upsertCredential", "getProfile", "putProfile"} <= ops


def test_get_credentials_lists_alice_s_signed_awards_and_imports(
    client, ob_alice_token, ob_alice_awards, oauth_alice
):
    ImportedCredential.objects.create(owner=oauth_alice, key="k1", format="jwt", body="aaa.bbb.ccc")
    response = client.get(URL, **oauth.bearer(ob_alice_token))
    assert response.status_code == 200
    body = response.json()
    assert len(body["credential"]) == 3 and body["compactJwsString"] == ["aaa.bbb.ccc"]
    ids = {c["id"] for c in body["credential"]}
    assert ids == {a.ob3_credential["id"] for a in ob_alice_awards}
    assert response["X-Total-Count"] == "4"


def test_pages_follow_the_link_header_in_a_stable_order(client, ob_alice_token, ob_alice_awards):
    seen, url, pages = [], URL + "?limit=1", 0
    while url:
        response = client.get(url, **oauth.bearer(ob_alice_token))
        seen += [c["id"] for c in response.json()["credential"]]
        links = dict(
            (part.split(";")[1].strip()[5:-1], part.split(";")[0].strip()[1:-1])
            for part in response["Link"].split(",")
        )
        assert "first" in links and "last" in links
        url = links.get("next", "")
        url = urlsplit(url).path + "?" + urlsplit(url).query if url else ""
        pages += 1
    assert pages == 3 and len(set(seen)) == 3
    last = client.get(URL + "?limit=1&offset=2", **oauth.bearer(ob_alice_token))
    prev = [p for p in last["Link"].split(",") if 'rel="prev"' in p][0]
    assert parse_qs(urlsplit(prev.split(";")[0].strip()[1:-1]).query)["offset"] == ["1"]


def test_since_keeps_only_newer_credentials(client, ob_alice_token, ob_alice_awards):
    later = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    response = client.get(URL, {"since": later}, **oauth.bearer(ob_alice_token))
    assert response.json()["credential"] == [] and response["X-Total-Count"] == "0"


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=1000",
        "limit=abc",
        "limit=-1",
        "offset=-3",
        "offset=x",
        "since=garbage",
        "since=2026-13-45T00:00:00Z",
    ],
)
def test_bad_paging_parameters_are_invaliddata(client, ob_alice_token, query):
    assert_imsx(client.get(URL + "?" + query, **oauth.bearer(ob_alice_token)), 400, "invaliddata")


def test_without_a_token_the_api_answers_401_with_www_authenticate(client, oauth_alice):
    client.force_login(oauth_alice)  # a session is not enough
    response = client.get(URL)
    assert_imsx(response, 401, "unauthorisedrequest")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_imsx(client.get(URL, HTTP_AUTHORIZATION="Bearer not-a-token"), 401)


def test_a_token_in_the_query_string_is_refused(client, ob_alice_token):
    assert_imsx(client.get(URL + "?access_token=" + ob_alice_token["access_token"]), 401)


def test_an_expired_token_answers_401(client, ob_alice_token):
    from oauth2_provider.models import AccessToken

    AccessToken.objects.update(expires=timezone.now() - timezone.timedelta(seconds=1))
    assert_imsx(client.get(URL, **oauth.bearer(ob_alice_token)), 401)


def test_a_token_without_the_scope_answers_403(client, oauth_app, oauth_alice):
    token = oauth.token_for(client, oauth_alice, oauth_app, OB3 + "profile.readonly")
    assert_imsx(client.get(URL, **oauth.bearer(token)), 403, "forbidden")
    upsert = client.post(URL, "{}", content_type="application/json", **oauth.bearer(token))
    assert_imsx(upsert, 403)
    assert client.get(PROFILE, **oauth.bearer(token)).status_code == 200


def test_bob_s_token_never_shows_alice_s_credentials(client, oauth_app, ob_alice_awards, oauth_bob):
    token = oauth.token_for(client, oauth_bob, oauth_app)
    response = client.get(URL, **oauth.bearer(token))
    assert response.json() == {"credential": [], "compactJwsString": []}


def test_other_methods_are_405(client, ob_alice_token):
    assert_imsx(client.delete(URL, **oauth.bearer(ob_alice_token)), 405)
    assert_imsx(client.post(PROFILE, **oauth.bearer(ob_alice_token)), 405)


def test_upsert_keeps_a_foreign_credential_byte_for_byte(
    client, ob_alice_token, oauth_alice, did_key_foreign_credential
):
    body = json.dumps(did_key_foreign_credential, indent=3, ensure_ascii=False).encode()
    created = client.post(
        URL, body, content_type="application/json", **oauth.bearer(ob_alice_token)
    )
    assert created.status_code == 201, created.content
    assert created.content == body
    row = ImportedCredential.objects.get(owner=oauth_alice)
    assert row.body.encode() == body and row.application is not None
    again = client.post(URL, body, content_type="application/json", **oauth.bearer(ob_alice_token))
    assert again.status_code == 200 and again.content == body
    assert ImportedCredential.objects.filter(owner=oauth_alice).count() == 1
    listed = client.get(URL, **oauth.bearer(ob_alice_token)).json()
    assert did_key_foreign_credential["id"] in {c["id"] for c in listed["credential"]}


def test_upsert_refuses_wrong_content_type_and_garbage(client, ob_alice_token, oauth_alice):
    wrong = client.post(
        URL, "a=b", content_type="application/x-www-form-urlencoded", **oauth.bearer(ob_alice_token)
    )
    assert_imsx(wrong, 415)
    garbage = client.post(
        URL, "{not json", content_type="application/json", **oauth.bearer(ob_alice_token)
    )
    assert_imsx(garbage, 400)
    assert not ImportedCredential.objects.filter(owner=oauth_alice).exists()


def test_upsert_refuses_an_oversize_body(client, ob_alice_token, oauth_alice):
    body = json.dumps({"pad": "x" * (1024 * 1024 + 10)})
    response = client.post(
        URL, body, content_type="application/json", **oauth.bearer(ob_alice_token)
    )
    assert_imsx(response, 413)
    assert not ImportedCredential.objects.filter(owner=oauth_alice).exists()


def test_upsert_passes_the_service_refusal_on_as_imsx(client, ob_alice_token, monkeypatch):
    from credentials.services import imports

    def refuse(*args, **kwargs):
        raise imports.Rejected("invaliddata", "Not an Open Badges 3.0 credential.")

    monkeypatch.setattr(imports, "upsert", refuse)
    response = client.post(
        URL, "{}", content_type="application/json", **oauth.bearer(ob_alice_token)
    )
    assert_imsx(response, 400, "invaliddata")
    assert response.json()["imsx_description"] == "Not an Open Badges 3.0 credential."


def test_get_profile_has_a_stable_opaque_id_and_the_verified_email(
    client, ob_alice_token, oauth_alice
):
    body = client.get(PROFILE, **oauth.bearer(ob_alice_token)).json()
    assert body["type"] == "Profile" and body["name"] == "Alice Archer"
    assert body["email"] == "alice@example.org"
    assert body["id"].startswith("urn:uuid:") and "alice" not in body["id"]
    assert client.get(PROFILE, **oauth.bearer(ob_alice_token)).json()["id"] == body["id"]


def test_an_unverified_email_is_not_in_the_profile(client, ob_alice_token, oauth_alice):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=oauth_alice).update(verified=False)
    assert "email" not in client.get(PROFILE, **oauth.bearer(ob_alice_token)).json()


def test_put_profile_changes_the_display_name_only(client, ob_alice_token, oauth_alice):
    current = client.get(PROFILE, **oauth.bearer(ob_alice_token)).json()
    body = json.dumps({**current, "name": "  Alice   A. Archer "})
    response = client.put(
        PROFILE, body, content_type="application/json", **oauth.bearer(ob_alice_token)
    )
    assert response.status_code == 200 and response.json()["name"] == "Alice A. Archer"
    oauth_alice.refresh_from_db()
    assert oauth_alice.display_name == "Alice A. Archer"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"email": "mallory@evil.example"}, "email"),
        ({"id": "urn:uuid:00000000-0000-0000-0000-000000000000"}, "id"),
        ({"phone": "123"}, "phone"),
        ({"name": ""}, "name"),
        ({"name": 42}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"name": "Alice\u202eevil"}, "name"),
    ],
)
def test_put_profile_refuses_other_fields_naming_them(
    client, ob_alice_token, oauth_alice, change, field
):
    response = client.put(
        PROFILE,
        json.dumps({"name": "New", **change}),
        content_type="application/json",
        **oauth.bearer(ob_alice_token),
    )
    assert_imsx(response, 400, "invaliddata")
    assert field in response.json()["imsx_description"]
    oauth_alice.refresh_from_db()
    assert oauth_alice.display_name == "Alice Archer"
    assert oauth_alice.email == "alice@example.org"


def test_put_profile_takes_json_only(client, ob_alice_token):
    response = client.put(
        PROFILE, "name=x", content_type="text/plain", **oauth.bearer(ob_alice_token)
    )
    assert_imsx(response, 415)
    bad = client.put(
        PROFILE, "[1]", content_type="application/json", **oauth.bearer(ob_alice_token)
    )
    assert_imsx(bad, 400)


def test_put_profile_needs_the_update_scope(client, oauth_app, oauth_alice):
    token = oauth.token_for(client, oauth_alice, oauth_app, OB3 + "profile.readonly")
    response = client.put(
        PROFILE, json.dumps({"name": "X"}), content_type="application/json", **oauth.bearer(token)
    )
    assert_imsx(response, 403)


@pytest.mark.parametrize(
    "name, value",
    [
        (name, value)
        for name in ("limit", "offset")
        for value in ["²", "١٢", "٣", "1e3", "0x10", " 1", "1.5", "9" * 50, "\x00", "1\n"]
    ]
    + [
        ("since", value)
        for value in [
            "²",
            "\x00",
            "x" * 5000,
            "2026-01-01T00:00:00+99:00",
            "9999-12-31T23:59:59-23:59",
            "2026-02-30T00:00:00Z",
            "٢٠٢٦-01-01T00:00:00Z",
        ]
    ],
    ids=repr,
)
def test_garbage_query_parameters_are_imsx_400_never_500(client, ob_alice_token, name, value):
    response = client.get(URL, {name: value}, **oauth.bearer(ob_alice_token))
    assert_imsx(response, 400, "invaliddata")


def test_discovery_s_privacy_policy_address_is_a_page_that_exists(client, settings):
    settings.SITE_URL = "http://testserver"
    address = client.get("/ims/ob/v3p0/discovery").json()["info"]["x-imssf-privacyPolicyUrl"]
    assert address.startswith("http://testserver/")
    page = client.get(urlsplit(address).path)
    assert page.status_code == 200
    assert "Connected applications" in page.content.decode()
    clr = client.get("/ims/clr/v2p0/discovery").json()["info"]["x-imssf-privacyPolicyUrl"]
    assert clr == address


def test_get_credentials_leaves_out_imports_our_verifier_found_tampered(
    client, ob_alice_token, oauth_alice
):
    for key, verdict in (("k1", "valid"), ("k2", "tampered"), ("k3", ""), ("k4", "revoked")):
        ImportedCredential.objects.create(
            owner=oauth_alice, key=key, format="jwt", body=f"{key}.b.c", verdict=verdict
        )
    response = client.get(URL, **oauth.bearer(ob_alice_token))
    assert sorted(response.json()["compactJwsString"]) == ["k1.b.c", "k3.b.c", "k4.b.c"]
    assert response["X-Total-Count"] == "3"
