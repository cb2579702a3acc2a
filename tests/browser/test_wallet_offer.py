"""A learner adds a credential to a wallet: on the credential's page "Add to a wallet" shows a
QR code and a link; a wallet we did not write (the npm OpenID4VCI client, standing in for the
phone) takes the link and the code from the e-mail, and holds the credential bound to its key.
"""

import json
import os
import re
import subprocess

import jwt
import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from credentials.standards import oid4vci
from tests.browser.helpers import PASSWORD, check_page, log_in
from tests.credentials.interop import setup

pytestmark = pytest.mark.interop


@pytest.fixture(scope="session")
def journey_wallet():
    return setup.ensure_node_package("wallet")


@pytest.fixture
def alices_wallet_award(site, settings, tmp_path):
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
    badge = make_badge(make_issuer("uni", country="NL"), name="Opportunity Spotter")
    return sign_award(services.award(badge, alice, [services.Evidence(name="Pitch")]))


def test_learner_adds_a_credential_to_a_wallet(
    page: Page, site, alices_wallet_award, journey_wallet, journey_width
):
    log_in(page, site.url, "alice@example.org")
    from django.urls import reverse

    page.goto(
        site.url + reverse("credentials:award", kwargs={"public_id": alices_wallet_award.public_id})
    )
    check_page(page, "credential")
    mail.outbox.clear()
    page.get_by_role("button", name="Add to a wallet").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("to a wallet")
    qr = page.get_by_role("img", name="QR code of the offer for your wallet")
    expect(qr).to_be_visible()
    expect(page.get_by_text("a•••@example.org")).to_be_visible()
    check_page(page, "wallet-offer")
    link = page.get_by_role("link", name="Open in my wallet app").get_attribute("href")
    assert link.startswith("openid-credential-offer://?credential_offer_uri=")
    assert qr.get_attribute("data-offer-link") == link
    tx_code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)[1]

    result = subprocess.run(  # noqa: S603
        [setup.node(), str(journey_wallet / "wallet.mjs"), link, tx_code],
        cwd=journey_wallet,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "WALLET_ALLOW_HTTP": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    held = json.loads(result.stdout)
    ldp, vc_jwt = (held["credentials"][name] for name in (oid4vci.LDP_VC, oid4vci.JWT_VC))
    assert ldp["credentialSubject"]["id"] == held["did"]
    assert jwt.decode(vc_jwt, options={"verify_signature": False})["sub"] == held["did"]

    page.reload()
    expect(page.get_by_text("A wallet has used this offer.")).to_be_visible()
    expect(page.get_by_text("Received as ldp_vc", exact=False)).to_be_visible()
    check_page(page, "wallet-offer-used")
