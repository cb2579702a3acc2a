"""An industry partner endorses a university's badge from the university's public page; the
credentials awarded afterwards carry the endorsement, an employer's check shows it verified,
and the partner withdraws it again."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from cms import roles
from credentials import services
from credentials.models import BadgeClass, Endorsement, Issuer
from tests.browser.helpers import (
    PASSWORD,
    at_desktop_width,
    at_phone_width,
    badge_png,
    check_page,
    keyboard_activate,
    log_out,
)
from tests.browser.second_factor import log_in_with_second_factor
from tests.credentials.factories import make_badge, make_issuer

BADGE = "Industry Pitch Coach"
PARTNER = "Helix Robotics"
COMMENT = "Holders of this badge run our customer pitch days without supervision."


@pytest.fixture
def endorsed_badge(site, settings, tmp_path) -> BadgeClass:
    """Northbridge University's published badge, and Helix Robotics with one staff member."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = site.url  # signed credentials name the live server, so links work
    cache.clear()
    university = make_issuer("northbridge", name="Northbridge University")
    badge = make_badge(university, "industry-pitch-coach", name=BADGE)
    badge.image.save("coach.png", ContentFile(badge_png()))
    partner = make_issuer(
        "helix-robotics", name=PARTNER, kind=Issuer.Kind.COMPANY, url="https://helix.example"
    )
    User = get_user_model()
    for email, name, issuer in (
        ("pia@helix.example", "Pia Partner", partner),
        ("staff@northbridge.example", "Sofia Staff", university),
    ):
        person = User.objects.create_user(email=email, password=PASSWORD, display_name=name)
        roles.grant(person, roles.ISSUER_STAFF)
        issuer.staff.add(person)
    return badge


def test_partner_endorses_a_badge_that_awarded_credentials_carry_and_then_withdraws_it(
    page: Page, site, endorsed_badge: BadgeClass
):
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    failed: list[tuple[str, int]] = []
    page.on("response", lambda r: r.status >= 400 and failed.append((r.request.method, r.status)))

    # The partner opens the university's public page and finds its published badge.
    log_in_with_second_factor(page, site.url, "pia@helix.example")
    page.goto(site.url + "/institutions/")
    page.get_by_role("link", name="Northbridge University").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northbridge University")
    card = page.locator(f"#badge-{endorsed_badge.slug}")
    expect(card.get_by_role("heading", name=BADGE)).to_be_visible()
    expect(card).not_to_contain_text("Endorsed by")
    check_page(page, "institution")
    keyboard_activate(page, card.get_by_role("link", name="Endorse this badge"))  # keyboard alone

    # The form: one institution, so no "Endorse as" choice; an empty comment is refused.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Endorse “{BADGE}”")
    expect(page.get_by_label("Endorse as")).to_have_count(0)
    page.get_by_role("button", name="Endorse this badge").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    check_page(page, "endorse-form-refused")
    assert not Endorsement.objects.exists()

    page.get_by_label("Why you endorse this badge").fill(COMMENT)
    page.get_by_role("button", name="Endorse this badge").click()

    # Back on the institution page: the endorsement, its comment and the way to withdraw it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Northbridge University")
    expect(page.get_by_text(f"{PARTNER} endorses “{BADGE}”")).to_be_visible()
    endorsed = card.locator(".cred-endorsements")
    expect(endorsed).to_contain_text("Endorsed by")
    expect(endorsed.get_by_role("link", name=PARTNER)).to_be_visible()
    expect(endorsed.locator("blockquote")).to_have_text(COMMENT)
    withdraw = card.get_by_role("link", name=f"Withdraw {PARTNER}")
    expect(withdraw).to_be_visible()
    expect(card.get_by_role("link", name="Edit your endorsement")).to_be_visible()
    check_page(page, "institution-endorsed")
    at_phone_width(page)
    check_page(page, "institution-endorsed")
    at_desktop_width(page)
    endorsement = Endorsement.objects.get()
    assert (endorsement.endorser.name, endorsement.badge_class, endorsement.comment) == (
        PARTNER,
        endorsed_badge,
        COMMENT,
    )
    assert endorsement.endorsed_by.email == "pia@helix.example"
    assert endorsement.withdrawn_at is None
    assert endorsement.credential["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert endorsement.credential["proof"]
    log_out(page)

    # The university awards the badge; the learner's public credential page shows the endorser.
    staff = get_user_model().objects.get(email="staff@northbridge.example")
    award = services.award(endorsed_badge, "lena@example.org", awarded_by=staff)
    award.is_public = True
    award.save(update_fields=["is_public"])
    page.goto(f"{site.url}/credentials/{award.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)
    carried = page.locator(".cred-endorsements")
    expect(carried.get_by_role("heading", name="Endorsed by")).to_be_visible()
    expect(carried).to_contain_text(PARTNER)
    expect(carried.locator("blockquote")).to_have_text(COMMENT)
    check_page(page, "credential")

    # An employer, logged out, pastes the credential's OB 3.0 address into /verify/.
    page.goto(site.url + "/verify/")
    page.get_by_label("Or paste a web address, JSON or token").fill(
        f"{site.url}/credentials/{award.public_id}/credential.json"
    )
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict")).to_contain_text("Valid")
    expect(page.locator(".credential-name")).to_have_text(BADGE)
    endorsers = page.locator("dt:has-text('Endorsed by') + dd")
    # Named from our records (a platform institution), not from the credential's own claim.
    expect(endorsers).to_contain_text(
        re.compile(rf"^{PARTNER}\s+\S+\s+institution of this platform\s+signature verified")
    )
    expect(endorsers.locator("q")).to_have_text(COMMENT)
    check_page(page, "verified-endorsed")
    at_phone_width(page)
    check_page(page, "verified-endorsed")
    at_desktop_width(page)

    # The partner takes the endorsement back; it leaves the institution page.
    log_in_with_second_factor(page, site.url, "pia@helix.example")
    page.goto(f"{site.url}/institutions/northbridge/")
    card.get_by_role("link", name=f"Withdraw {PARTNER}").click()
    # A confirmation first: what withdrawing does; Cancel changes nothing.
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Withdraw {PARTNER}")
    check_page(page, "withdraw-confirm")
    page.get_by_role("link", name="Cancel").click()
    assert Endorsement.objects.get().withdrawn_at is None
    card.get_by_role("link", name=f"Withdraw {PARTNER}").click()
    page.get_by_role("button", name="Withdraw the endorsement").click()
    expect(page.get_by_text(f"{PARTNER} no longer endorses “{BADGE}”")).to_be_visible()
    expect(card.locator(".cred-endorsements")).to_have_count(0)
    expect(card.get_by_role("link", name=re.compile("Withdraw"))).to_have_count(0)
    expect(card.get_by_role("link", name="Endorse this badge")).to_be_visible()
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is not None
    assert endorsement.withdrawn_by.email == "pia@helix.example"
    assert Endorsement.objects.count() == 1

    # The credential already awarded keeps what was signed into it.
    page.goto(f"{site.url}/credentials/{award.public_id}/")
    expect(page.locator(".cred-endorsements")).to_contain_text(PARTNER)
    assert script_errors == []
    assert failed == [("POST", 400)]  # only the empty endorsement
