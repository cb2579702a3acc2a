"""A member's staff open their partnership's impact dashboard, widen the date range and see the
figures grow, download a table as CSV and find its rows; an outsider finds no dashboard."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from cms import roles
from credentials.models import Issuer
from mentoring.models import MentorProfile, MentorSession
from partnerships.models import Member
from partnerships.services.impact import months_before
from tests.browser.helpers import PASSWORD, at_desktop_width, at_phone_width, check_page
from tests.browser.second_factor import log_in_with_second_factor
from tests.partnerships.services import impact_world as world


def noon(day):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12))


@pytest.fixture
def dashboard_world(site):
    """Northbridge University and Helix Robotics in a partnership with one badge: five awards
    two months ago, three twenty months ago; mentoring and verifications; a case study.
    Alice acts for Northbridge, Charlie for Corvid Analytics (not a member)."""
    today = timezone.localdate()
    recent, old = months_before(today, 2), months_before(today, 20)
    northbridge = world.issuer("northbridge-university")
    helix = world.issuer("helix-robotics", Issuer.Kind.COMPANY)
    corvid = world.issuer("corvid-analytics", Issuer.Kind.COMPANY)
    spotter = world.badge(northbridge, "opportunity-spotter")
    partnership = world.partnership(
        "Northbridge–Helix",
        (northbridge, Member.Role.UNIVERSITY),
        (helix, Member.Role.INDUSTRY),
        badge_classes=[spotter],
    )
    checked = world.awards(spotter, 5, noon(recent))
    world.awards(spotter, 3, noon(old))
    world.verifications(checked[:2], recent + timedelta(days=3), verifiers=2)
    coach = world.mentor(helix, MentorProfile.Sector.INDUSTRY, "helix-coach")
    mentees = world.people(3, "mentee")
    partnership.programmes.add(world.programme("robotics-mentoring", spotter, [coach], mentees))
    world.sessions(coach, mentees, noon(recent), 90, status=MentorSession.Status.COMPLETED)
    world.case_study(partnership, "robot-arm-kits")  # outcome: "Three prototypes"
    for email, issuer in (
        ("alice@northbridge.example", northbridge),
        ("charlie@corvid.example", corvid),
    ):
        person = get_user_model().objects.create_user(email=email, password=PASSWORD)
        roles.grant(person, roles.ISSUER_STAFF)
        issuer.staff.add(person)
    return {"partnership": partnership, "recent": recent, "old": old, "today": today}


def card(page: Page, label: str):
    return page.locator(".impact-cards .stat").filter(has=page.get_by_text(label, exact=True))


def test_member_staff_read_the_dashboard_change_the_period_and_download_a_table(
    page: Page, site, dashboard_world
):
    url = f"{site.url}/impact/partnerships/{dashboard_world['partnership'].slug}/"
    failed: list[tuple[str, int]] = []
    page.on("response", lambda r: r.status >= 400 and failed.append((r.url, r.status)))

    # Alice opens the dashboard: the last twelve months, five badges awarded.
    log_in_with_second_factor(page, site.url, "alice@northbridge.example")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact of Northbridge–Helix")
    expect(card(page, "Badges awarded").locator("dd")).to_have_text("5")
    expect(card(page, "Mentoring hours").locator("dd")).to_have_text("4.5")
    expect(card(page, "Employer verifications").locator("dd")).to_have_text("4")
    expect(page.get_by_role("img", name="Badges awarded each month")).to_be_visible()
    expect(page.get_by_role("img", name="Mentoring hours each month")).to_be_visible()
    stories = page.locator(".impact-story")
    expect(stories.get_by_role("link", name="Robot Arm Kits")).to_be_visible()
    expect(stories).to_contain_text("Three prototypes")
    check_page(page, "impact-dashboard")
    at_phone_width(page)
    check_page(page, "impact-dashboard")
    at_desktop_width(page)

    # She widens the period to twenty months ago: the older awards count too.
    old, today = dashboard_world["old"], dashboard_world["today"]
    page.get_by_label("From", exact=True).fill(old.isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Show this period").click()
    expect(card(page, "Badges awarded").locator("dd")).to_have_text("8")
    expect(page.get_by_label("From", exact=True)).to_have_value(old.isoformat())

    # A period that ends before it starts is explained beside the form.
    page.get_by_label("From", exact=True).fill(today.isoformat())
    page.get_by_label("To", exact=True).fill(old.isoformat())
    page.get_by_role("button", name="Show this period").click()
    expect(page.get_by_role("alert")).to_have_text("The end date is before the start date.")
    check_page(page, "impact-dashboard-refused")
    failed.clear()  # the refusal is a 400, as it should be
    page.get_by_role("link", name="Last 12 months").click()
    expect(card(page, "Badges awarded").locator("dd")).to_have_text("5")

    # She downloads the awards per month: one row per month, five in the recent one.
    block = page.locator("#table-awards-by-month")
    with page.expect_download() as download_info:
        block.get_by_role("link", name=re.compile(r"^Download CSV")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("impact-northbridge-helix-awards-by-month-")
    text = download.path().read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["Month", "Badges awarded"]
    assert len(rows) == 1 + 12
    assert [dashboard_world["recent"].strftime("%Y-%m"), "5"] in rows
    assert sum(int(count) for _month, count in rows[1:]) == 5
    assert not failed


def test_an_outsider_finds_no_dashboard(page: Page, site, dashboard_world):
    log_in_with_second_factor(page, site.url, "charlie@corvid.example")
    response = page.goto(f"{site.url}/impact/partnerships/{dashboard_world['partnership'].slug}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Impact of Northbridge–Helix")).to_have_count(0)
    expect(page.locator(".impact-cards")).to_have_count(0)
