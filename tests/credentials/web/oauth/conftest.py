"""Fixtures of the OAuth 2.0 and 1EdTech API tests: three learners and a registered app."""

import pytest

from cms import roles
from tests.credentials.web.oauth.oauth_support import register


@pytest.fixture(autouse=True)
def oauth_clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def oauth_alice(make_user):
    return make_user("alice@example.org", roles.LEARNERS, display_name="Alice Archer")


@pytest.fixture
def oauth_bob(make_user):
    return make_user("bob@example.org", roles.LEARNERS, display_name="Bob Baker")


@pytest.fixture
def oauth_charlie(make_user):
    return make_user("charlie@example.org", roles.LEARNERS, display_name="Charlie Chen")


@pytest.fixture
def oauth_app(db, client):
    """An application registered through RFC 7591 (its client_secret in plain)."""
    return register(client)
