"""hreflang: every page of the translated site names its address in every language, so search
engines show each reader their language's edition; addresses with one edition name none."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def alternates_of(html: str) -> dict[str, str]:
    head = html.split("</head>", 1)[0]
    return dict(LINK.findall(head))


def every_language(path: str) -> dict[str, str]:
    """What a page at ``path`` (the bare, English address) must name."""
    links = {
        code: f"http://testserver{'' if code == 'en' else '/' + code}{path}"
        for code, _ in settings.LANGUAGES
    }
    return {**links, "x-default": f"http://testserver{path}"}


@pytest.mark.parametrize("prefix", ["", "/fr", "/pl"])
@pytest.mark.parametrize("path", ["/", "/about/", "/verify/"])
def test_a_page_names_itself_in_every_language_and_x_default(client, home_page, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 200
    assert alternates_of(response.content.decode()) == every_language(path)


def test_the_addresses_are_our_public_ones(client, home_page, settings):
    settings.SITE_URL = "https://academy.example"
    html = client.get("/fr/about/").content.decode()
    assert alternates_of(html)["de"] == "https://academy.example/de/about/"
    assert alternates_of(html)["x-default"] == "https://academy.example/about/"


def test_the_query_is_left_out(client, home_page):
    from learning import demo

    catalogue = demo.seed_catalogue(home_page)
    path = f"/{catalogue.slug}/"
    html = client.get(f"/fr{path}?q=pitch&page=2").content.decode()
    assert alternates_of(html) == every_language(path)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_an_address_with_one_edition_names_none(client, home_page, path):
    response = client.get(path)
    assert response.status_code == 200
    assert alternates_of(response.content.decode()) == {}


@pytest.mark.parametrize("path", ["/no-such-page/", "/fr/no-such-page/", "/api/v1/nonexistent/"])
def test_an_error_page_names_none(client, home_page, path):
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<html" in html and alternates_of(html) == {}


def a_request(path: str = "/verify/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def render_head(head: str, path: str = "/verify/") -> str:
    request = a_request(path)
    template = Template(
        "{% load language_tags %}{% head_with_alternates %}"
        + head
        + "{% end_head_with_alternates %}"
    )
    return template.render(Context({"request": request}))


def test_a_page_its_head_marks_noindex_names_none():
    assert alternates_of(render_head("")) == every_language("/verify/")
    assert alternates_of(render_head('<meta name="robots" content="noindex">')) == {}
    assert alternates_of(render_head("<meta name='ROBOTS' content='noindex, nofollow'>")) == {}


def test_a_noindex_block_of_a_page_extending_the_base_is_seen(home_page):
    template = Template(
        '{% extends "base.html" %}{% block extra_head %}'
        '<meta name="robots" content="noindex">{% endblock %}'
    )
    request = a_request()
    html = template.render(Context({"request": request}))
    assert '<meta name="robots" content="noindex">' in html
    assert alternates_of(html) == {}
    indexed = Template('{% extends "base.html" %}{% block extra_head %}<i>x</i>{% endblock %}')
    assert alternates_of(indexed.render(Context({"request": request}))) != {}
