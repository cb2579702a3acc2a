"""University staff write and agree the first version of a partnership's joint framework, the
industry partner's staff agree it too, the public page says "agreed by both sides", and staff
of an institution that is not a member are refused the workspace."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from cms import roles
from credentials.models import Issuer
from partnerships.models import FrameworkAgreement, FrameworkVersion, Member, Partnership
from tests.browser.helpers import (
    PASSWORD,
    at_desktop_width,
    at_phone_width,
    check_page,
    keyboard_activate,
    log_out,
)
from tests.browser.second_factor import log_in_with_second_factor
from tests.credentials.factories import make_issuer

WORKSPACE = "/partnerships/northbridge-helix/workspace/"
VISION = "Graduates who turn robotics research into products, with industry."


@pytest.fixture
def two_members(site, settings, tmp_path) -> Partnership:
    """Northbridge University and Helix Robotics in a partnership; Corvid Analytics outside."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    university = make_issuer("northbridge", name="Northbridge University")
    company = make_issuer("helix-robotics", name="Helix Robotics", kind=Issuer.Kind.COMPANY)
    outsider = make_issuer("corvid", name="Corvid Analytics", kind=Issuer.Kind.COMPANY)
    partnership = Partnership.objects.create(
        name="Northbridge–Helix",
        slug="northbridge-helix",
        summary="Robotics courses and mentoring, made together.",
        started_on=date(2025, 9, 1),
        is_public=True,
        publish_framework=True,
        publish_figures=False,
    )
    Member.objects.create(partnership=partnership, issuer=university, role=Member.Role.UNIVERSITY)
    Member.objects.create(partnership=partnership, issuer=company, role=Member.Role.INDUSTRY)
    User = get_user_model()
    for email, first, last, issuer in (
        ("alice@northbridge.example", "Alice", "Martin", university),
        ("bob@helix.example", "Bob", "Okafor", company),
        ("charlie@corvid.example", "Charlie", "Reed", outsider),
    ):
        person = User.objects.create_user(
            email=email, password=PASSWORD, first_name=first, last_name=last
        )
        roles.grant(person, roles.ISSUER_STAFF)
        issuer.staff.add(person)
    return partnership


def fill_framework(page: Page) -> None:
    page.get_by_label("Shared vision").fill(VISION)
    page.get_by_label("Goals").fill("Two co-created courses and a mentoring programme by June.")
    page.get_by_label("Steering group").fill("A. Martin (Northbridge), B. Okafor (Helix)")
    page.get_by_label("Decision rules").fill("Consensus; the steering group settles disputes.")
    page.get_by_label("Meeting rhythm").fill("Monthly")
    page.get_by_label("Intellectual-assets strategy").fill("Background stays with its owner.")
    page.get_by_label("What changed").fill("First version")
    result = page.get_by_role("group", name="Expected result 1")
    result.get_by_label("Title").fill("Robot-arm teaching kit")
    result.get_by_label("Owner").select_option(label="Helix Robotics")
    result.get_by_label("Who may use it").select_option(label="Every member")
    result.get_by_label("Licence").select_option(label="Royalty-free for members")
    result.get_by_label("Confidentiality").select_option(label="Members only")
    result.get_by_label("Innovation potential").select_option(label="High")


def test_both_sides_agree_a_framework_and_an_outsider_is_refused(
    page: Page, site, two_members: Partnership
):
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    # University staff open the workspace: no framework yet.
    log_in_with_second_factor(page, site.url, "alice@northbridge.example")
    page.goto(site.url + WORKSPACE)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Northbridge–Helix: members' workspace"
    )
    expect(page.get_by_text("No framework yet.")).to_be_visible()
    check_page(page, "workspace-empty")
    keyboard_activate(page, page.get_by_role("link", name="Write the first framework"))

    # The form: saving it empty is refused in plain words, nothing is saved.
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose changes to the framework")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Please correct what is marked below.")).to_be_visible()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    check_page(page, "framework-form-refused")
    assert not FrameworkVersion.objects.exists()
    fill_framework(page)
    at_phone_width(page)
    check_page(page, "framework-form-filled")
    at_desktop_width(page)
    page.get_by_role("button", name="Save as a new version").click()

    # Version 1 waits for both members; alice agrees for her university.
    expect(page.get_by_text("Version 1 is saved.")).to_be_visible()
    expect(page.get_by_text("Waiting for Helix Robotics").first).to_be_visible()
    expect(page.get_by_role("button", name="Agree for Helix Robotics")).to_have_count(0)
    page.get_by_role("button", name="Agree for Northbridge University").click()
    expect(page.get_by_text("You agreed version 1 for Northbridge University.")).to_be_visible()
    expect(page.get_by_text("Agreed by Northbridge University on").first).to_contain_text(
        "(Alice Martin)"
    )
    expect(page.get_by_role("button", name="Agree for Northbridge University")).to_have_count(0)
    check_page(page, "workspace-agreed-by-one")
    log_out(page)

    # The partner's staff agree for Helix: the framework is agreed by both sides.
    log_in_with_second_factor(page, site.url, "bob@helix.example")
    page.goto(site.url + WORKSPACE)
    expect(page.get_by_role("cell", name="Helix Robotics")).to_be_visible()
    page.get_by_role("button", name="Agree for Helix Robotics").click()
    expect(page.get_by_text("Every member has now agreed it.")).to_be_visible()
    expect(page.locator(".partnership-agreed")).to_contain_text("Agreed by both sides on")
    check_page(page, "workspace-agreed")
    at_phone_width(page)
    check_page(page, "workspace-agreed")
    at_desktop_width(page)
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 of the framework")
    check_page(page, "framework-version")
    assert FrameworkAgreement.objects.count() == 2
    log_out(page)

    # Anyone reads the agreed vision on the public page; the governance stays private.
    page.goto(site.url + "/partnerships/northbridge-helix/")
    expect(page.locator(".partnership-agreed")).to_contain_text("Agreed by both sides on")
    expect(page.get_by_text(VISION)).to_be_visible()
    expect(page.get_by_text("Consensus; the steering group")).to_have_count(0)
    expect(page.get_by_text("Robot-arm teaching kit")).to_have_count(0)
    expect(page.get_by_role("link", name="Northbridge University")).to_be_visible()
    check_page(page, "public-page")
    at_phone_width(page)
    check_page(page, "public-page")
    at_desktop_width(page)

    # Staff of an institution that is not a member: not found, nothing private shown.
    log_in_with_second_factor(page, site.url, "charlie@corvid.example")
    response = page.goto(site.url + WORKSPACE)
    assert response is not None and response.status == 404
    expect(page.get_by_text("Robot-arm teaching kit")).to_have_count(0)
    expect(page.get_by_text("Consensus")).to_have_count(0)
    assert script_errors == []
