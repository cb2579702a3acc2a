"""Issuer staff write the French edition of a badge beside its English words; a French
employer then reads the learner's credential and the verifier's verdict in French, with the
title it was signed under one click away."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from cms import roles
from credentials import services
from credentials.models import BadgeClass, BadgeEdition
from tests.browser.helpers import (
    PASSWORD,
    at_desktop_width,
    at_phone_width,
    badge_png,
    check_page,
    log_out,
)
from tests.browser.second_factor import log_in_with_second_factor
from tests.credentials.factories import make_badge, make_issuer

BADGE = "Industry Pitch Coach"
FRENCH = "Coach de pitch industriel"
DESCRIPTION = "Prépare des équipes à présenter leur projet à des partenaires industriels."
CRITERIA = "Animer trois journées de pitch avec un partenaire."


@pytest.fixture
def badge_to_translate(site, settings, tmp_path) -> BadgeClass:
    """Northbridge University's published badge, in English, and one member of its staff."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = site.url  # signed credentials name the live server, so links work
    cache.clear()
    university = make_issuer("northbridge", name="Northbridge University")
    badge = make_badge(
        university,
        "industry-pitch-coach",
        name=BADGE,
        description="Coaches teams to pitch their project to industry partners.",
        criteria_narrative="Run three pitch days with a partner.",
    )
    badge.image.save("coach.png", ContentFile(badge_png()))
    person = get_user_model().objects.create_user(
        email="staff@northbridge.example", password=PASSWORD, display_name="Sofia Staff"
    )
    roles.grant(person, roles.ISSUER_STAFF)
    university.staff.add(person)
    return badge


def test_staff_write_a_french_edition_that_a_french_employer_reads(
    page: Page, site, badge_to_translate: BadgeClass
):
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    badge = badge_to_translate

    # Staff open the badge and its language editions: eight languages, none written yet.
    log_in_with_second_factor(page, site.url, "staff@northbridge.example")
    page.goto(f"{site.url}/credentials/manage/northbridge/badges/{badge.slug}/")
    expect(page.get_by_role("heading", name="Language editions")).to_be_visible()
    page.get_by_role("link", name="Write or edit language editions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Language editions")
    expect(page.get_by_text("0 editions written of 8.")).to_be_visible()
    check_page(page, "editions")
    at_phone_width(page)
    check_page(page, "editions")
    at_desktop_width(page)
    page.get_by_role("row", name=re.compile("French")).get_by_role("link").click()

    # The form: each English text beside its French field. Leaving one out saves nothing.
    expect(page.get_by_role("heading", level=1)).to_contain_text("French")
    expect(page.get_by_text("Coaches teams to pitch their project")).to_be_visible()
    page.get_by_label(re.compile("^Badge name")).fill(FRENCH)
    page.get_by_label(re.compile("^Description")).fill(DESCRIPTION)
    page.get_by_role("button", name=re.compile("Save the .* edition")).click()
    expect(page.get_by_text("Please correct the fields marked below")).to_be_visible()
    assert not BadgeEdition.objects.exists()
    page.get_by_label("Criteria · French").fill(CRITERIA)
    check_page(page, "edition-form")
    at_phone_width(page)
    check_page(page, "edition-form")
    at_desktop_width(page)
    page.get_by_role("button", name=re.compile("Save the .* edition")).click()
    expect(page.get_by_text(f"edition of “{BADGE}” is saved")).to_be_visible()
    expect(page.get_by_text("1 edition written of 8.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("French"))).to_contain_text(FRENCH)
    log_out(page)

    # A learner is awarded the badge; a French employer opens the credential page.
    award = services.award(badge, "lena@example.org")
    award.is_public = True
    award.save(update_fields=["is_public"])
    page.goto(f"{site.url}/fr/credentials/{award.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(FRENCH)
    expect(page.get_by_text(DESCRIPTION)).to_be_visible()
    signed = page.locator(".cred-edition-note").get_by_role("link", name=f"“{BADGE}”")
    check_page(page, "credential-in-french")
    at_phone_width(page)
    check_page(page, "credential-in-french")
    at_desktop_width(page)
    signed.click()  # the words as signed, on the page in English
    expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)

    # The same employer verifies it in French: the verdict, the French words, the signed title.
    page.goto(f"{site.url}/fr/verify/?id={site.url}/credentials/{award.public_id}/credential.json")
    expect(page.locator(".verdict")).to_have_attribute("data-verdict", "valid")
    expect(page.locator(".credential-name")).to_have_text(FRENCH)
    expect(page.locator(".credential-card .cred-edition-note")).to_contain_text(BADGE)
    check_page(page, "verified-in-french")
    at_phone_width(page)
    check_page(page, "verified-in-french")
    assert script_errors == []
