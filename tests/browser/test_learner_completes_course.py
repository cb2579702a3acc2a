"""A learner logs in and lands on their learning, watches a lesson's video, passes the last
quiz and reaches the completion page: the badge, sharing it, the next course. At desktop and
phone width, every page audited (axe, no sideways scroll); the quiz and the sharing are done with
the keyboard alone."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    PASSWORD,
    address_verified,
    at_desktop_width,
    at_phone_width,
    check_page,
    keyboard_activate,
    main_nav,
)

EMAIL = "nora.completes@example.org"
# (A quiz form's #anchor may ride along through the redirect.)
COMPLETION_URL = re.compile(r"/learning/courses/\d+/completed/(#.*)?$")


@pytest.fixture
def nearly_finished(site):
    """Nora has done every lesson of "Spotting opportunities" but the graded quiz; another
    course waits in the catalogue. One lesson carries the demo's video, picture and download."""
    from django.contrib.auth import get_user_model

    from cms import roles
    from cms.models import HomePage
    from credentials.frameworks import load_frameworks
    from credentials.models import Competency, Framework, Issuer
    from learning import demo, services
    from learning.demo_content import OPPORTUNITIES
    from learning.models import LessonPage
    from tests.learning.conftest import add_lesson, build_course, make_badge, make_issuer

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
    lessons = {item["slug"]: item for item in OPPORTUNITIES["lessons"]}
    body = lessons["scoring-in-practice"]["body"]
    lesson = add_lesson(course, "scoring-in-practice", demo._with_media(body, demo.demo_media()))
    quiz = LessonPage.objects.child_of(course).get(slug__endswith="-quiz")
    quiz.move(lesson, pos="right")  # the quiz stays the last lesson
    build_course(catalogue, "teamwork", title="Teamwork in mixed teams")
    user = get_user_model().objects.create_user(email=EMAIL, password=PASSWORD, display_name="Nora")
    roles.grant(user, roles.LEARNERS)
    address_verified(EMAIL)
    services.enrol(user, course)
    for item in services.course_lessons(course):
        if not item.slug.endswith("-quiz"):
            services.mark_lesson_done(user, LessonPage.objects.get(pk=item.pk))
    return site


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_learner_logs_in_finishes_the_course_and_shares_the_badge(page: Page, nearly_finished):
    base = nearly_finished.url
    at_desktop_width(page)
    page.goto(base + "/accounts/login/")
    check_page(page, "login")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Log-in lands on the learning dashboard, not the profile page.
    expect(page).to_have_url(re.compile(r"/learning/$"))
    expect(page.get_by_role("heading", name="My learning", level=1)).to_be_visible()
    current = page.get_by_role("region", name="In progress")
    expect(current).to_contain_text("3 of 4 lessons · 0 of 1 graded quiz")
    expect(current.locator("progress")).to_have_attribute("value", "60")
    check_page(page, "dashboard")
    no_sideways_scroll(page)

    # The lesson with media: the bundled video loads (same origin, allowed by the policy).
    current.get_by_role("link", name="Spotting opportunities", exact=True).click()
    expect(page.get_by_role("heading", name="Spotting opportunities", level=1)).to_be_visible()
    check_page(page, "course")
    page.get_by_role("link", name="Scoring In Practice").first.click()
    video = page.locator("video")
    expect(video).to_be_visible()
    # (Not wait_for_function: it evaluates a string, which the page's policy forbids.)
    assert video.evaluate(
        """v => v.readyState >= 1 || new Promise(resolve => {
             v.addEventListener("loadedmetadata", () => resolve(true), {once: true});
             setTimeout(() => resolve(v.readyState >= 1), 15000);
           })"""
    )
    expect(video.locator("track[kind=captions]")).to_have_count(1)
    expect(page.get_by_role("link", name="Problem statement canvas (worksheet)")).to_be_visible()
    check_page(page, "lesson-media")

    # The last step: pass the graded quiz, with the keyboard alone (Space ticks, Enter sends).
    page.goto(base + "/learning/")
    page.get_by_role("region", name="In progress").get_by_role(
        "link", name="Spotting Opportunities Quiz"
    ).click()
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()
    check_page(page, "quiz")
    for choice in ("A daily workaround", "Who", "Cost"):
        keyboard_activate(page, page.get_by_label(choice, exact=True), key="Space")
        expect(page.get_by_label(choice, exact=True)).to_be_checked()
    keyboard_activate(page, page.get_by_role("button", name="Submit answers"))

    # The moment: its own page.
    expect(page).to_have_url(COMPLETION_URL)
    expect(page.get_by_role("heading", name="you completed this course", level=1)).to_be_visible()
    expect(
        page.get_by_text("Congratulations, you completed “Spotting opportunities”")
    ).to_be_visible()
    for _ in range(5):  # the badge is signed after the completion commits
        if page.get_by_role("heading", name="Opportunity Spotter").count():
            break
        page.get_by_role("link", name="Refresh").click()
    expect(page.get_by_role("heading", name="Opportunity Spotter", level=2)).to_be_visible()
    expect(page.get_by_role("link", name="View your credential")).to_be_visible()
    expect(page.get_by_role("link", name="Download the badge (PNG)")).to_be_visible()
    next_courses = page.get_by_role("region", name="What to learn next")
    expect(next_courses.get_by_role("link", name="Teamwork in mixed teams")).to_be_visible()
    check_page(page, "completion-private")

    # Sharing, by keyboard: make it public, then LinkedIn and the link.
    keyboard_activate(page, page.get_by_role("button", name="Make it public to share"))
    expect(page).to_have_url(COMPLETION_URL)
    linkedin = page.get_by_role("link", name=re.compile("Add to LinkedIn"))
    expect(linkedin).to_have_attribute(
        "href", re.compile(r"^https://www\.linkedin\.com/profile/add\?")
    )
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    expect(page.get_by_label("Public link of Opportunity Spotter")).to_have_value(
        re.compile(r"/credentials/[0-9a-f-]+/$")
    )
    keyboard_activate(page, page.get_by_role("button", name="Copy link"))
    expect(page.locator("[data-copy-status]")).to_have_text(
        re.compile("Link copied|Press Ctrl\\+C to copy")
    )
    check_page(page, "completion-public")
    no_sideways_scroll(page)

    # The same pages on a phone.
    at_phone_width(page)
    page.reload()
    expect(page.get_by_role("heading", name="you completed this course", level=1)).to_be_visible()
    check_page(page, "completion-phone")
    no_sideways_scroll(page)
    main_nav(page).get_by_role("link", name="My learning").click()
    completed = page.get_by_role("region", name="Completed")
    expect(completed).to_contain_text("Spotting opportunities")
    expect(completed.locator("progress")).to_have_attribute("value", "100")
    check_page(page, "dashboard-phone")
    no_sideways_scroll(page)
    completed.get_by_role("link", name=re.compile("Share your badge")).click()
    expect(page).to_have_url(COMPLETION_URL)
