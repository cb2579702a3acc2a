"""A learner keeps a credential from another issuer, sees our verifier's verdict on it in the
backpack, shows it on a public profile she switches on, and a visitor sees that profile."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from cms import roles, services
from credentials.services import imports, profiles
from tests.browser.helpers import PASSWORD, check_page, log_in, log_out
from tests.credentials.imports_support import (  # noqa: F401 - fixture
    ALICE,
    odd_bytes,
    signed_json,
)


@pytest.fixture
def alice_with_an_import(site, settings, tmp_path):
    """Alice, with a credential from Riverbank College that an application put in her backpack
    (the checks run as each change commits)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    alice = get_user_model().objects.create_user(
        email=ALICE, password=PASSWORD, display_name="Alice Martin"
    )
    roles.grant(alice, roles.LEARNERS)
    services.mark_email_verified(alice)  # so our verifier can confirm she is the holder
    row, _created = imports.upsert(alice, odd_bytes(signed_json()), "application/json")
    row.refresh_from_db()
    assert row.verdict == "valid", row.verdict_detail
    return alice


def test_learner_shows_an_imported_credential_on_her_public_profile(
    page: Page, site, alice_with_an_import, journey_width
):
    log_in(page, site.url, ALICE)
    page.goto(site.url + "/credentials/mine/")
    imported = page.locator("#imported")
    expect(imported.get_by_role("heading", name="From other issuers")).to_be_visible()
    expect(imported.get_by_text("Says it was issued by “Riverbank College”.")).to_be_visible()
    expect(imported.locator("[data-verdict]")).to_have_text("Valid")
    check_page(page, "backpack-imported")

    imported.get_by_role("link", name="Open Science Basics", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open Science Basics")
    expect(page.get_by_text("What we checked")).to_be_visible()
    check_page(page, "imported-detail")

    page.go_back()
    page.locator("#imported").get_by_role("button", name="Show on my public profile").click()
    expect(page.locator("#imported")).to_contain_text("On your public profile")
    page.get_by_role("button", name="Turn my public profile on").click()
    link = page.locator("[data-profile-link]")
    expect(link).to_be_visible()
    profile_url = link.get_attribute("href")
    check_page(page, "backpack-profile-on")

    log_out(page)
    page.goto(site.url + profile_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice Martin")
    expect(page.get_by_text("not a verified identity")).to_be_visible()
    card = page.locator(".profile-card", has_text="Open Science Basics")
    expect(card.locator("[data-verdict]")).to_have_text("Valid")
    expect(card).to_contain_text("Checked by Co-Create Academy’s verifier on")
    expect(card).to_contain_text("Issued to this person: confirmed")
    check_page(page, "public-profile")


def test_a_profile_switched_off_is_not_found(page: Page, site, alice_with_an_import):
    profile = profiles.set_profile_public(alice_with_an_import, True)
    profiles.set_profile_public(alice_with_an_import, False)

    response = page.goto(f"{site.url}/people/{profile.public_id}/")

    assert response is not None and response.status == 404
