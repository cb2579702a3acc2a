"""What several journeys do the same way: the shared password, a badge image, logging in/out,
dragging a file in from the desktop; and the standards every page meets (``check_page``: axe-core
WCAG 2.1 AA audit, no sideways scroll, screenshots) with keyboard-only interaction."""

import io
import os
import re
from pathlib import Path

import pytest
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


def main_nav(page: Page) -> Locator:
    """The main navigation, opened first where it folds behind the "Menu" button (a phone)."""
    toggle = page.get_by_role("button", name="Menu", exact=True)
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return page.get_by_role("navigation", name="Main")


def logged_in_menu(page: Page) -> Locator:
    """The "Log out" button, there (if folded away on a phone) whenever someone is logged in."""
    return page.get_by_role("button", name="Log out", include_hidden=True)


def log_in(page: Page, base: str, email: str) -> None:
    address_verified(email)
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(logged_in_menu(page)).to_be_attached()


def log_out(page: Page) -> None:
    main_nav(page).get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("link", name="Log in", exact=True, include_hidden=True).first
    ).to_be_attached()


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


# --- The standards every page meets (issue 13): WCAG 2.1 AA, 390 px, keyboard alone -------------

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page: Page, exclude: list[str] | None = None) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page in view, serious or critical only.

    The bundled axe.min.js goes in through ``page.evaluate`` (DevTools' Runtime.evaluate),
    which the page's Content-Security-Policy does not govern: no inline script is added to the
    document, so the strict policy stays as it is and no violation is reported.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    context = {"exclude": [[selector] for selector in exclude or []]}
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    results = page.evaluate("([context, options]) => axe.run(context, options)", [context, options])
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary[:240]}")
    return "\n".join(lines)


def horizontal_overflow(page: Page) -> dict | None:
    """None when the document is no wider than the viewport; else the widths and the elements
    that stick out past the right edge (the outermost few), to say what to fix."""
    return page.evaluate(
        """() => {
          const doc = document.documentElement, view = window.innerWidth;
          if (doc.scrollWidth <= view) return null;
          const wide = [];
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.right > view + 1 && !(el.parentElement && wide.includes(el.parentElement))) {
              const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.classList.length ? '.' + [...el.classList].join('.') : '');
              wide.push(el);
              wide[name] = Math.round(box.right);
            }
          }
          const named = Object.keys(wide).filter(k => isNaN(k)).slice(0, 8);
          return {scrollWidth: doc.scrollWidth, innerWidth: view,
                  elements: named.map(k => k + ' (right edge ' + wide[k] + ')')};
        }"""
    )


def _screenshot_name(page: Page, label: str) -> str:
    current = os.environ.get("PYTEST_CURRENT_TEST", "journey").split(" ")[0]
    test = current.split("::")[-1]
    width = page.viewport_size["width"] if page.viewport_size else 0
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{test}-{width}px-{label}").strip("-") + ".png"


# Finite CSS transitions and animations still running (a message fading in) are waited for:
# axe would otherwise measure the contrast of colours half-way through the fade. (Evaluated
# by Playwright outside the page's scripts: the Content-Security-Policy forbids eval.)
SETTLED = """() => Promise.race([
  Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
    .map(a => a.finished.catch(() => null))),
  new Promise(resolve => setTimeout(resolve, 5000)),
])"""


def check_page(page: Page, label: str, exclude: list[str] | None = None) -> None:
    """What every page of every journey meets, checked on the page in view:

    1. axe-core finds no serious or critical WCAG 2.1 A/AA violation (``exclude``: CSS selectors
       of third-party widgets we do not write);
    2. nothing scrolls sideways: the document is no wider than the viewport;
    3. with ``SCREENSHOTS_DIR`` set (``make screenshots``), a full-page screenshot named from the
       test, the viewport width and ``label`` is saved there for people to look at.
    """
    page.wait_for_load_state()
    page.evaluate(SETTLED)
    if directory := os.environ.get("SCREENSHOTS_DIR"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / _screenshot_name(page, label)), full_page=True)
    problems = []
    if violations := axe_violations(page, exclude):
        problems.append(
            f"{len(violations)} serious/critical accessibility violation(s):\n"
            + describe_violations(violations)
        )
    if overflow := horizontal_overflow(page):
        problems.append(
            f"the page scrolls sideways: {overflow['scrollWidth']} px wide in a "
            f"{overflow['innerWidth']} px viewport; sticking out: {', '.join(overflow['elements'])}"
        )
    if problems:
        pytest.fail(f"{label} ({page.url}):\n" + "\n".join(problems), pytrace=False)


def at_phone_width(page: Page) -> None:
    page.set_viewport_size(WIDTHS["phone"])


def at_desktop_width(page: Page) -> None:
    page.set_viewport_size(WIDTHS["desktop"])


FOCUS_RING = """el => {
  const seen = s => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || (s.boxShadow && s.boxShadow !== 'none');
  return seen(getComputedStyle(el));
}"""


def keyboard_focus(page: Page, target: Locator, max_tabs: int = 120) -> None:
    """Press Tab, as a keyboard user does, until ``target`` has the focus; it must show a visible
    focus indicator (an outline or a ring) when it gets there."""
    target.wait_for()
    for _ in range(max_tabs):
        if target.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"{max_tabs} presses of Tab never reached {target}", pytrace=False)
    assert target.evaluate(FOCUS_RING), f"{target} has the focus but shows no focus indicator"


def keyboard_activate(page: Page, target: Locator, key: str = "Enter") -> None:
    """Tab to ``target`` and press ``key`` (Enter for links and buttons, Space for check boxes)."""
    keyboard_focus(page, target)
    page.keyboard.press(key)


def keyboard_fill(page: Page, target: Locator, text: str) -> None:
    """Tab to a text field and type into it."""
    keyboard_focus(page, target)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
