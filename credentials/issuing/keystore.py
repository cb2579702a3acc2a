"""Issuers' signing keys: generated on creation, rotatable, private halves encrypted at rest.

Every issuer has one active Ed25519 key (Data Integrity ``eddsa-rdfc-2022`` proofs, published
as a Multikey) and one active RSA-2048 key (RS256: OB 2.0 signed assertions and OB 3.0 VC-JWT).
Rotation retires the active key and makes a new one; retired public keys stay published so
that everything signed with them keeps verifying.

Private keys are PKCS#8 inside a Fernet token whose key is derived (HKDF) from
``settings.CREDENTIALS_KEY_SECRET`` — or, when that is unset (``make run``; production refuses,
see credentials/checks.py), from ``SECRET_KEY``. Older secrets listed in
``CREDENTIALS_KEY_SECRET_FALLBACKS``, and those derived from ``SECRET_KEY`` and
``SECRET_KEY_FALLBACKS``, still decrypt (MultiFernet). A private key is never returned by
a view, written to a log, serialised to a fixture or shown in a repr.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from credentials.conf import settings as conf
from credentials.models import Issuer, IssuerKey
from credentials.standards import keys

log = logging.getLogger(__name__)

ALGORITHMS = (IssuerKey.Algorithm.ED25519, IssuerKey.Algorithm.RSA)
_PREFIX = {IssuerKey.Algorithm.ED25519: "ed25519", IssuerKey.Algorithm.RSA: "rsa"}


def key_secrets() -> list[str]:
    """The key-encryption secrets: the current one first, then fallbacks that still decrypt.

    Secrets derived from ``SECRET_KEY`` and its ``SECRET_KEY_FALLBACKS`` always decrypt too:
    keys made before ``CREDENTIALS_KEY_SECRET`` was set, or before ``SECRET_KEY`` rotated, stay
    readable until ``rotate_keys --reencrypt`` moves them to the current secret.
    """
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    derived = ["credentials-key-secret:" + k for k in secret_keys if k]
    current = conf.CREDENTIALS_KEY_SECRET
    if not current:
        if not settings.SECRET_KEY:
            raise ImproperlyConfigured("Set CREDENTIALS_KEY_SECRET or SECRET_KEY.")
        current = derived[0]
    fallbacks = list(conf.CREDENTIALS_KEY_SECRET_FALLBACKS or [])
    return list(dict.fromkeys([current, *fallbacks, *derived]))


def _public_text(private_key: keys.PrivateKey) -> str:
    public = private_key.public_key()
    if isinstance(public, ed25519.Ed25519PublicKey):
        return keys.public_key_multibase(public)
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def _new_key(issuer: Issuer, algorithm: str) -> IssuerKey:
    private = (
        keys.generate_ed25519_key()
        if algorithm == IssuerKey.Algorithm.ED25519
        else keys.generate_rsa_key()
    )
    number = IssuerKey.objects.filter(issuer=issuer, algorithm=algorithm).count() + 1
    key = IssuerKey.objects.create(
        issuer=issuer,
        algorithm=algorithm,
        key_id=f"{_PREFIX[algorithm]}-{number}",
        public_key=_public_text(private),
        private_key_encrypted=keys.encrypt_private_key(private, key_secrets()),
    )
    log.info("New %s signing key %s for issuer %s", algorithm, key.key_id, issuer.pk)
    return key


def ensure_keys(issuer: Issuer) -> dict[str, IssuerKey]:
    """Make sure ``issuer`` has an active key of each algorithm; returns them. Idempotent.

    Read once per issuer object (signing one award asks three times, a bulk chunk hundreds);
    ``rotate_keys`` forgets it, and another object of the same issuer reads afresh.
    """
    cached = issuer.__dict__.get("_cocreate_active_keys")
    if cached is not None:
        return cached
    active = {k.algorithm: k for k in issuer.keys.filter(retired_at=None)}
    missing = [a for a in ALGORITHMS if a not in active]
    if not missing:
        issuer.__dict__["_cocreate_active_keys"] = active
        return active
    try:
        with transaction.atomic():
            Issuer.objects.select_for_update().filter(pk=issuer.pk).first()
            for algorithm in missing:
                if not IssuerKey.objects.filter(
                    issuer=issuer, algorithm=algorithm, retired_at=None
                ).exists():
                    _new_key(issuer, algorithm)
    except IntegrityError:
        pass  # a concurrent call made them: use theirs
    return {k.algorithm: k for k in issuer.keys.filter(retired_at=None)}


def active_key(issuer: Issuer, algorithm: str) -> IssuerKey:
    return ensure_keys(issuer)[algorithm]


@transaction.atomic
def rotate_keys(issuer: Issuer, algorithms=ALGORITHMS) -> list[IssuerKey]:
    """Retire the active keys of ``algorithms`` and make new ones; old public keys stay."""
    issuer.__dict__.pop("_cocreate_active_keys", None)
    Issuer.objects.select_for_update().filter(pk=issuer.pk).first()
    now = timezone.now()
    made = []
    for algorithm in algorithms:
        IssuerKey.objects.filter(issuer=issuer, algorithm=algorithm, retired_at=None).update(
            retired_at=now
        )
        made.append(_new_key(issuer, algorithm))
    return made


def published_keys(issuer: Issuer) -> list[IssuerKey]:
    """Every key the issuer ever had (active first), for the public documents."""
    return sorted(
        issuer.keys.all(),
        key=lambda k: (k.retired_at is not None, k.algorithm, k.key_id),
    )


@lru_cache(maxsize=256)
def _decrypt(token: str, secrets: tuple[str, ...]) -> keys.PrivateKey:
    return keys.decrypt_private_key(token, list(secrets))


def private_key(key: IssuerKey) -> keys.PrivateKey:
    """The decrypted private key (cached in this process by its ciphertext)."""
    return _decrypt(key.private_key_encrypted, tuple(key_secrets()))


def public_key(key: IssuerKey) -> keys.PublicKey:
    if key.algorithm == IssuerKey.Algorithm.ED25519:
        return keys.public_key_from_multibase(key.public_key)
    loaded = serialization.load_pem_public_key(key.public_key.encode("ascii"))
    if not isinstance(loaded, rsa.RSAPublicKey):
        raise keys.KeyFormatError("stored RSA key is not an RSA public key")
    return loaded


@transaction.atomic
def reencrypt_all() -> int:
    """Re-encrypt every private key with the current secret (after changing the secret)."""
    count = 0
    for key in IssuerKey.objects.select_for_update():
        plain = keys.decrypt_private_key(key.private_key_encrypted, key_secrets())
        key.private_key_encrypted = keys.encrypt_private_key(plain, key_secrets()[0])
        key.save(update_fields=["private_key_encrypted"])
        count += 1
    return count
