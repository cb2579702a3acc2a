"""An employer checks a candidate's badge with the wrong e-mail, then a forgery, in Chromium.

At desktop width and at a phone's (390 px, the width of a phone that scanned the QR code on
a certificate). Neither is ever shown as a green "Valid"; the page says why in words and
names who vouches for the issuer.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from credentials import services
from credentials.issuing import baking
from credentials.standards import dataintegrity, keys
from tests.browser.helpers import check_page, keyboard_activate, keyboard_fill
from tests.credentials.factories import make_badge, make_issuer

NORTHBRIDGE = "Northbridge University of Technology"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def candidate_award(site, settings, tmp_path, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    issuer = make_issuer("northbridge", name=NORTHBRIDGE, country="NL")
    badge = make_badge(issuer, "opportunity-spotter", name="Opportunity Spotter")
    learner = get_user_model().objects.create_user(
        email="lena@example.org", password="x-unused-x", display_name="Lena"
    )
    with django_capture_on_commit_callbacks(execute=True):
        award = services.award(badge, learner, [services.Evidence(name="Pitch deck")])
    award = baking.sign_award(award)
    award.is_public = True  # the candidate shares it: looked up by id
    award.save(update_fields=["is_public"])
    return award


def forged_credential() -> str:
    """Signed by a fresh did:key that calls itself Northbridge: genuine maths, false name."""
    key = keys.generate_ed25519_key()
    did = keys.did_key(key.public_key())
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": NORTHBRIDGE},
        "validFrom": (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"urn:uuid:{uuid.uuid4()}",
                "type": ["Achievement"],
                "name": "Chief Innovation Officer",
                "description": "Leads innovation.",
                "criteria": {"narrative": "Says so."},
            },
        },
    }
    method = keys.did_key_verification_method(key.public_key())
    return json.dumps(dataintegrity.sign_eddsa_rdfc_2022(credential, key, method))


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_employer_sees_a_wrong_email_and_a_forgery_for_what_they_are(
    page: Page, site, candidate_award, width
):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(site.url + "/verify/?id=" + str(candidate_award.public_id))
    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("Valid")
    expect(verdict).to_contain_text("an institution of this platform")
    check_page(page, "verified-by-id")  # the page a phone opens from the certificate's QR code

    # The candidate says the badge is theirs, but gives another address.
    # … with the keyboard alone.
    paste = page.get_by_label("Or paste a web address, JSON or token")
    keyboard_fill(page, paste, str(candidate_award.public_id))
    keyboard_fill(page, page.get_by_label("Check the recipient"), "sam.smith@example.org")
    keyboard_activate(page, page.get_by_role("button", name="Verify"))
    expect(verdict).to_contain_text("Not issued to this person")
    expect(verdict).to_have_attribute("data-verdict", "not_recipient")
    expect(verdict).not_to_have_class("verdict verdict--valid")
    expect(page.locator(".check--fail")).to_contain_text("Recipient")
    expect(page.get_by_label("Check the recipient")).to_have_value("")
    check_page(page, "not-the-recipient")

    # A forgery: a fresh key that calls itself Northbridge.
    page.get_by_label("Or paste a web address, JSON or token").fill(forged_credential())
    page.get_by_role("button", name="Verify").click()
    expect(verdict).to_contain_text("Not the issuer it claims to be")
    expect(verdict).to_have_attribute("data-verdict", "unknown_issuer")
    expect(verdict).to_contain_text("self-asserted")
    expect(page.locator(".facts").first).to_contain_text("did:key:")
    expect(page.locator(".facts").first).to_contain_text("self-asserted")
    check_page(page, "forgery")

    # Nothing is cut off at this width: the verdict fits the viewport.
    box = verdict.bounding_box()
    assert box is not None and box["x"] >= 0
    assert box["x"] + box["width"] <= WIDTHS[width][0] + 1
