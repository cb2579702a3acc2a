"""A badge awarded to an address reaches the person who signs up with it only after they open
the verification link from their e-mail. In Chromium, at desktop and phone width."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from credentials import services
from credentials.models import Award
from tests.browser.helpers import PASSWORD, check_page, keyboard_activate, logged_in_menu
from tests.credentials.factories import make_badge, make_issuer

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
EMAIL = "nora@example.org"
BADGE = "Opportunity Spotter"


@pytest.fixture
def signup_awarded_badge(site, settings, tmp_path, django_capture_on_commit_callbacks):
    """Northbridge's staff awarded a badge to nora@example.org, who has no account yet."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # allauth's rate limits: each width starts afresh
    issuer = make_issuer("northbridge", name="Northbridge University of Technology")
    badge = make_badge(issuer, "opportunity-spotter", name=BADGE)
    with django_capture_on_commit_callbacks(execute=True):
        given = services.award(badge, EMAIL)
    mail.outbox.clear()
    return given


def verification_link() -> str:
    for message in reversed(mail.outbox):
        if message.to == [EMAIL]:
            found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
            if found:
                return found.group(0)
    raise AssertionError(f"no verification e-mail to {EMAIL} in {len(mail.outbox)} sent")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_signup_shows_the_award_only_after_the_address_is_verified(
    page: Page, site, signup_awarded_badge, width
):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(site.url + "/accounts/signup/?next=/credentials/mine/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Your name").fill("Nora Novak")
    page.get_by_label("Time zone").select_option("Europe/Madrid")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    check_page(page, "sign-up-filled")
    keyboard_activate(page, page.get_by_role("button", name="Create account"))  # keyboard alone

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    signup_awarded_badge.refresh_from_db()
    assert signup_awarded_badge.recipient is None  # an address typed in a form proves nothing
    page.goto(site.url + "/credentials/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")

    page.goto(verification_link())
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    expect(page.get_by_text(EMAIL)).to_be_visible()
    check_page(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/credentials/mine/$"))
    expect(logged_in_menu(page)).to_be_attached()
    expect(page.get_by_text(BADGE).first).to_be_visible()
    check_page(page, "backpack")
    assert Award.objects.get(pk=signup_awarded_badge.pk).recipient.email == EMAIL
    width_px = page.evaluate("document.documentElement.scrollWidth")
    assert width_px <= WIDTHS[width][0] + 1, "the page scrolls sideways"
