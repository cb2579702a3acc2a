"""What several journeys do the same way: the shared password, a badge image, logging in/out,
dragging a file in from the desktop."""

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, Page, expect

PASSWORD = "a-long-unusual-passphrase"


def badge_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (29, 78, 216)).save(out, format="PNG")
    return out.getvalue()


def address_verified(email: str) -> None:
    """The person made in the test's setup confirmed their address long ago (allauth's
    mandatory verification): give their account a verified, primary ``EmailAddress``."""
    from django.contrib.auth import get_user_model

    from cms.services import mark_email_verified

    for user in get_user_model().objects.filter(email__iexact=email):
        mark_email_verified(user)


def log_in(page: Page, base: str, email: str) -> None:
    address_verified(email)
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True).first).to_be_visible()


class FileDrag:
    """A file dragged in from the desktop, the way a person does it.

    Goes through Chromium's own drag-and-drop (DevTools ``Input.dispatchDragEvent``): the
    browser hit-tests the point, fires trusted ``dragenter``/``dragover``/``drop`` events on
    whatever is there, and ``event.dataTransfer.files`` holds the file only at the drop, as in
    a real drag. A page that does not accept the drop gets the browser's default instead.
    """

    def __init__(self, page: Page, path: Path) -> None:
        # dragOperationsMask 1: the source offers a copy, as a file manager does.
        self.data = {"items": [], "files": [str(Path(path).resolve())], "dragOperationsMask": 1}
        self.cdp = page.context.new_cdp_session(page)
        self.point: tuple[float, float] | None = None

    def _send(self, kind: str) -> None:
        x, y = self.point
        self.cdp.send("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": self.data})

    def over(self, target: Locator) -> None:
        """Bring the file over the middle of ``target``, which must be on top there."""
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        assert box is not None, "the drop target is not displayed"
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        on_top = target.evaluate(
            "(el, [x, y]) => { const hit = document.elementFromPoint(x, y); "
            "return !!hit && (hit === el || el.contains(hit)); }",
            [x, y],
        )
        assert on_top, f"something covers the drop target at ({x:.0f}, {y:.0f})"
        self.point = (x, y)
        self._send("dragEnter")
        self._send("dragOver")

    def drop(self) -> None:
        self._send("drop")
        self.cdp.detach()
