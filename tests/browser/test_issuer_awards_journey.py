"""Issuer staff define and award a badge; the learner collects, downloads and shares it; the
issuer revokes it and its public page says so."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from cms import roles
from credentials.frameworks import load_frameworks
from credentials.models import Award, Competency, Framework, Issuer
from credentials.standards import bakery
from tests.browser.helpers import (
    PASSWORD,
    address_verified,
    at_desktop_width,
    at_phone_width,
    badge_png,
    check_page,
    keyboard_activate,
    log_in,
    log_out,
)
from tests.browser.second_factor import log_in_with_second_factor

BADGE = "Industry Pitch Coach"


@pytest.fixture
def people(site):
    load_frameworks(Framework, Competency)
    User = get_user_model()
    issuer = Issuer.objects.create(
        slug="northbridge", name="Northbridge University", kind=Issuer.Kind.UNIVERSITY,
        url="https://northbridge.example", email="c@northbridge.example", country="NL",
    )  # fmt: skip
    staff = User.objects.create_user(email="staff@northbridge.example", password=PASSWORD,
                                     display_name="Sofia Staff")  # fmt: skip
    roles.grant(staff, roles.ISSUER_STAFF)
    issuer.staff.add(staff)
    learner = User.objects.create_user(email="lena@example.org", password=PASSWORD,
                                       display_name="Lena Learner")  # fmt: skip
    roles.grant(learner, roles.LEARNERS)
    address_verified(learner.email)  # so the award joins her account, not just her address
    return {"issuer": issuer, "staff": staff, "learner": learner}


def test_issuer_awards_learner_collects_shares_and_issuer_revokes(
    page: Page, site, people, tmp_path: Path
):
    nav = page.get_by_role("navigation", name="Main")

    # Issuer staff define the badge, with a live checklist and preview, then publish it.
    log_in_with_second_factor(page, site.url, "staff@northbridge.example")
    nav.get_by_role("link", name="Issue badges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Badges of Northbridge University")
    check_page(page, "issuer-badges-empty")
    page.get_by_role("link", name="New badge").first.click()
    check_page(page, "new-badge")
    page.get_by_label("Name", exact=True).fill(BADGE)
    expect(page.locator("[data-preview-target=name]")).to_have_text(BADGE)
    page.get_by_label("Description").fill("Coaches student teams to pitch to industry partners.")
    page.get_by_label("Badge image").set_input_files(
        files=[{"name": "coach.png", "mimeType": "image/png", "buffer": badge_png()}]
    )
    page.get_by_label("Criteria", exact=True).fill("Coach three teams through a pitch day.")
    page.get_by_text("EntreComp", exact=True).click()
    page.get_by_label("2.5 Mobilising others").check()
    page.get_by_label("Micro-credential", exact=True).check()
    outcomes = page.locator("li[data-element='learning outcomes']")
    expect(outcomes).not_to_have_class(re.compile("is-present"))
    page.get_by_label("Learning outcomes").fill("Give feedback on a pitch\nRun a pitch day")
    expect(outcomes).to_have_class(re.compile("is-present"))
    page.get_by_label("Notional workload (hours)").fill("30")
    page.get_by_label("Assessment type").fill("Observed coaching sessions")
    page.get_by_label("Form of participation").select_option("onsite")
    page.get_by_label("Type of quality assurance").fill("Faculty QA board")
    expect(page.locator("[data-eu-summary]")).to_have_text("Every mandatory element is filled in.")
    check_page(page, "new-badge-filled")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)
    check_page(page, "credential-revoked")
    at_phone_width(page)
    check_page(page, "credential-revoked")
    check_page(page, "badge-draft")
    keyboard_activate(page, page.get_by_role("button", name="Publish"))  # the keyboard alone
    expect(page.get_by_text("is published: you can award it now")).to_be_visible()
    check_page(page, "badge-published")

    # … and award it to the learner, with evidence.
    page.get_by_role("link", name="Award this badge").click()
    check_page(page, "award-form")
    page.get_by_label("Learner's e-mail address").fill("not-an-address")
    page.get_by_role("button", name="Award the badge").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    check_page(page, "award-form-refused")
    page.get_by_label("Learner's e-mail address").fill("lena@example.org")
    page.get_by_label("Evidence title").fill("Pitch day recording")
    page.get_by_role("button", name="Award the badge").click()
    expect(page.get_by_text(f"“{BADGE}” is awarded to lena@example.org")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Lena Learner"))).to_contain_text("Valid")
    check_page(page, "awards")
    at_phone_width(page)
    check_page(page, "awards")
    # On a phone the table reflows: one card per award, each value labelled with its column.
    row = page.get_by_role("row", name=re.compile("Lena Learner"))
    expect(row.locator("[data-label='Status']")).to_contain_text("Valid")
    assert row.bounding_box()["width"] <= 390
    page.goto(site.url + "/credentials/manage/")
    check_page(page, "issuer-badges")
    at_desktop_width(page)
    award = Award.objects.get()
    log_out(page)

    # The learner finds it in the backpack, downloads the baked PNG and makes it public.
    log_in(page, site.url, "lena@example.org")
    nav.get_by_role("link", name="My credentials").click()
    item = page.locator(f"#award-{award.public_id}")
    expect(item.get_by_role("heading", name=BADGE)).to_be_visible()
    expect(item).to_contain_text("Private")
    check_page(page, "backpack")
    with page.expect_download() as download:
        item.get_by_role("link", name=f"Baked PNG (Open Badges 2.0) of {BADGE}").click()
    data = Path(download.value.path()).read_bytes()
    baked = bakery.extract(data)
    assert str(award.public_id) in baked.text
    item.get_by_role("button", name=f"Make public “{BADGE}”").click()
    expect(page.get_by_text(f"“{BADGE}” is public")).to_be_visible()
    expect(item).to_contain_text("Public")
    at_phone_width(page)
    check_page(page, "backpack-public")
    at_desktop_width(page)
    linkedin = item.get_by_role("link", name=re.compile("Add to LinkedIn"))
    expect(linkedin).to_have_attribute("href", re.compile(r"startTask=CERTIFICATION_NAME"))
    log_out(page)

    # The issuer revokes it with a reason …
    log_in_with_second_factor(page, site.url, "staff@northbridge.example")
    page.goto(site.url + "/credentials/manage/northbridge/awards/")
    page.get_by_role("row", name=re.compile("Lena Learner")).get_by_role(
        "link", name="Revoke"
    ).click()
    check_page(page, "revoke-confirm")
    page.get_by_role("button", name="Revoke the credential").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("Reason").fill("The pitch day was cancelled.")
    page.get_by_role("button", name="Revoke the credential").click()
    expect(page.get_by_role("row", name=re.compile("Lena Learner"))).to_contain_text("Revoked")
    log_out(page)

    # … and anyone opening the public page sees that it is revoked, and why.
    page.goto(f"{site.url}/credentials/{award.public_id}/")
    expect(page.get_by_role("heading", name="This credential has been revoked")).to_be_visible()
    expect(page.get_by_text("The pitch day was cancelled.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)
