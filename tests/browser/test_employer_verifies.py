"""An employer checks a demo learner's baked badge on /verify/ in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from cms import demo
from credentials.frameworks import load_frameworks
from credentials.issuing import baking
from credentials.models import Award, Competency, Framework
from credentials.services import demo as credentials_demo
from credentials.standards import bakery
from tests.browser.helpers import (
    WIDTHS,
    FileDrag,
    check_page,
    keyboard_activate,
    keyboard_fill,
    main_nav,
)

DRAGOVER = re.compile(r"\bis-dragover\b")


@pytest.fixture
def demo_awards(site, settings, tmp_path, django_capture_on_commit_callbacks):
    """The demo data of ``manage.py seed_demo``: the demo learner's awards and a revoked one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    load_frameworks(Framework, Competency)
    demo.seed_accounts()
    demo.seed_institutions()
    with django_capture_on_commit_callbacks(execute=True):
        credentials_demo.seed(password=demo.DEMO_PASSWORD)
    learner_awards = Award.objects.filter(
        recipient_email="learner@example.com", revoked_at__isnull=True
    ).order_by("issued_on")
    return learner_awards.first(), Award.objects.get(revoked_at__isnull=False)


def baked_png(award) -> bytes:
    with baking.baked_image(award, "png3").file.open("rb") as handle:
        return handle.read()


def drop(page: Page, path: Path) -> None:
    """Drag the file in from the desktop: the zone lights up, then takes the dropped file."""
    zone = page.locator("[data-dropzone]")
    drag = FileDrag(page, path)
    drag.over(zone)
    expect(zone).to_have_class(DRAGOVER)
    drag.drop()
    expect(zone).not_to_have_class(DRAGOVER)
    expect(page.locator("[data-file-name]")).to_contain_text(path.name)


def test_employer_drops_valid_revoked_and_edited_badges(
    page: Page, site, demo_awards, tmp_path, journey_width
):
    kept, withdrawn = demo_awards
    valid_png, revoked_png = baked_png(kept), baked_png(withdrawn)
    credential = bakery.extract(valid_png).json()
    credential["credentialSubject"]["achievement"]["name"] = "Chief Innovation Officer"
    edited_png = bakery.bake(valid_png, credential, version="3.0")
    # The employer's downloads folder: the badges as the candidates sent them.
    for name, data in (("valid", valid_png), ("revoked", revoked_png), ("edited", edited_png)):
        (tmp_path / f"{name}.png").write_bytes(data)

    page.goto(site.url + "/")
    main_nav(page).get_by_role("link", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify a credential")
    check_page(page, "verify")
    # The heading is there while the page still loads verify.js (deferred); a file dropped
    # before its handlers are attached is not the page's. Wait until it says it is ready.
    expect(page.locator("[data-verify-form]")).to_have_attribute("data-verify-ready", "")

    drop(page, tmp_path / "valid.png")
    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("Valid")
    expect(page.locator(".credential-name")).to_have_text(kept.badge_class.name)
    expect(page.locator(".check--pass").first).to_be_visible()
    check_page(page, "verified-valid")

    drop(page, tmp_path / "revoked.png")
    expect(verdict).to_contain_text("Revoked")
    expect(verdict).to_contain_text("Awarded in error: the panel discussion had not taken place")
    check_page(page, "verified-revoked")

    drop(page, tmp_path / "edited.png")
    expect(verdict).to_contain_text("Tampered")
    expect(page.locator(".check--fail").first).to_contain_text("Signature")
    check_page(page, "verified-tampered")


def test_without_a_drop_the_file_chooser_and_recipient_check_work(page: Page, site, demo_awards):
    kept, _ = demo_awards
    page.goto(site.url + "/verify/")
    page.get_by_label(re.compile("choose a file")).set_input_files(
        files=[{"name": "badge.png", "mimeType": "image/png", "buffer": baked_png(kept)}]
    )
    # The keyboard alone: type the address, tab to the button, press Enter.
    keyboard_fill(page, page.get_by_label("Check the recipient"), "learner@example.com")
    keyboard_activate(page, page.get_by_role("button", name="Verify"))
    expect(page.locator(".verdict")).to_contain_text("Valid")
    expect(page.locator(".verdict")).to_contain_text("issued to the e-mail address you entered")
    expect(page.get_by_label("Check the recipient")).to_have_value("")


def test_a_phone_shows_every_demo_credential_whole_on_the_verify_page(
    page: Page, site, demo_awards
):
    """The employer scans a certificate's QR code on a phone: the credential's page and its
    check on /verify/ fit 390 px, EU micro-credential elements with long labels included."""
    page.set_viewport_size(WIDTHS["phone"])
    for award in Award.objects.filter(is_public=True).order_by("issued_on"):
        page.goto(f"{site.url}/credentials/{award.public_id}/")
        check_page(page, f"credential-{award.badge_class.slug}")
        page.goto(f"{site.url}/verify/?id={award.public_id}")
        expect(page.locator(".verdict")).to_be_visible()
        check_page(page, f"verified-{award.badge_class.slug}")
