"""A new calendar-feed address goes back to the ``next`` page only when it is on-site."""

import pytest
from django.urls import reverse

from tests.lib.test_redirects import GOOD_TARGET, HOSTILE_TARGETS

pytestmark = pytest.mark.django_db

ROTATE = "mentoring:feed_rotate"


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_a_hostile_next_lands_on_my_sessions(client, mentee, target):
    client.force_login(mentee)
    response = client.post(reverse(ROTATE), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:sessions")


def test_an_on_site_next_is_followed(client, mentee):
    client.force_login(mentee)
    assert client.post(reverse(ROTATE), {"next": GOOD_TARGET})["Location"] == GOOD_TARGET


def test_an_outsider_must_log_in_first_and_no_feed_changes(client):
    response = client.post(reverse(ROTATE), {"next": "//evil.example"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"].split("?")[0]
    assert reverse("login") in response["Location"] or "/accounts/" in response["Location"]
