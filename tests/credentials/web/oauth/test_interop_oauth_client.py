"""An OAuth client we did not write (panva's oauth4webapi, from npm, run with Node) registers
from our OB 3.0 discovery document, is authorised by alice with PKCE S256, pages through
getCredentials, upserts a credential another issuer signed, reads her profile, and gets 401
once she revokes it on her Connected applications page."""

import json
from html.parser import HTMLParser

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client
from oauth2_provider.models import Application

from credentials import services
from credentials.issuing.signing import sign_award
from credentials.models import ImportedCredential
from credentials.standards import keys
from tests.credentials.factories import make_badge, make_issuer
from tests.credentials.forgery_support import did_key_credential, sign_with_did_key
from tests.credentials.web.oauth.interop_support import NodeClient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.interop]


class HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def browser_of(user, base_url: str) -> requests.Session:
    """A requests session signed in as ``user`` on the live server."""
    django_client = Client()
    django_client.force_login(user)
    session = requests.Session()
    name = django_settings.SESSION_COOKIE_NAME
    session.cookies.set(name, django_client.cookies[name].value)
    return session


def consent(session: requests.Session, url: str) -> str:
    """Open the authorisation URL, allow, and follow the redirect to the client's listener."""
    page = session.get(url, allow_redirects=False, timeout=30)
    assert page.status_code == 200, page.text[:500]
    assert "Interop Test Wallet" in page.text
    token = page.cookies.get(django_settings.CSRF_COOKIE_NAME)
    session.cookies.set(django_settings.CSRF_COOKIE_NAME, token)
    parser = HiddenInputs()
    parser.feed(page.text)
    allowed = session.post(
        page.url, data={**parser.fields, "allow": "1"}, allow_redirects=False, timeout=30
    )
    assert allowed.status_code == 302, allowed.text[:500]
    location = allowed.headers["Location"]
    assert location.startswith("http://127.0.0.1:")
    requests.get(location, timeout=30)
    return location


@pytest.fixture
def oauth_interop_alice(live_server, settings, tmp_path, make_user):
    from cms import roles

    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    alice = make_user("alice@example.org", roles.LEARNERS, display_name="Alice Archer")
    issuer = make_issuer("uni", country="NL")
    for n in range(3):
        sign_award(services.award(make_badge(issuer, slug=f"skill-{n}"), alice, []))
    return alice


def test_an_npm_oauth_client_registers_lists_upserts_and_is_revoked(
    live_server, oauth_interop_alice, tmp_path
):
    key = keys.generate_ed25519_key()
    foreign = sign_with_did_key(did_key_credential("Elsewhere University", key), key)
    credential_file = tmp_path / "foreign.json"
    credential_file.write_bytes(json.dumps(foreign, indent=2).encode())
    client = NodeClient(
        live_server.url + "/ims/ob/v3p0/discovery", credential_file, "application/json"
    )
    try:
        client.expect("registered")
        authorize = client.expect("authorize")["url"]
        consent(browser_of(oauth_interop_alice, live_server.url), authorize)
        assert client.expect("token")["refresh"] is True
        pages = client.expect("pages")
        assert pages["pages"] == 3 and pages["total"] == 3 and len(set(pages["ids"])) == 3
        upsert = client.expect("upsert")
        assert upsert == {"event": "upsert", "status": 201, "same_bytes": True}
        profile = client.expect("profile")["profile"]
        assert profile["name"] == "Alice Archer" and profile["type"] == "Profile"
        client.expect("waiting")
        imported = ImportedCredential.objects.get(owner=oauth_interop_alice)
        assert imported.credential_id == foreign["id"]
        app = Application.objects.get(name="Interop Test Wallet")
        assert imported.application_id == app.pk
        learner = Client()
        learner.force_login(oauth_interop_alice)
        learner.post(f"/credentials/mine/apps/{app.pk}/revoke/")
        client.go_on()
        after = client.expect("after")
        assert after["status"] == 401 and after["www_authenticate"].startswith("Bearer")
    finally:
        client.close()
