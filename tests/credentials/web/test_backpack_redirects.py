"""Changing a credential's visibility goes back to the ``next`` page only when it is on-site."""

import pytest
from django.urls import reverse

from credentials import services
from tests.credentials.factories import make_badge, make_issuer
from tests.lib.test_redirects import GOOD_TARGET, HOSTILE_TARGETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def backpack_award(learner):
    return services.award(make_badge(make_issuer("uni")), learner)


def visibility_url(award) -> str:
    return reverse("credentials_manage:award_visibility", args=[award.public_id])


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_a_hostile_next_lands_on_the_backpack(client, learner, backpack_award, target):
    client.force_login(learner)
    response = client.post(visibility_url(backpack_award), {"visibility": "public", "next": target})
    assert response.status_code == 302
    backpack = reverse("credentials_manage:backpack")
    assert response["Location"] == f"{backpack}#award-{backpack_award.public_id}"


def test_an_on_site_next_is_followed(client, learner, backpack_award):
    client.force_login(learner)
    response = client.post(
        visibility_url(backpack_award), {"visibility": "public", "next": GOOD_TARGET}
    )
    assert response["Location"] == GOOD_TARGET


def test_someone_elses_award_is_not_found_whatever_the_next(client, make_user, backpack_award):
    client.force_login(make_user("outsider@example.org"))
    response = client.post(
        visibility_url(backpack_award), {"visibility": "public", "next": GOOD_TARGET}
    )
    assert response.status_code == 404
