import re

from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

PASSWORD = "a-long-unusual-passphrase"


def test_visitor_opens_home_signs_up_logs_out_and_in_again(page: Page, site):
    cache.clear()  # allauth's per-address mail cooldown and rate limits live in the cache
    page.goto(site.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("universities and industry")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail address").fill("vera.visitor@example.org")
    page.get_by_label("Your name").fill("Vera")
    page.get_by_label("Time zone").select_option("Europe/Madrid")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # The address is confirmed from the e-mail before the account can be used.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    sent = [m for m in mail.outbox if m.to == ["vera.visitor@example.org"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", sent[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Vera")
    expect(page.get_by_text("Learners", exact=True)).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Log in", exact=True).first).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail address").fill("vera.visitor@example.org")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Vera")

    page.get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up")
    ).to_be_visible()


def test_visitor_sees_the_designed_404_page(page: Page, site):
    page.goto(site.url + "/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("universities and industry")
