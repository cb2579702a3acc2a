"""/sitemap.xml: every page a visitor can read, at its address in every language, with the
others as alternates; nothing behind a view restriction, in any language; no lesson."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from wagtail.models import Locale, PageViewRestriction

from cms.models import StandardPage

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGES = [code for code, _ in settings.LANGUAGES]


def read_sitemap(client) -> dict[str, dict[str, str]]:
    """{address: {hreflang: alternate address}} of every entry, each address listed once."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    entries: dict[str, dict[str, str]] = {}
    for url in ET.fromstring(response.content).findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
    return entries


def addresses(path: str) -> dict[str, str]:
    found = {
        code: f"http://testserver{'' if code == 'en' else '/' + code}{path}" for code in LANGUAGES
    }
    return {**found, "x-default": f"http://testserver{path}"}


def about() -> StandardPage:
    return StandardPage.objects.get(slug="about", locale__language_code="en")


def translate(page, language: str = "fr"):
    copy = page.copy_for_translation(Locale.objects.get(language_code=language), copy_parents=True)
    copy.save_revision().publish()
    return copy


def test_every_page_is_listed_in_every_language_with_its_alternates(client, home_page):
    entries = read_sitemap(client)
    for path in ("/", "/about/", "/for-mentors/"):
        expected = addresses(path)
        for code in LANGUAGES:
            assert entries[expected[code]] == expected, (path, code)
    assert len(entries) == len(LANGUAGES) * StandardPage.objects.count() + len(LANGUAGES)


def test_a_translated_page_is_listed_once_per_language(client, home_page):
    translate(about())
    entries = read_sitemap(client)
    assert "http://testserver/fr/about/" in entries
    assert not any("/fr/fr/" in loc or "/de/fr/" in loc for loc in entries)
    assert len(entries) == len(LANGUAGES) * (
        StandardPage.objects.filter(locale__language_code="en").count() + 1
    )


@pytest.mark.parametrize(
    "kind", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS]
)
def test_a_restricted_page_and_its_translations_are_never_listed(client, home_page, kind):
    page = about()
    child = StandardPage(slug="inside", title="Inside")
    page.add_child(instance=child)
    child.save_revision().publish()
    translate(page)
    PageViewRestriction.objects.create(page=page, restriction_type=kind, password="secret")
    entries = read_sitemap(client)
    locations = " ".join([*entries, *(href for alt in entries.values() for href in alt.values())])
    assert "/about/" not in locations and "/inside/" not in locations
    assert "http://testserver/for-mentors/" in locations


def test_a_language_whose_copy_is_restricted_is_left_out_for_that_page(client, home_page):
    french = translate(about())
    PageViewRestriction.objects.create(page=french, restriction_type=PageViewRestriction.LOGIN)
    entries = read_sitemap(client)
    assert "http://testserver/fr/about/" not in entries
    assert "fr" not in entries["http://testserver/about/"]
    assert entries["http://testserver/de/about/"]["en"] == "http://testserver/about/"
    assert "http://testserver/fr/for-mentors/" in entries


def test_draft_pages_are_not_listed(client, home_page):
    page = about()
    page.unpublish()
    assert not any("/about/" in loc for loc in read_sitemap(client))


def test_courses_are_listed_but_not_their_lessons(client, home_page):
    from learning import demo
    from tests.learning.conftest import build_course

    catalogue = demo.seed_catalogue(home_page)
    build_course(catalogue)
    entries = read_sitemap(client)
    assert f"http://testserver/fr/{catalogue.slug}/opportunities/" in entries
    assert not any("opportunities-intro" in loc for loc in entries)


def test_the_addresses_are_our_public_ones(client, home_page, settings):
    settings.SITE_URL = "https://academy.example"
    entries = read_sitemap(client)
    assert entries["https://academy.example/fr/about/"]["x-default"] == (
        "https://academy.example/about/"
    )


def test_the_sitemap_is_the_same_for_everyone(client, home_page):
    english = client.get("/sitemap.xml")
    client.cookies["language"] = "fr"
    french = client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="fr", HTTP_ACCEPT="text/html")
    assert french.status_code == 200 and french.content == english.content
    assert "Cookie" not in french.get("Vary", "")
