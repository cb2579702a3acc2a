"""A learner fails a quiz, tries again from an empty form, uses every attempt (the right answers
stay hidden) and asks the course team for another; the course staff grant one more from the
course report; the learner passes on attempt 3 and only then sees the right answers. At desktop
and phone width, every page audited (``check_page``)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import check_page, log_in, log_out
from tests.browser.second_factor import log_in_with_second_factor

LEARNER = "nora@example.org"
STAFF = "staff@northbridge.example"


@pytest.fixture
def retry_site(site):
    from django.contrib.auth import get_user_model

    from cms import roles
    from cms.models import HomePage
    from learning import demo, services
    from tests.browser.helpers import PASSWORD
    from tests.learning.conftest import build_course, make_badge, make_issuer, quiz_lesson

    uni = make_issuer("northbridge")
    catalogue = demo.seed_catalogue(HomePage.objects.get())
    course = build_course(
        catalogue,
        "spotting-opportunities",
        title="Spotting opportunities",
        institutions=[uni],
        badge=make_badge(uni, "opportunity-spotter", name="Opportunity Spotter"),
    )
    people = get_user_model().objects
    nora = people.create_user(email=LEARNER, password=PASSWORD, display_name="Nora")
    roles.grant(nora, roles.LEARNERS)
    services.enrol(nora, course)
    staff = people.create_user(email=STAFF, password=PASSWORD, display_name="Sam Staff")
    roles.grant(staff, roles.ISSUER_STAFF)
    uni.staff.add(staff)
    site.quiz_url = site.url + quiz_lesson(course).url
    return site


def answer(page: Page, *labels: str) -> None:
    for label in labels:
        page.get_by_label(label, exact=True).check()


def test_learner_retries_from_an_empty_form_and_staff_grant_one_more_attempt(
    page: Page, retry_site, journey_width
):
    log_in(page, retry_site.url, LEARNER)
    page.goto(retry_site.quiz_url)
    check_page(page, "quiz-first-attempt")
    answer(page, "A vague wish", "Solution")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("You scored 0% on attempt 1; you need 100%")).to_be_visible()
    expect(page.get_by_text("You have 1 attempt left.")).to_be_visible()
    expect(page.get_by_text("FEEDBACK-WRONG")).to_be_visible()
    check_page(page, "quiz-failed-once")

    page.get_by_role("link", name="Try again").click()
    form = page.locator("form.quiz-form")
    expect(form.locator("input:checked")).to_have_count(0)  # nothing carried over
    expect(page.get_by_text("FEEDBACK-WRONG")).to_have_count(0)
    check_page(page, "quiz-try-again")
    answer(page, "A vague wish", "Who")
    page.get_by_role("button", name="Submit attempt 2").click()
    expect(page.get_by_text("You have no attempts left").first).to_be_visible()
    expect(page.get_by_role("link", name="Try again")).to_have_count(0)
    expect(page.locator("#main a[href^='mailto:']")).to_have_count(1)  # write to the team
    expect(page.get_by_text("Not quite").first).to_be_visible()  # which answers were wrong
    expect(page.get_by_text("Correct answer")).to_have_count(0)  # but not the right ones
    page.get_by_role("button", name="Ask the course team for another attempt").click()
    expect(page.get_by_text("Your request is sent to the course team")).to_be_visible()
    check_page(page, "quiz-out-of-attempts")
    log_out(page)

    log_in_with_second_factor(page, retry_site.url, STAFF)
    page.goto(retry_site.url + "/learning/reports/")
    waiting = page.get_by_role("region", name="Learners asking for another quiz attempt")
    waiting.get_by_role("link", name="Spotting opportunities").click()
    requests = page.get_by_role("region", name="1 learner asked for another quiz attempt")
    expect(requests).to_be_visible()
    check_page(page, "report-with-request")
    requests.get_by_role("link", name="Nora").click()
    expect(page.get_by_role("heading", level=1, name="Nora")).to_be_visible()
    check_page(page, "report-learner")
    page.get_by_role("link", name="Grant one more attempt").click()
    expect(page.get_by_role("heading", name="Grant one more attempt?")).to_be_visible()
    check_page(page, "report-grant-confirm")
    page.get_by_role("button", name="Grant one more attempt").click()
    expect(page.get_by_text("Nora has one more attempt")).to_be_visible()
    expect(
        page.get_by_text("Granted one more attempt after attempt 2", exact=False)
    ).to_be_attached()
    log_out(page)

    log_in(page, retry_site.url, LEARNER)
    page.goto(retry_site.quiz_url)
    page.get_by_role("link", name="Try again").click()
    answer(page, "A daily workaround", "Who", "Cost")
    page.get_by_role("button", name="Submit attempt 3").click()
    expect(page.get_by_text("You passed with 100%")).to_be_visible()
    expect(page.get_by_text("Correct answer").first).to_be_visible()
    check_page(page, "quiz-passed-on-attempt-3")
