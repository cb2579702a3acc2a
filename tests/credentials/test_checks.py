"""credentials/checks.py: production needs its own CREDENTIALS_KEY_SECRET (check --deploy)."""

import pytest
from django.core import checks

from credentials.checks import check_key_secret

GOOD = "k" * 50


def ids(settings) -> list[str]:
    return [message.id for message in check_key_secret()]


@pytest.mark.parametrize(
    ("secret", "expected"),
    [(None, "credentials.E001"), ("", "credentials.E001"), ("short-secret", "credentials.E003")],
)
def test_a_missing_or_short_key_secret_is_an_error_with_debug_off(settings, secret, expected):
    settings.DEBUG = False
    settings.CREDENTIALS_KEY_SECRET = secret
    assert ids(settings) == [expected]


def test_the_secret_key_itself_or_an_old_one_is_refused(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = GOOD
    settings.CREDENTIALS_KEY_SECRET = GOOD
    assert ids(settings) == ["credentials.E002"]
    settings.SECRET_KEY = "n" * 50
    settings.SECRET_KEY_FALLBACKS = [GOOD]
    assert ids(settings) == ["credentials.E002"]


def test_a_long_own_secret_passes_and_debug_needs_none(settings):
    settings.DEBUG = False
    settings.CREDENTIALS_KEY_SECRET = "s" * 40
    assert ids(settings) == []
    settings.DEBUG = True
    settings.CREDENTIALS_KEY_SECRET = None
    assert ids(settings) == []


def test_the_check_runs_only_with_deploy():
    registered = checks.registry.registry
    assert check_key_secret in registered.get_checks(include_deployment_checks=True)
    assert check_key_secret not in registered.get_checks(include_deployment_checks=False)
    assert "credentials" in check_key_secret.tags
