"""The API docs work offline: Swagger UI and ReDoc come from our static files, at desktop and
phone width, and (as every journey here) without a Content-Security-Policy violation."""

import re

from playwright.sync_api import Page, Route, expect

from tests.browser.helpers import check_page

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
# Swagger UI's and ReDoc's own widgets (bundled third-party code, restyled by neither of us) are
# left out of the accessibility audit; the page around them, and its width, are checked.
THIRD_PARTY = ["#swagger-ui", "#redoc-ui"]


def test_swagger_ui_and_redoc_show_the_verify_operation_with_no_other_origin(
    page: Page, live_server
):
    elsewhere: list[str] = []

    def only_our_server(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:  # as if offline: nothing but our own server answers
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_server)
    for width, height in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": height})

        page.goto(live_server.url + "/api/v1/docs")
        operation = page.locator(".opblock-post").filter(has_text="/api/v1/verify")
        expect(operation).to_be_visible()
        operation.locator(".opblock-summary").click()
        expect(page.get_by_role("button", name="Try it out")).to_be_visible()
        check_page(page, "swagger-ui", exclude=THIRD_PARTY)

        page.goto(live_server.url + "/api/v1/redoc")
        expect(page.get_by_role("heading", level=1)).to_contain_text("credential verification")
        expect(page.get_by_text(re.compile(r"/api/v1/verify")).first).to_be_attached()
        check_page(page, "redoc", exclude=THIRD_PARTY)

    assert elsewhere == []
