"""The second-factor page sends people on to ``next`` only when it is a safe on-site path."""

import pytest
from django.urls import reverse

from tests.lib.test_redirects import GOOD_TARGET, HOSTILE_TARGETS

pytestmark = pytest.mark.django_db

PAGE = "credentials_manage:second_factor"


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_a_hostile_next_leads_to_the_issuer_home(client, learner, target):
    client.force_login(learner)  # acts for no issuer: sent straight on
    response = client.get(reverse(PAGE), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("credentials_manage:home")


def test_an_on_site_next_is_followed(client, learner):
    client.force_login(learner)
    assert client.get(reverse(PAGE), {"next": GOOD_TARGET})["Location"] == GOOD_TARGET


def test_an_outsider_is_asked_to_log_in(client):
    response = client.get(reverse(PAGE), {"next": "//evil.example"})
    assert response.status_code == 302
    assert not response["Location"].startswith("//")
