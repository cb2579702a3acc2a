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
