"""The mentor's journey in Chromium, at desktop and phone width: decline a request with a
message to the learner (with the keyboard alone), then block a holiday and see what is still
booked in it. Every page is audited (axe, no sideways scroll)."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from cms import roles
from mentoring import services
from mentoring.models import MentorProfile, MentorSession, TimeOff, WeeklyAvailability
from tests.browser.helpers import PASSWORD, check_page, keyboard_activate, keyboard_fill, log_in

BERLIN = ZoneInfo("Europe/Berlin")


def person(email, name, zone, *role_names):
    user = get_user_model().objects.create_user(
        email=email, password=PASSWORD, display_name=name, time_zone=zone
    )
    roles.grant(user, *role_names)
    return user


def no_sideways_scroll(page: Page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_mentor_declines_a_request_and_blocks_a_holiday(page: Page, site, journey_width):
    rosa = person("rosa@helix.example", "Rosa Mentor", "Europe/Berlin", roles.MENTORS)
    profile = MentorProfile.objects.create(
        user=rosa, organisation="Helix Robotics", time_zone="Europe/Berlin", session_minutes=60,
        slot_step_minutes=60, min_notice_hours=0, buffer_after_minutes=0, languages=",en,",
        requires_confirmation=True,
    )  # fmt: skip
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(mentor=profile, weekday=d, start_time=time(9), end_time=time(17))
        for d in range(7)
    )
    lena = person("lena@example.org", "Lena Learner", "Europe/Lisbon", roles.LEARNERS)
    omar = person("omar@example.org", "Omar Learner", "Asia/Tokyo", roles.LEARNERS)
    free = services.free_slots_for(profile)
    asked = services.book(profile, lena, free[10].start, goal="Prepare my pitch")
    kept = services.book(profile, omar, free[20].start, goal="Review my prototype")
    services.confirm(kept, by=rosa)
    mail.outbox.clear()

    # The desk lists the request once, under "Requests to confirm".
    log_in(page, site.url, rosa.email)
    page.goto(site.url + "/mentors/desk/")
    expect(page.get_by_role("heading", name="Requests to confirm")).to_be_visible()
    expect(page.get_by_role("link", name="With Lena Learner")).to_have_count(1)
    expect(page.get_by_role("link", name="With Omar Learner")).to_have_count(1)
    check_page(page, "desk")
    no_sideways_scroll(page)

    # She declines Lena's request with a message, with the keyboard alone.
    keyboard_activate(page, page.get_by_role("link", name="With Lena Learner"))
    expect(page.get_by_role("heading", name="Confirm or decline this request")).to_be_visible()
    check_page(page, "request")
    keyboard_activate(page, page.locator("summary", has_text="Decline…"))
    keyboard_fill(page, page.get_by_label("Message to the learner"), "I am at a trade fair then.")
    keyboard_activate(page, page.get_by_role("button", name="Decline the request"))
    expect(page.get_by_role("status")).to_contain_text("Declined")
    expect(page.get_by_text("I am at a trade fair then.")).to_be_visible()
    check_page(page, "declined")
    no_sideways_scroll(page)
    asked.refresh_from_db()
    assert asked.status == MentorSession.Status.DECLINED
    to_lena = [m for m in mail.outbox if m.to == [lena.email]]
    assert len(to_lena) == 1 and "I am at a trade fair then." in to_lena[0].body

    # She blocks her holiday, which holds Omar's confirmed session: it is listed, not cancelled.
    page.goto(site.url + "/mentors/desk/availability/")
    first = kept.starts_at.astimezone(BERLIN).date()
    last = first + timedelta(days=6)
    page.get_by_label("First day off").fill(first.isoformat())
    page.get_by_label("Last day off").fill(last.isoformat())
    page.get_by_label("Reason").fill("Summer holiday")
    page.get_by_role("button", name="Block these days").click()
    expect(page.get_by_role("status")).to_contain_text("You are off from")
    expect(page.get_by_text("Still booked in these days")).to_be_visible()
    expect(page.get_by_role("link", name="with Omar Learner")).to_be_visible()
    check_page(page, "time-off")
    no_sideways_scroll(page)
    assert TimeOff.objects.get(mentor=profile).last_day == last
    kept.refresh_from_db()
    assert kept.status == MentorSession.Status.CONFIRMED
    assert all(
        not (first <= s.start.astimezone(BERLIN).date() <= last)
        for s in services.free_slots_for(profile, now=timezone.now())
    )

    # A range that ends before it starts is refused with a clear message.
    page.get_by_label("First day off").fill(last.isoformat())
    page.get_by_label("Last day off").fill(first.isoformat())
    page.get_by_role("button", name="Block these days").click()
    expect(page.get_by_text("before it starts")).to_be_visible()
    check_page(page, "time-off-error")
    no_sideways_scroll(page)

    # The desk tells her what is booked during the time off.
    page.goto(site.url + "/mentors/desk/")
    expect(page.get_by_role("heading", name="Booked during your time off")).to_be_visible()
    check_page(page, "desk-time-off")
    no_sideways_scroll(page)
