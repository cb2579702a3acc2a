"""What the imported-credential tests share: Alice and Bob, and credentials from a foreign issuer
(a throwaway Ed25519 did:key) signed as Data Integrity JSON or as a VC-JWT.

Fixtures are defined here once and imported by the test modules that use them.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.cache import cache

from cms import roles
from credentials.standards import jws, keys
from tests.credentials.forgery_support import did_key_credential, sign_with_did_key

ALICE = "alice@example.org"
SALT = "sel-de-mer"


@pytest.fixture
def imp_alice(make_user):
    cache.clear()  # the re-check throttle lives in the cache
    return make_user(ALICE, roles.LEARNERS, display_name="Alice Martin")


@pytest.fixture
def imp_bob(make_user):
    return make_user("bob@example.org", roles.LEARNERS, display_name="Bob")


def make_stale(row) -> None:
    """``row``'s verdict, as if our verifier gave it longer ago than the verdicts' lifetime."""
    from datetime import timedelta

    from django.utils import timezone

    from credentials.conf import settings as conf
    from credentials.models import ImportedCredential

    age = timedelta(seconds=conf.IMPORT_VERDICT_MAX_AGE_SECONDS + 60)
    ImportedCredential.objects.filter(pk=row.pk).update(checked_at=timezone.now() - age)
    row.refresh_from_db()


def foreign(name: str = "Riverbank College", *, email: str | None = ALICE, key=None) -> tuple:
    """(unsigned credential, its key): an OB 3.0 credential from a did:key issuer calling
    itself ``name``, issued to ``email`` (hashed, as OB 3.0 identifiers are)."""
    key = key or keys.generate_ed25519_key()
    credential = did_key_credential(name, key)
    credential["credentialSubject"]["achievement"]["name"] = "Open Science Basics"
    if email:
        credential["credentialSubject"]["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": "sha256$" + hashlib.sha256((email + SALT).encode()).hexdigest(),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": SALT,
            }
        ]
    return credential, key


def signed_json(name: str = "Riverbank College", **options) -> dict:
    credential, key = foreign(name, **options)
    return sign_with_did_key(credential, key)


def odd_bytes(document: dict) -> bytes:
    """``document`` as an application might send it: keys reversed, odd whitespace, escapes."""
    text = json.dumps(dict(reversed(list(document.items()))), indent="\t", ensure_ascii=True)
    return (" \r\n" + text.replace(": ", " :  ") + "\n\n").encode("utf-8")


def signed_jwt(name: str = "Riverbank College", **options) -> str:
    credential, key = foreign(name, **options)
    return jws.encode_vc_jwt(
        credential, key, kid=keys.did_key_verification_method(key.public_key())
    )
