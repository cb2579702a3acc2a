"""The language a page is shown in: the address, the account, the browser, the default."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# What a browser sends when a person follows a link.
NAVIGATION = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_a_bare_address_is_english_for_a_visitor_who_asks_for_nothing(client, home_page):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_a_prefixed_address_is_in_its_language(client, home_page):
    response = client.get("/fr/verify/")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_a_browser_that_prefers_german_is_sent_to_the_german_address(client, home_page):
    browser = {"HTTP_ACCEPT_LANGUAGE": "de-AT,de;q=0.9,en;q=0.5", **NAVIGATION}
    response = client.get("/verify/?x=1", **browser)
    assert response.status_code == 302
    assert response["Location"] == "/de/verify/?x=1"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_the_address_wins_over_the_browser(client, home_page):
    # A shared /fr/ link stays French for a German browser.
    response = client.get("/fr/verify/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"


def test_the_account_language_wins_over_the_browser(client, learner, home_page):
    learner.language = "pl"
    learner.save()
    client.force_login(learner)
    response = client.get("/learning/", HTTP_ACCEPT_LANGUAGE="de", **NAVIGATION)
    assert response.status_code == 302
    assert response["Location"].startswith("/pl/learning/")


def test_an_account_that_follows_the_browser_gets_the_browser_language(client, learner, home_page):
    assert learner.language == ""
    client.force_login(learner)
    response = client.get("/learning/", HTTP_ACCEPT_LANGUAGE="it", **NAVIGATION)
    assert response.status_code == 302
    assert response["Location"].startswith("/it/learning/")


def test_a_document_fetched_by_a_program_is_never_redirected(client, home_page):
    response = client.get("/verify/", HTTP_ACCEPT_LANGUAGE="fr", HTTP_ACCEPT="application/json")
    assert response.status_code != 302


def test_a_language_we_do_not_offer_falls_back_to_the_default(client, home_page):
    response = client.get("/verify/", HTTP_ACCEPT_LANGUAGE="ja,zh;q=0.8", **NAVIGATION)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/openapi.json", "/jsi18n/fr/", "/admin/login/", "/language/?language=fr&next=/"],
)
def test_documents_api_and_admins_are_never_sent_to_a_prefix(client, home_page, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr", **NAVIGATION)
    location = response.get("Location", "")
    assert not location.startswith("/fr/api") and not location.startswith("/fr/admin")
    assert not location.startswith("/fr/jsi18n")


def test_switching_by_link_sets_the_cookie_and_goes_back_in_that_language(client, home_page):
    response = client.get("/language/", {"language": "fi", "next": "/verify/?q=1"})
    assert response.status_code == 302
    assert response["Location"] == "/fi/verify/?q=1"
    assert response.cookies["language"].value == "fi"
    assert response.cookies["language"]["samesite"] == "Lax"
    # From then on a bare address follows the cookie.
    assert client.get("/verify/", **NAVIGATION)["Location"] == "/fi/verify/"


def test_switching_to_english_drops_the_prefix(client, home_page):
    response = client.get("/language/", {"language": "en", "next": "/fr/verify/"})
    assert response["Location"] == "/verify/"
    assert client.get("/verify/").status_code == 200


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
        # A language prefix taken off must not leave "//evil.example" behind.
        "/fr//evil.example",
        "/fr///evil.example/",
        "/fr/\\evil.example",
        "/fr/\\/evil.example",
    ],
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_switch_never_sends_anyone_to_another_site(client, home_page, next_url, language):
    response = client.get("/language/", {"language": language, "next": next_url})
    assert response.status_code == 302
    location = response["Location"]
    # A path of this site: a browser reads "//x" and "/\\x" as another host.
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert urlsplit(location.replace("\\", "/")).netloc == ""


def test_accounts_have_one_address_in_every_language(client, home_page):
    """Identity providers call back, and e-mails link, to the one address: a French reader's
    sign-in page is at /accounts/login/ in French, never under /fr/."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        assert reverse("account_login") == "/accounts/login/"
        assert reverse("openid_connect_callback", args=["uni"]).startswith("/accounts/")
    client.cookies["language"] = "fr"
    response = client.get("/accounts/login/", **NAVIGATION)
    assert response.status_code == 200 and response["Content-Language"] == "fr"
    assert client.get("/fr/accounts/login/").status_code == 404


@pytest.mark.parametrize("language", ["xx", "FR", "fr-BE", "", "../en"])
def test_the_switch_refuses_a_language_we_do_not_offer(client, home_page, language):
    response = client.get("/language/", {"language": language, "next": "/"})
    assert response.status_code == 404
    assert "language" not in response.cookies


def test_a_signed_in_person_switching_by_form_keeps_the_choice_on_the_account(client, learner):
    client.force_login(learner)
    response = client.post("/language/", {"language": "es", "next": "/learning/"})
    assert response["Location"] == "/es/learning/"
    learner.refresh_from_db()
    assert learner.language == "es"


def test_a_link_never_changes_an_account_language(client, learner):
    # A GET can be forged by any page the person visits; only the cookie may follow it.
    client.force_login(learner)
    client.get("/language/", {"language": "nl", "next": "/"})
    learner.refresh_from_db()
    assert learner.language == ""


def test_a_forged_form_without_csrf_token_changes_nothing(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post("/language/", {"language": "pt", "next": "/"})
    assert response.status_code == 403
    learner.refresh_from_db()
    assert learner.language == ""


def test_the_header_offers_every_language_named_in_itself(client, home_page):
    html = client.get("/verify/").content.decode()
    for code, name in [("de", "Deutsch"), ("fi", "Suomi"), ("pl", "Polski"), ("en", "English")]:
        assert f'lang="{code}"' in html and name in html
    assert "/language/?language=fr&amp;next=/fr/verify/" in html


def test_the_signed_in_header_switches_with_a_form(client, learner, home_page):
    client.force_login(learner)
    html = client.get("/learning/").content.decode()
    assert 'action="/language/"' in html and 'name="language" value="de"' in html


def test_the_scripts_catalogue_is_per_language_and_refuses_others(client):
    response = client.get("/jsi18n/de/")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert client.get("/jsi18n/xx/").status_code == 404


def test_signing_up_in_french_offers_french_for_the_account(client, home_page):
    client.cookies["language"] = "fr"
    html = client.get("/accounts/signup/", HTTP_ACCEPT="text/html").content.decode()
    assert '<option value="fr" selected>' in html


# --------------------------------------------------------------------------- one address


@pytest.mark.parametrize(("path", "target"), [("/admin", "/admin/"), ("/language", "/language/")])
@pytest.mark.parametrize("browser", ["fr", "en"])
def test_a_one_address_path_without_its_slash_reaches_it_in_every_language(
    client, home_page, path, target, browser
):
    """Not sent to /fr/admin (nothing there): completed by its slash, as for English."""
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=browser, **NAVIGATION)
    assert response.status_code == 301
    assert response["Location"] == target


def test_a_404_of_a_one_address_path_switches_to_that_address(client, home_page):
    """The header on /api/v1/… links the switch back to that same address, never /fr/api/…."""
    response = client.get("/api/v1/nonexistent/", HTTP_ACCEPT_LANGUAGE="de", **NAVIGATION)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="language-switch"' in html
    assert "/language/?language=fr&amp;next=/api/v1/nonexistent/" in html
    assert "next=/fr/" not in html and "next=/de/" not in html
    switched = client.get("/language/", {"language": "fr", "next": "/api/v1/nonexistent/"})
    assert switched["Location"] == "/api/v1/nonexistent/"
    assert switched.cookies["language"].value == "fr"


def test_the_switch_on_a_one_address_page_stays_at_it(client, home_page):
    html = client.get("/accounts/login/").content.decode()
    assert "/language/?language=fr&amp;next=/accounts/login/" in html
    response = client.get("/language/", {"language": "de", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    assert client.get(response["Location"]).status_code == 200


def test_the_scripts_catalogue_does_not_vary_on_the_cookie(client):
    client.cookies["language"] = "de"
    response = client.get("/jsi18n/fr/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert response["Content-Language"] == "fr"
    # What it says depends on the address only.
    client.cookies["language"] = "pl"
    assert client.get("/jsi18n/fr/").content == response.content


# --------------------------------------------------------------------------- redirects


@pytest.fixture
def about_redirect(home_page):
    from wagtail.contrib.redirects.models import Redirect

    from cms.models import StandardPage

    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    return Redirect.add_redirect("/old-about", redirect_to=about, is_permanent=False)


def test_a_redirect_leads_to_its_page(client, about_redirect):
    response = client.get("/old-about")
    assert response.status_code == 302 and response["Location"] == "/about/"


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_redirect_under_a_language_prefix_leads_to_the_page_in_that_language(
    client, about_redirect, language
):
    response = client.get(f"/{language}/old-about")
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/about/"
    assert client.get(response["Location"]).status_code == 200


def test_a_french_browser_follows_a_redirect_into_french(client, about_redirect):
    first = client.get("/old-about", HTTP_ACCEPT_LANGUAGE="fr", **NAVIGATION)
    assert first["Location"] == "/fr/old-about"
    assert client.get(first["Location"])["Location"] == "/fr/about/"


def test_a_redirect_to_another_site_is_left_alone_under_a_prefix(client, home_page):
    from wagtail.contrib.redirects.models import Redirect

    Redirect.add_redirect("/partners", redirect_to="https://partners.example/x")
    response = client.get("/fr/partners")
    assert response.status_code == 301 and response["Location"] == "https://partners.example/x"


def test_a_prefixed_address_nothing_answers_is_still_a_404(client, home_page):
    assert client.get("/fr/no-such-page/").status_code == 404


@pytest.mark.parametrize(
    ("url", "language", "expected"),
    [
        ("/about/?a=1", "fr", "/fr/about/?a=1"),
        ("/fr/about/", "en", "/about/"),
        ("/accounts/login/?next=/x/", "fr", "/accounts/login/?next=/x/"),
        ("/fr/accounts/login/", "de", "/accounts/login/"),
        ("/admin", "fr", "/admin"),
        ("/api/v1/nonexistent/", "de", "/api/v1/nonexistent/"),
        ("/jsi18n/fr/", "de", "/jsi18n/fr/"),
        ("/sitemap.xml", "pl", "/sitemap.xml"),
        ("/administration/", "fr", "/fr/administration/"),
    ],
)
def test_an_address_in_another_language(url, language, expected):
    from cms.i18n import address_in

    assert address_in(url, language) == expected
