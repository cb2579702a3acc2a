"""What several journeys do the same way: the shared password, a badge image, logging in/out."""

import io

from PIL import Image
from playwright.sync_api import Page, expect

PASSWORD = "a-long-unusual-passphrase"


def badge_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (29, 78, 216)).save(out, format="PNG")
    return out.getvalue()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True).first).to_be_visible()
