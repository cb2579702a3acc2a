"""Signing keys stay readable across SECRET_KEY and CREDENTIALS_KEY_SECRET rotations."""

import pytest
from django.core.management import call_command

from credentials.issuing import keystore
from credentials.models import IssuerKey
from credentials.standards import keys
from tests.credentials.factories import make_issuer

pytestmark = pytest.mark.django_db

KEY_SECRET = "key-secret-" + "a" * 40
NEW_KEY_SECRET = "key-secret-" + "b" * 40


@pytest.fixture
def keystore_issuers():
    issuers = [make_issuer("uni"), make_issuer("hs")]
    for issuer in issuers:
        keystore.ensure_keys(issuer)
    return issuers


def every_key_decrypts() -> bool:
    keystore._decrypt.cache_clear()  # read the tokens afresh, not what this process remembers
    stored = list(IssuerKey.objects.all())
    for key in stored:
        private = keystore.private_key(key)
        assert keystore._public_text(private) == key.public_key
    return len(stored) == 4


def test_rotating_secret_key_leaves_every_key_readable_when_the_key_secret_is_set(settings):
    settings.CREDENTIALS_KEY_SECRET = KEY_SECRET
    settings.SECRET_KEY = "old-secret-key-" + "c" * 40
    for issuer in (make_issuer("uni"), make_issuer("hs")):
        keystore.ensure_keys(issuer)
    settings.SECRET_KEY = "new-secret-key-" + "d" * 40
    settings.SECRET_KEY_FALLBACKS = []
    assert every_key_decrypts()


def test_keys_under_a_derived_secret_survive_a_secret_key_rotation_through_its_fallbacks(
    settings,
):
    settings.CREDENTIALS_KEY_SECRET = None
    settings.SECRET_KEY = "old-secret-key-" + "c" * 40
    for issuer in (make_issuer("uni"), make_issuer("hs")):
        keystore.ensure_keys(issuer)
    settings.SECRET_KEY = "new-secret-key-" + "d" * 40
    settings.SECRET_KEY_FALLBACKS = ["old-secret-key-" + "c" * 40]
    assert every_key_decrypts()


def test_setting_a_key_secret_later_keeps_keys_made_under_secret_key(settings):
    settings.CREDENTIALS_KEY_SECRET = None
    for issuer in (make_issuer("uni"), make_issuer("hs")):
        keystore.ensure_keys(issuer)
    settings.CREDENTIALS_KEY_SECRET = KEY_SECRET
    assert every_key_decrypts()
    call_command("rotate_keys", "--reencrypt")
    settings.SECRET_KEY = "an-unrelated-secret-key-" + "e" * 40  # the old derivation is gone
    assert every_key_decrypts()


def test_a_rotated_key_secret_decrypts_through_its_fallback_and_rotate_keys_moves_them(
    settings, keystore_issuers
):
    settings.CREDENTIALS_KEY_SECRET = KEY_SECRET
    keystore.reencrypt_all()
    settings.CREDENTIALS_KEY_SECRET = NEW_KEY_SECRET
    settings.CREDENTIALS_KEY_SECRET_FALLBACKS = [KEY_SECRET]
    assert every_key_decrypts()
    call_command("rotate_keys", "--reencrypt")
    settings.CREDENTIALS_KEY_SECRET_FALLBACKS = []
    settings.SECRET_KEY = "an-unrelated-secret-key-" + "e" * 40
    assert every_key_decrypts()
    for key in IssuerKey.objects.all():
        keys.decrypt_private_key(key.private_key_encrypted, NEW_KEY_SECRET)  # the new one alone


def test_without_the_old_key_secret_nothing_decrypts(settings, keystore_issuers):
    settings.CREDENTIALS_KEY_SECRET = KEY_SECRET
    keystore.reencrypt_all()
    settings.CREDENTIALS_KEY_SECRET = NEW_KEY_SECRET
    settings.CREDENTIALS_KEY_SECRET_FALLBACKS = []
    keystore._decrypt.cache_clear()
    with pytest.raises(keys.KeyFormatError):
        keystore.private_key(IssuerKey.objects.first())
