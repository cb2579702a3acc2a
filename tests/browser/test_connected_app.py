"""A learner connects an application to her backpack and takes its access back.

The application is an OAuth client we did not write (panva's oauth4webapi from npm, run with
Node): it registers itself from our OB 3.0 discovery document and prints the authorisation
URL; alice opens it, reads the consent page (the name the application gives itself, where it
sends her back, what it may do) and allows. The client then lists her credentials page by
page, upserts one another issuer (a did:key) signed, which appears in her backpack, and reads
her profile. She revokes it on her Connected applications page; its next call gets 401.
The consent form's redirect to the client's loopback address passes the Content-Security-
Policy (the site fixture fails any test that meets a violation).
"""

import json

import pytest
from playwright.sync_api import Page, expect

from credentials.standards import keys
from tests.browser.helpers import PASSWORD, check_page, log_in
from tests.credentials.forgery_support import did_key_credential, sign_with_did_key
from tests.credentials.web.oauth.interop_support import NodeClient

pytestmark = pytest.mark.interop


@pytest.fixture
def journey_alice_with_awards(site, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from cms import roles
    from credentials import services
    from credentials.issuing.signing import sign_award
    from tests.credentials.factories import make_badge, make_issuer

    settings.SITE_URL = site.url
    settings.MEDIA_ROOT = tmp_path / "media"
    alice = get_user_model().objects.create_user(
        email="alice@example.org", password=PASSWORD, display_name="Alice"
    )
    roles.grant(alice, roles.LEARNERS)
    issuer = make_issuer("uni", country="NL")
    for slug in ("opportunity-spotter", "value-creator"):
        sign_award(services.award(make_badge(issuer, slug=slug), alice, []))
    return alice


def test_learner_authorises_an_application_then_revokes_it(
    page: Page, site, journey_alice_with_awards, journey_width, tmp_path
):
    key = keys.generate_ed25519_key()
    foreign = sign_with_did_key(did_key_credential("Elsewhere University", key), key)
    credential_file = tmp_path / "foreign.json"
    credential_file.write_bytes(json.dumps(foreign, indent=2).encode())

    log_in(page, site.url, "alice@example.org")
    client = NodeClient(site.url + "/ims/ob/v3p0/discovery", credential_file, "application/json")
    try:
        client.expect("registered")
        page.goto(client.expect("authorize")["url"])
        expect(page.get_by_role("heading", level=1)).to_contain_text("Interop Test Wallet")
        expect(page.get_by_text("We have not checked who runs it.")).to_be_visible()
        expect(page.get_by_text("See every credential in your backpack")).to_be_visible()
        check_page(page, "oauth-consent")
        page.get_by_role("button", name="Allow").click()
        expect(page.get_by_text("You can close this window.")).to_be_visible()

        assert client.expect("token")["refresh"] is True
        pages = client.expect("pages")
        assert pages["pages"] == 2 and pages["total"] == 2
        assert client.expect("upsert")["status"] == 201
        assert client.expect("profile")["profile"]["name"] == "Alice"
        client.expect("waiting")

        page.goto(site.url + "/credentials/mine/")
        expect(page.get_by_role("link", name="Master of Innovation", exact=True)).to_be_visible()
        page.get_by_role("link", name="Connected applications").first.click()
        expect(page.get_by_role("heading", level=2, name="Interop Test Wallet")).to_be_visible()
        check_page(page, "connected-apps")
        page.get_by_role("button", name="Revoke access for Interop Test Wallet").click()
        expect(page.get_by_text("can no longer reach your backpack")).to_be_visible()
        expect(page.get_by_text("No application has access to your backpack.")).to_be_visible()

        client.go_on()
        assert client.expect("after")["status"] == 401
    finally:
        client.close()
