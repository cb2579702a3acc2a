"""A learner switches the site to French, completes a lesson, books a mentor, and receives the
invitation (its e-mail and its calendar file) in French; the mentor's copy stays in German.

Every label the test clicks is looked up in the French catalogue, so the journey proves the
French pages are what a French reader sees, not English with a French address."""

from django.core import mail
from django.utils import translation
from icalendar import Calendar
from playwright.sync_api import Page, expect

from cms import roles
from learning.models import LessonProgress
from mentoring.models import MentorSession
from tests.browser.helpers import PASSWORD, address_verified, check_page


def french(msgid: str, context: str | None = None, same: bool = False) -> str:
    """``msgid`` as the French pages show it; it must be translated, not left in English
    (``same``: a word French spells the same, such as "Mentors")."""
    with translation.override("fr"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert same or text != msgid, f"not translated into French: {msgid!r}"
    return text


def french_nav(page: Page):
    """The main navigation, in French, opened first where it folds (a phone)."""
    toggle = page.get_by_role("button", name=french("Menu") if french_ok("Menu") else "Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return page.get_by_role("navigation", name=french("Main", "navigation"))


def french_ok(msgid: str) -> bool:
    with translation.override("fr"):
        return translation.gettext(msgid) != msgid


def before_placeholder(text: str) -> str:
    """The words before the first placeholder (a subject line's spaces are plain ones)."""
    return " ".join(text.split("%(", 1)[0].split())


def test_learner_switches_to_french_learns_books_and_is_invited_in_french(
    page: Page, site, journey_width
):
    from django.contrib.auth import get_user_model

    from cms.models import HomePage
    from learning import demo
    from tests.learning.conftest import build_course
    from tests.mentoring.conftest import make_mentor

    catalogue = demo.seed_catalogue(HomePage.objects.get())
    build_course(catalogue, "prototyper", title="Prototyping with partners")
    maya = make_mentor("maya@helix.example", hours=((7, 21),), min_notice_hours=1)
    maya.user.language = "de"
    maya.user.save(update_fields=["language"])
    lea = get_user_model().objects.create_user(
        email="lea@example.org", password=PASSWORD, display_name="Léa", time_zone="Europe/Paris"
    )
    roles.grant(lea, roles.LEARNERS)
    address_verified(lea.email)

    # She signs in on the English site and switches to French in the header.
    page.goto(site.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(lea.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    switch = page.locator("[data-language-switch]")
    switch.locator("summary").click()
    switch.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert "/fr/" in page.url
    lea.refresh_from_db()
    assert lea.language == "fr"  # her e-mails follow her choice
    check_page(page, "fr-after-switch")

    # The catalogue and the course, in French.
    french_nav(page).get_by_role("link", name=catalogue.title).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="Prototyping with partners", exact=True).click()
    check_page(page, "fr-course")
    page.get_by_role("button", name=french("Enrol"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prototyper Intro")
    check_page(page, "fr-lesson")
    page.get_by_role("button", name=french("Mark lesson as done")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reflect")
    assert LessonProgress.objects.filter(enrolment__user=lea).count() == 1

    # She books a mentor, in French.
    french_nav(page).get_by_role("link", name=french("Mentors", same=True), exact=True).click()
    check_page(page, "fr-mentors")
    page.get_by_role("link", name=maya.user.display_name).first.click()
    if page.locator(".slot label").count() < 3:  # a weekend: her hours are on weekdays
        page.get_by_role("link", name=french("Later →")).click()
    page.locator(".slot label").first.click()
    page.get_by_label(french("Your goal for this session")).fill("Tester mon prototype")
    page.get_by_role("button", name=french("Book this time")).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    check_page(page, "fr-session")
    session = MentorSession.objects.get()
    assert session.learner == lea

    # Her invitation is French, subject, text and calendar entry; the mentor's is German.
    def invitation(email: str):
        (message,) = [m for m in mail.outbox if m.to == [email]]
        (ics,) = [
            p.get_payload(decode=True)
            for p in message.message().walk()
            if p.get_content_type() == "text/calendar"
        ]
        return message, Calendar.from_ical(ics).walk("VEVENT")[0]

    message, event = invitation(lea.email)
    headline = session.last_change or "booked"
    subject = {
        "booked": "Booked: mentoring with %(other)s, %(when)s",
        "confirmed": "Confirmed: mentoring with %(other)s, %(when)s",
        "requested": "Requested: mentoring with %(other)s, %(when)s",
    }[headline]
    assert " ".join(message.subject.split()).startswith(before_placeholder(french(subject)))
    assert before_placeholder(french("Hello %(name)s,")) in " ".join(message.body.split())
    summary = " ".join(str(event["SUMMARY"]).split())
    assert summary.startswith(before_placeholder(french("Mentoring: %(mentor)s and %(learner)s")))
    assert "/fr/" in message.body  # the link back opens the French page

    message, event = invitation(maya.user.email)
    with translation.override("de"):
        german = translation.gettext("Mentoring: %(mentor)s and %(learner)s")
    assert german != "Mentoring: %(mentor)s and %(learner)s"
    assert " ".join(str(event["SUMMARY"]).split()).startswith(before_placeholder(german))
