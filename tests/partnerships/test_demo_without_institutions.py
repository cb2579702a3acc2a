"""The demo partnership needs the demo's institutions; without them it seeds nothing."""

import pytest

from credentials.models import Issuer
from partnerships import demo
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_without_the_demo_institutions_nothing_is_seeded(home_page):
    assert demo.seed(home_page) == {}
    assert not Partnership.objects.exists()


def test_with_only_the_university_nothing_is_seeded(home_page):
    Issuer.objects.create(slug="northbridge", name="Northbridge University of Technology")
    assert demo.seed(home_page) == {}
    assert not Partnership.objects.exists()
