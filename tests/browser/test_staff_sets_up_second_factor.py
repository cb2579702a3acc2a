"""Issuer staff without a second factor are stopped on the way to the issuer desk, set up an
authenticator app (reading the secret off the page instead of scanning the QR code) and go on
to their badges. At desktop and phone width."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from cms import roles
from credentials.models import Issuer
from tests.browser.helpers import PASSWORD, check_page, keyboard_activate, keyboard_fill, log_in
from tests.browser.second_factor import fresh_code

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def second_factor_staff(site):
    issuer = Issuer.objects.create(
        slug="northbridge", name="Northbridge University", kind=Issuer.Kind.UNIVERSITY,
        url="https://northbridge.example", email="c@northbridge.example", country="NL",
    )  # fmt: skip
    staff = get_user_model().objects.create_user(
        email="staff@northbridge.example", password=PASSWORD, display_name="Sofia Staff"
    )
    roles.grant(staff, roles.ISSUER_STAFF)
    issuer.staff.add(staff)
    return staff


@pytest.mark.parametrize("width", list(WIDTHS))
def test_staff_set_up_an_authenticator_app_and_reach_the_issuer_desk(
    page: Page, site, second_factor_staff, width
):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    log_in(page, site.url, second_factor_staff.email)
    page.goto(site.url + "/credentials/manage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("A second factor for issuer staff")
    check_page(page, "second-factor-needed")

    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    check_page(page, "reauthenticate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code of your authenticator secret")).to_be_visible()
    check_page(page, "totp-setup")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate").click()
    expect(page.locator(".field--error")).to_be_visible()  # a wrong code is refused
    check_page(page, "totp-refused")
    keyboard_fill(page, page.get_by_label("Authenticator code"), fresh_code(secret))
    keyboard_activate(page, page.get_by_role("button", name="Activate"))  # the keyboard alone

    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    check_page(page, "recovery-codes")
    page.get_by_role("link", name="Continue to the issuer pages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Badges of Northbridge University")
    check_page(page, "issuer-badges")
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the page scrolls sideways"
