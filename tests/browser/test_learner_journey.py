"""A learner finds a course, enrols, works through the lessons, fails and passes the quiz,
completes the course and sees it on the dashboard with the badge."""

import re

import pytest
from playwright.sync_api import Page, expect

from cms.services import mark_email_verified
from tests.browser.helpers import at_phone_width, check_page, keyboard_activate

PASSWORD = "a-long-unusual-passphrase"


@pytest.fixture
def course_site(site):
    from cms import roles
    from cms.models import HomePage
    from credentials.frameworks import load_frameworks
    from credentials.models import Competency, Framework, Issuer
    from learning import demo
    from tests.learning.conftest import build_course, make_badge, make_issuer

    load_frameworks(Framework, Competency)
    uni = make_issuer("northbridge")
    partner = make_issuer("helix", Issuer.Kind.COMPANY)
    catalogue = demo.seed_catalogue(HomePage.objects.get())
    course = build_course(
        catalogue,
        "spotting-opportunities",
        title="Spotting opportunities",
        institutions=[uni, partner],
        badge=make_badge(uni, "opportunity-spotter", name="Opportunity Spotter"),
    )
    course.competences.add(Competency.objects.get(framework__code="entrecomp", code="1.1"))
    course.save()
    teamwork = build_course(catalogue, "teamwork", title="Teamwork in mixed teams")
    teamwork.competences.add(Competency.objects.get(framework__code="lifecomp", code="S3"))
    teamwork.save()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email="nora@example.org", password=PASSWORD, display_name="Nora"
    )
    roles.grant(user, roles.LEARNERS)
    mark_email_verified(user)  # she confirmed her address when she signed up
    return site


def test_learner_filters_enrols_learns_fails_then_passes_and_completes(page: Page, course_site):
    page.goto(course_site.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill("nora@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
    expect(page.get_by_role("heading", name="2 courses")).to_be_visible()
    check_page(page, "catalogue")
    page.get_by_role("combobox", name="Competence").select_option(
        label="1.1 Spotting opportunities"
    )
    page.get_by_role("button", name="Show courses").click()
    expect(page.get_by_role("heading", name="1 course matches your filters")).to_be_visible()
    expect(page.get_by_text("Teamwork in mixed teams")).to_have_count(0)
    check_page(page, "catalogue-filtered")

    page.get_by_role("link", name="Spotting opportunities", exact=True).click()
    check_page(page, "course")
    keyboard_activate(page, page.get_by_role("button", name="Enrol"))  # the keyboard alone
    expect(page.get_by_role("status").first).to_contain_text("You are enrolled")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Spotting Opportunities Intro")
    check_page(page, "lesson")

    page.get_by_role("button", name="Mark lesson as done").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reflect")
    page.get_by_label("Your answer").fill("Spare parts are ordered by phone, one at a time.")
    page.get_by_role("button", name="Save your reflection").click()
    expect(page.get_by_text("Your reflection is saved")).to_be_visible()
    check_page(page, "reflection-saved")
    page.get_by_role("button", name="Mark lesson as done").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quiz")
    check_page(page, "quiz")

    page.get_by_label("A vague wish").check()
    page.get_by_label("Solution").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("You scored 0% on attempt 1; you need 100%")).to_be_visible()
    expect(page.get_by_text("FEEDBACK-WRONG")).to_be_visible()
    check_page(page, "quiz-failed")

    page.get_by_role("link", name="Try again").click()  # an empty form for attempt 2
    page.get_by_label("A daily workaround").check()
    page.get_by_label("Who", exact=True).check()
    page.get_by_label("Cost").check()
    page.get_by_role("button", name="Submit attempt 2").click()
    expect(
        page.get_by_text("Congratulations, you completed “Spotting opportunities”")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="You completed this course")).to_be_visible()
    check_page(page, "course-completed")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    completed = page.get_by_role("region", name="Completed")
    expect(completed.locator("progress")).to_have_attribute("value", "100")
    expect(completed).to_contain_text(re.compile(r"Badge (awarded|requested)"))
    expect(completed).to_contain_text("Opportunity Spotter")
    check_page(page, "dashboard")

    # The same pages on a phone.
    at_phone_width(page)
    check_page(page, "dashboard")
    page.goto(course_site.url + "/courses/")
    check_page(page, "catalogue")
    page.goto(course_site.url + "/courses/spotting-opportunities/")
    check_page(page, "course-completed")
