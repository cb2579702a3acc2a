import re

from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.browser.helpers import check_page, keyboard_activate, keyboard_fill, main_nav

PASSWORD = "a-long-unusual-passphrase"


def test_visitor_opens_home_signs_up_logs_out_and_in_again(page: Page, site, journey_width):
    cache.clear()  # allauth's per-address mail cooldown and rate limits live in the cache
    page.goto(site.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("universities and industry")
    check_page(page, "home")

    main_nav(page).get_by_role("link", name="Sign up").click()
    check_page(page, "sign-up")
    page.get_by_label("E-mail address").fill("vera.visitor@example.org")
    page.get_by_label("Your name").fill("Vera")
    page.get_by_label("Time zone").select_option("Europe/Madrid")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # The address is confirmed from the e-mail before the account can be used.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    check_page(page, "check-your-email")
    sent = [m for m in mail.outbox if m.to == ["vera.visitor@example.org"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", sent[-1].body).group(0)
    page.goto(link)
    check_page(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    expect(main_nav(page).get_by_role("link", name="Vera")).to_be_visible()
    check_page(page, "first-page")
    main_nav(page).get_by_role("link", name="Vera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Vera")
    expect(page.get_by_text("Learners", exact=True)).to_be_visible()
    check_page(page, "account")

    main_nav(page).get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/$"))

    main_nav(page).get_by_role("link", name="Log in").click()
    check_page(page, "log-in")
    page.get_by_label("E-mail address").fill("vera.visitor@example.org")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    check_page(page, "log-in-refused")

    # Logging in again, with the keyboard alone.
    keyboard_fill(page, page.get_by_label("Password"), PASSWORD)
    keyboard_activate(page, page.get_by_role("button", name="Log in"))
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_be_attached()

    main_nav(page).get_by_role("button", name="Log out").click()
    expect(main_nav(page).get_by_role("link", name="Sign up")).to_be_visible()


def test_visitor_opens_and_closes_the_menu_by_keyboard_on_a_phone(page: Page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.url)
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main", include_hidden=True)
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    # The header stays short on a phone: the brand and the button, the links folded away.
    assert page.locator(".site-header").bounding_box()["height"] < 80

    keyboard_activate(page, menu)
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Verify")).to_be_visible()
    check_page(page, "menu-open")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(nav).to_be_hidden()


def test_visitor_sees_the_designed_404_page(page: Page, site):
    page.goto(site.url + "/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    check_page(page, "not-found")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("universities and industry")
