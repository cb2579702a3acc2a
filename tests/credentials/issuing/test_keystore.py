import logging

import pytest
from django.core import serializers

from credentials.issuing import keystore
from credentials.models import IssuerKey
from credentials.standards import keys
from tests.credentials.factories import make_issuer

pytestmark = pytest.mark.django_db


def test_a_new_issuer_gets_an_ed25519_and_an_rsa_key():
    issuer = make_issuer("uni")
    active = keystore.ensure_keys(issuer)
    assert set(active) == {"Ed25519", "RS256"}
    assert keystore.public_key(active["RS256"]).key_size == 2048
    assert IssuerKey.objects.filter(issuer=issuer).count() == 2


def test_ensure_keys_is_idempotent():
    issuer = make_issuer("uni")
    first = keystore.ensure_keys(issuer)
    assert keystore.ensure_keys(issuer) == first
    assert IssuerKey.objects.filter(issuer=issuer).count() == 2


def test_private_keys_are_encrypted_at_rest_and_decrypt_to_the_published_key():
    issuer = make_issuer("uni")
    key = keystore.active_key(issuer, IssuerKey.Algorithm.ED25519)
    assert "PRIVATE" not in key.private_key_encrypted
    private = keystore.private_key(key)
    assert keys.public_key_multibase(private.public_key()) == key.public_key


def test_another_secret_cannot_decrypt_the_keys(settings):
    issuer = make_issuer("uni")
    key = keystore.active_key(issuer, IssuerKey.Algorithm.RSA)
    with pytest.raises(keys.KeyFormatError):
        keys.decrypt_private_key(key.private_key_encrypted, "some-other-secret")


def test_the_secret_defaults_to_one_derived_from_secret_key(settings):
    settings.CREDENTIALS_KEY_SECRET = None
    assert keystore.key_secrets()[0] != settings.SECRET_KEY
    assert settings.SECRET_KEY in keystore.key_secrets()[0]


def test_changing_the_secret_keeps_old_keys_usable_through_the_fallbacks(settings):
    settings.CREDENTIALS_KEY_SECRET = "first-secret-0123456789"
    issuer = make_issuer("uni")
    key = keystore.active_key(issuer, IssuerKey.Algorithm.ED25519)
    settings.CREDENTIALS_KEY_SECRET = "second-secret-0123456789"
    settings.CREDENTIALS_KEY_SECRET_FALLBACKS = ["first-secret-0123456789"]
    assert keystore.private_key(key)
    assert keystore.reencrypt_all() == 2
    settings.CREDENTIALS_KEY_SECRET_FALLBACKS = []
    key.refresh_from_db()
    assert keystore.private_key(key)


def test_rotation_retires_the_old_keys_and_keeps_them_published():
    issuer = make_issuer("uni")
    old = keystore.ensure_keys(issuer)
    new = keystore.rotate_keys(issuer)
    assert {k.key_id for k in new} == {"ed25519-2", "rsa-2"}
    published = {k.key_id for k in keystore.published_keys(issuer)}
    assert published == {"ed25519-1", "rsa-1", "ed25519-2", "rsa-2"}
    for key in old.values():
        key.refresh_from_db()
        assert key.retired_at is not None
    assert keystore.active_key(issuer, "Ed25519").key_id == "ed25519-2"


def test_private_keys_never_appear_in_a_fixture_or_repr(caplog):
    caplog.set_level(logging.DEBUG)
    issuer = make_issuer("uni")
    key = keystore.active_key(issuer, IssuerKey.Algorithm.RSA)
    dumped = serializers.serialize("json", IssuerKey.objects.all())
    assert key.private_key_encrypted not in dumped
    assert '"private_key_encrypted": ""' in dumped
    assert key.private_key_encrypted not in repr(key) + str(key)
    assert key.private_key_encrypted not in caplog.text
