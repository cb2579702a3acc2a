"""Real-browser journeys: Playwright drives Debian's Chromium against a live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the live server is another thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No network but loopback here: keep Chromium from phoning home at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(params=["desktop", "phone"])
def journey_width(request, page):
    """Run the journey twice: at desktop width (1280 x 800) and at phone width (390 x 844).
    For journeys of a few seconds; a long one checks its key pages at phone width instead
    (``helpers.at_phone_width``)."""
    from tests.browser.helpers import WIDTHS

    page.set_viewport_size(WIDTHS[request.param])
    return request.param


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the page tree and role groups in place."""
    from wagtail.models import Collection

    from cms import demo

    # A transactional test empties every table when it ends, Wagtail's root collection (made
    # by a migration) included: documents and images need it back.
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    demo.seed_pages()
    return live_server


# Every page any test opens reports Content-Security-Policy violations to the test: the event
# goes to a binding (it survives navigations) and stays on window.__csp for the page in view.
CSP_RECORDER = """
(() => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    const violation = {
      page: event.documentURI,
      directive: event.effectiveDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
    };
    window.__csp.push(violation);
    if (window.__cspViolation) window.__cspViolation(violation);
  });
})();
"""


def _csp_key(violation: dict) -> tuple:
    return tuple(str(violation.get(k, "")) for k in ("page", "directive", "blocked", "line"))


@pytest.fixture
def new_context(new_context):
    """pytest-playwright's context factory (behind ``context`` and ``page``), with a guard:
    a test whose pages met any Content-Security-Policy violation fails at teardown."""
    violations: dict[tuple, str] = {}
    console: dict[str, str] = {}  # the same violations as Chromium logs them: a fallback
    contexts = []

    def record(violation: dict) -> None:
        violations.setdefault(
            _csp_key(violation),
            "{page}: {directive} blocked {blocked} ({source}:{line}) {sample}".format(**violation),
        )

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            console.setdefault(message.text, message.text)

    def create(**kwargs):
        context = new_context(**kwargs)
        context.expose_binding("__cspViolation", lambda source, violation: record(violation))
        context.add_init_script(CSP_RECORDER)
        context.on("console", on_console)
        contexts.append(context)
        return context

    yield create
    for context in contexts:
        for page in context.pages:
            try:
                for violation in page.evaluate("window.__csp || []"):
                    record(violation)
            except Exception:  # noqa: BLE001, S110 (a closed or navigating page has told us already)
                pass
    found = violations or console
    if found:
        pytest.fail(
            f"{len(found)} Content-Security-Policy violation(s):\n"
            + "\n".join(sorted(set(found.values()))),
            pytrace=False,
        )
