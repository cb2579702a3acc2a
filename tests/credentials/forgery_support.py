"""What the forgery tests share: Mallory's server, Northbridge (a real institution here),
the document library any editor can upload to, and a did:key credential.

Its fixtures are registered in tests/credentials/conftest.py; the helpers are imported.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from credentials import services
from credentials.issuing import baking
from credentials.standards import dataintegrity, keys
from tests.credentials.factories import make_badge, make_issuer

from .verify_helpers import CREDENTIALS_V2, OB3_CONTEXT, DocServer, stamp

NORTHBRIDGE = "Northbridge University of Technology"
API = "/api/v1/verify"


@pytest.fixture(scope="module")
def mallory_server():
    server = DocServer()
    yield server
    server.stop()


@pytest.fixture
def loopback_fetch(settings):
    """Documents may be fetched from loopback, where Mallory's test server listens."""
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    cache.clear()


@pytest.fixture
def northbridge(db, media_root):
    return make_issuer("northbridge", name=NORTHBRIDGE, country="NL")


@pytest.fixture
def northbridge_badge(northbridge):
    return make_badge(northbridge, "opportunity-spotter")


@pytest.fixture
def northbridge_award(northbridge_badge, learner, django_capture_on_commit_callbacks):
    """A real, signed award of Northbridge's badge to Lena."""
    with django_capture_on_commit_callbacks(execute=True):
        made = services.award(northbridge_badge, learner, [services.Evidence(name="Pitch deck")])
    made = baking.sign_award(made)
    made.is_public = True  # verified by URL and id, as a shared credential is
    made.save(update_fields=["is_public"])
    return made


def upload(name: str, make_body) -> str:
    """A file in the platform's document library, as any editor may upload one.

    ``make_body(url)`` writes the file knowing its own public address.
    """
    document = Document(title=name)
    document.file.save(name, ContentFile(b"{}"), save=False)
    document.save()
    url = settings.SITE_URL + document.url
    with open(document.file.path, "w") as handle:
        handle.write(json.dumps(make_body(url)))
    return url


def post(client, **body) -> dict:
    """POST /api/v1/verify with a JSON body; the answer's JSON (always 200 here)."""
    response = client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def on_page(client, text: str, email: str = "") -> str:
    """The verdict the /verify/ page shows for ``text`` pasted into its form."""
    response = client.post("/verify/", {"text": text, "email": email})
    found = re.search(r'data-verdict="([a-z_]+)"', response.content.decode())
    assert found, response.content.decode()[-2000:]
    return found.group(1)


def did_key_credential(name: str, key) -> dict:
    """An unsigned OB 3.0 credential whose issuer is ``key``'s did:key, calling itself ``name``."""
    did = keys.did_key(key.public_key())
    return {
        "@context": [CREDENTIALS_V2, OB3_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": name},
        "validFrom": stamp(datetime.now(UTC) - timedelta(days=3)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"urn:uuid:{uuid.uuid4()}",
                "type": ["Achievement"],
                "name": "Master of Innovation",
                "description": "Anything at all.",
                "criteria": {"narrative": "None."},
            },
        },
    }


def sign_with_did_key(credential: dict, key) -> dict:
    method = keys.did_key_verification_method(key.public_key())
    return dataintegrity.sign_eddsa_rdfc_2022(credential, key, method)


def controller_document(controller: str, key, name: str = "") -> dict:
    """A Profile or DID document of ``controller`` listing ``key`` for signing credentials."""
    document = {
        "@context": [CREDENTIALS_V2, OB3_CONTEXT],
        "id": controller,
        "type": ["Profile"],
        "verificationMethod": [
            {
                "id": controller + "#key",
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": keys.public_key_multibase(key.public_key()),
            }
        ],
        "assertionMethod": [controller + "#key"],
    }
    if name:
        document["name"] = name
    return document
