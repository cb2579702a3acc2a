"""Mentoring journeys in Chromium: availability, booking across time zones, the invitation's
SEQUENCE and METHOD through reschedule and cancel, and the programme badge after feedback. Every
page is audited (axe, no sideways scroll); the booking and the cancelling are done with the
keyboard alone."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from cms import roles
from cms.services import mark_email_verified
from credentials.models import Award, BadgeClass, Issuer
from mentoring.models import MentoringProgramme, MentorProfile, MentorSession
from tests.browser.helpers import FOCUS_RING, check_page, keyboard_activate, keyboard_fill

PASSWORD = "a-long-unusual-passphrase"


def person(email, name, zone, *role_names):
    user = get_user_model().objects.create_user(
        email=email, password=PASSWORD, display_name=name, time_zone=zone
    )
    roles.grant(user, *role_names)
    mark_email_verified(user)  # they confirmed their address when they signed up
    return user


def log_in(page: Page, site, email: str) -> None:
    page.goto(site.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def keyboard_pick(page: Page, radio, max_tabs: int = 120) -> None:
    """Tab to a slot's radio button and tick it with Space. The button itself is hidden behind
    its label, so the visible focus indicator is the label's."""
    for _ in range(max_tabs):
        if radio.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError(f"{max_tabs} presses of Tab never reached {radio}")
    assert radio.evaluate(f"el => ({FOCUS_RING})(el.labels[0])"), "the slot shows no focus"
    page.keyboard.press("Space")
    expect(radio).to_be_checked()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def invitations_to(email: str) -> list[tuple[str, int, str]]:
    """(METHOD, SEQUENCE, STATUS) of each calendar invitation sent to ``email``, in order."""
    found = []
    for message in mail.outbox:
        if message.to != [email]:
            continue
        for part in message.message().walk():
            if part.get_content_type() == "text/calendar":
                calendar = Calendar.from_ical(part.get_payload(decode=True))
                event = calendar.walk("VEVENT")[0]
                assert part.get_param("method") == str(calendar["METHOD"])
                found.append(
                    (str(calendar["METHOD"]), int(event["SEQUENCE"]), str(event["STATUS"]))
                )
    return found


def test_mentor_sets_hours_learner_elsewhere_books_moves_and_cancels(page: Page, site):
    maya = person("maya@example.com", "Maya Mentor", "Europe/Berlin", roles.MENTORS)
    MentorProfile.objects.create(
        user=maya, organisation="Brightline", time_zone="Europe/Berlin", session_minutes=60,
        slot_step_minutes=60, min_notice_hours=0, buffer_after_minutes=0, languages=",en,",
        cancellation_cutoff_hours=1,
    )  # fmt: skip
    lena = person("lena@example.org", "Lena", "America/New_York", roles.LEARNERS)

    # The mentor sets weekday hours in the week editor.
    log_in(page, site, maya.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentor desk").click()
    check_page(page, "desk")
    page.get_by_role("link", name="Availability").first.click()
    expect(page.get_by_text("Wall-clock times in Europe/Berlin")).to_be_visible()
    check_page(page, "availability")
    monday = page.locator('[data-day="0"]')
    monday.locator("[data-start]").first.fill("08:00")
    monday.locator("[data-end]").first.fill("12:00")
    monday.get_by_role("button", name="+ Add hours").click()
    monday.locator("[data-start]").nth(1).fill("13:00")
    monday.locator("[data-end]").nth(1).fill("18:00")
    page.get_by_role("button", name="Copy Monday to Tuesday–Friday").click()
    expect(page.locator('[data-day="4"] [data-start]').nth(1)).to_have_value("13:00")
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.get_by_role("status")).to_contain_text("Your weekly hours are saved")
    assert maya.mentor_profile.weekly.count() == 10
    log_out(page)

    # A learner in New York books a slot shown in her own time zone.
    log_in(page, site, lena.email)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Mentors", exact=True).click()
    check_page(page, "mentors")
    page.get_by_role("link", name="Maya Mentor").first.click()
    expect(page.get_by_text("Times in America/New_York (your time zone)")).to_be_visible()
    later = page.get_by_role("link", name="Later →")
    if page.locator(".slot label").count() < 3:
        later.click()
    check_page(page, "mentor")
    # She books with the keyboard alone: Tab to the first free time, Space, the goal, Enter.
    picked = page.locator(".slot label").first.inner_text().splitlines()[0]
    keyboard_pick(page, page.locator(".slot input").first)
    keyboard_fill(
        page, page.get_by_label("Your goal for this session"), "Shape my pilot with a company"
    )
    keyboard_activate(page, page.get_by_role("button", name="Book this time"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Session with Maya Mentor")
    check_page(page, "session")
    expect(page.get_by_text(re.compile(rf"{picked}–"))).to_be_visible()
    session = MentorSession.objects.get()
    assert session.learner == lena and session.status == "confirmed"
    assert invitations_to(maya.email) == [("REQUEST", 0, "CONFIRMED")]
    assert invitations_to(lena.email) == [("REQUEST", 0, "CONFIRMED")]

    # She moves it: the same session, SEQUENCE 1.
    page.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move the session")
    if page.locator(".slot label").count() < 2:
        page.get_by_role("link", name="Later →").click()
    check_page(page, "reschedule")
    page.locator(".slot label").nth(1).click()
    page.get_by_role("button", name="Move to this time").click()
    expect(page.get_by_role("status")).to_contain_text("Moved")
    moved = MentorSession.objects.get()
    assert moved.uid == session.uid and moved.starts_at != session.starts_at
    assert invitations_to(maya.email)[-1] == ("REQUEST", 1, "CONFIRMED")

    # Then she cancels, by keyboard: METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE 2.
    keyboard_fill(page, page.get_by_label("Why are you cancelling?"), "My exam moved to that day.")
    keyboard_activate(page, page.get_by_role("button", name="Cancel the session"))
    expect(page.get_by_role("status")).to_contain_text("cancelled")
    expect(page.get_by_text("My exam moved to that day.")).to_be_visible()
    check_page(page, "cancelled")
    assert invitations_to(maya.email) == [
        ("REQUEST", 0, "CONFIRMED"),
        ("REQUEST", 1, "CONFIRMED"),
        ("CANCEL", 2, "CANCELLED"),
    ]
    assert invitations_to(lena.email)[-1] == ("CANCEL", 2, "CANCELLED")


def test_after_a_completed_session_with_feedback_the_badge_reaches_the_backpack(page: Page, site):
    paul = person("paul@helix.example", "Paul Partner", "Europe/Berlin", roles.MENTORS)
    mentor = MentorProfile.objects.create(
        user=paul, organisation="Helix Robotics", time_zone="Europe/Berlin"
    )
    lena = person("lena@example.org", "Lena", "Europe/Lisbon", roles.LEARNERS)
    helix = Issuer.objects.create(
        slug="helix", name="Helix Robotics", kind="company", url="https://helix.example",
        email="academy@helix.example", country="DE",
    )  # fmt: skip
    badge = BadgeClass.objects.create(
        issuer=helix, slug="mentee", name="Industry co-creation mentee",
        description="Worked with an industry mentor.", criteria_narrative="One session.",
        status=BadgeClass.Status.PUBLISHED,
    )  # fmt: skip
    programme = MentoringProgramme.objects.create(
        name="Industry co-creation mentoring", slug="industry", badge_class=badge,
        required_sessions=1, minimum_weeks=0,
    )  # fmt: skip
    programme.mentors.add(mentor)
    programme.learners.add(lena)
    start = timezone.now() - timedelta(hours=2)
    session = MentorSession.objects.create(
        mentor=mentor, learner=lena, starts_at=start, ends_at=start + timedelta(minutes=45),
        goal="Test the prototype idea",
    )  # fmt: skip

    log_in(page, site, paul.email)
    page.goto(site.url + session.get_absolute_url())
    check_page(page, "past-session")
    page.get_by_role("button", name="Mark completed").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as completed")
    note = "Next: build the paper prototype and test it with two users."
    page.get_by_label("Note", exact=True).fill(note)
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    log_out(page)

    log_in(page, site, lena.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My sessions").click()
    check_page(page, "my-sessions")
    page.get_by_role("link", name="With Paul Partner").click()
    expect(page.get_by_text("build the paper prototype")).to_be_visible()
    check_page(page, "completed-session")
    page.get_by_label("5 — very useful").check()
    page.get_by_label("Feedback for your mentor").fill("Clear next steps, thank you.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("your mentor sees your feedback")
    check_page(page, "feedback-sent")

    award = Award.objects.get(badge_class=badge, recipient=lena)
    assert any("Paul Partner" in item["name"] for item in award.evidence)
    page.goto(site.url + programme.get_absolute_url())
    expect(page.get_by_text(re.compile("Badge earned on"))).to_be_visible()
    check_page(page, "programme")
    try:
        backpack = reverse("credentials_manage:backpack")
    except NoReverseMatch:  # the credentials app's backpack is not mounted in this tree yet
        backpack = None
    if backpack:
        page.goto(site.url + backpack)
        expect(page.get_by_text("Industry co-creation mentee").first).to_be_visible()
        check_page(page, "backpack")
