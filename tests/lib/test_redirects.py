"""lib.redirects.safe_next: a ``next`` from the request is followed only when it stays here."""

import pytest
from django.test import RequestFactory

from lib.redirects import is_safe_path, safe_next

# Shared with the views' tests: every one must end at the fallback, never off-site, never a 500.
HOSTILE_TARGETS = [
    "foo",  # a bare word: redirect() looked it up as a URL name and failed
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "\\\\evil.example",
    "/\\evil.example",
    "/\tevil.example",
    "/ok\r\nSet-Cookie: x=1",  # %0d%0a once the form is decoded: breaks the header
    "/ok\n",
    "",
]
GOOD_TARGET = "/credentials/mine/?tab=all#top"


@pytest.fixture
def redirects_rf():
    return RequestFactory()


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_a_hostile_or_odd_next_gives_the_fallback(redirects_rf, target):
    request = redirects_rf.post("/x/", {"next": target})
    assert safe_next(request, "/home/") == "/home/"
    assert not is_safe_path(target, request)


def test_a_relative_path_on_this_site_is_followed(redirects_rf):
    request = redirects_rf.post("/x/", {"next": GOOD_TARGET})
    assert safe_next(request, "/home/") == GOOD_TARGET


def test_the_query_string_is_read_when_the_form_has_none(redirects_rf):
    assert safe_next(redirects_rf.get("/x/", {"next": "/a/"}), "/home/") == "/a/"
    assert safe_next(redirects_rf.get("/x/", {"next": "//evil.example"}), "/home/") == "/home/"


def test_an_absolute_url_of_this_very_host_is_refused_too(redirects_rf):
    request = redirects_rf.post("/x/", {"next": "http://testserver/a/"})
    assert safe_next(request, "/home/") == "/home/"


def test_no_next_gives_the_fallback_and_a_url_name_fallback_is_resolved(redirects_rf):
    assert safe_next(redirects_rf.post("/x/"), "/home/") == "/home/"
    assert safe_next(redirects_rf.post("/x/"), "mentoring:sessions").startswith("/")


def test_a_different_field_name_can_be_read(redirects_rf):
    request = redirects_rf.post("/x/", {"return_to": "/a/", "next": "/b/"})
    assert safe_next(request, "/home/", field="return_to") == "/a/"
