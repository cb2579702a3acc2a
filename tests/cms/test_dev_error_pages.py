"""Under `make run` (DEBUG on) a visitor who asks for a missing page gets our 404 page."""

import pytest
from django.conf import settings
from django.test import override_settings

DEV_MIDDLEWARE = [*settings.MIDDLEWARE, "cms.dev_errors.SiteNotFoundMiddleware"]
OURS = "We could not find that page"
DJANGOS = "Using the URLconf defined in"

# A path Wagtail's page tree answers (its view raises Http404), and one no pattern matches.
MISSING = ["/no-such-page/", "/wp-login.php"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", MISSING)
@override_settings(DEBUG=True, MIDDLEWARE=DEV_MIDDLEWARE)
def test_a_missing_page_under_debug_is_our_404_page(client, home_page, path):
    response = client.get(path)
    assert response.status_code == 404
    text = response.content.decode()
    assert OURS in text
    assert DJANGOS not in text and "credentials:" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("path", MISSING)
@override_settings(DEBUG=True)
def test_without_the_middleware_debug_lists_the_url_patterns(client, home_page, path):
    # What the middleware removes, so the test above proves something.
    response = client.get(path)
    assert response.status_code == 404
    assert OURS not in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=True, MIDDLEWARE=DEV_MIDDLEWARE)
def test_a_page_that_exists_is_served_as_before(client, home_page):
    assert client.get("/").status_code == 200
    # and a missing page without its slash is still sent to the slashed address first
    assert client.get("/verify").status_code == 301


@pytest.mark.django_db
@override_settings(DEBUG=True, MIDDLEWARE=DEV_MIDDLEWARE)
def test_a_view_that_raises_http404_gets_our_page(client, home_page):
    response = client.get("/credentials/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert OURS in response.content.decode()


def test_make_run_settings_add_the_middleware_last():
    from tests.cms.test_settings import run

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MIDDLEWARE[-1], s.DEBUG)"
    )
    result = run(["-c", code], "cms.settings.dev")
    assert result.stdout.split() == ["cms.dev_errors.SiteNotFoundMiddleware", "True"]
