"""What issue 17 stores about a person (imported credentials, the public profile, the
applications they authorised, other backpacks they connected, wallets that received a
credential) is in "Download my data" and gone after "Delete my account"."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from cms import account_data, roles
from credentials import services as credentials
from credentials.models import (
    ImportedCredential,
    PublicProfile,
    RemoteConnection,
    RemoteHost,
    WalletCredential,
    WalletOffer,
)
from tests.conftest import PASSWORD
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db
BODY = '{"@context": ["https://www.w3.org/ns/credentials/v2"],  "id": "urn:uuid:ÄÖ-1"}'


@pytest.fixture
def other_systems_world(make_user):
    """Alice, with one of everything issue 17 keeps about a person; Bob, with his own."""
    alice = make_user("alice@example.org", roles.LEARNERS, display_name="Alice")
    bob = make_user("bob@example.org", roles.LEARNERS, display_name="Bob")
    badge = make_badge(make_issuer("northbridge"))
    now = timezone.now()
    app = Application.objects.create(
        name="Portfolio Pro",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://portfolio.example/cb",
    )
    host = RemoteHost.objects.create(
        base_url="https://other-backpack.example",
        discovery_url="https://other-backpack.example/ims/ob/v3p0/discovery",
        authorization_url="https://other-backpack.example/authorize",
        token_url="https://other-backpack.example/token",
        api_base_url="https://other-backpack.example/ims/ob/v3p0",
        client_id="ours",
    )
    for person in (alice, bob):
        award = credentials.award(badge, person, idempotency_key=f"other-systems:{person.pk}")
        ImportedCredential.objects.create(
            owner=person,
            key=hashlib.sha256(f"{person.pk}".encode()).hexdigest(),
            credential_id=f"urn:uuid:{person.pk}",
            format=ImportedCredential.Format.JSON,
            body=BODY,
            achievement_name=f"Imported by {person.display_name}",
        )
        PublicProfile.objects.create(user=person, is_public=True)
        access = AccessToken.objects.create(
            user=person,
            application=app,
            token=f"access-{person.pk}",
            expires=now + timedelta(hours=1),
            scope="https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly",
        )
        RefreshToken.objects.create(
            user=person, application=app, token=f"refresh-{person.pk}", access_token=access
        )
        Grant.objects.create(
            user=person,
            application=app,
            code=f"code-{person.pk}",
            expires=now + timedelta(minutes=1),
            redirect_uri="https://portfolio.example/cb",
            code_challenge="x" * 43,
            code_challenge_method="S256",
        )
        RemoteConnection.objects.create(user=person, host=host)
        offer = WalletOffer.objects.create(
            award=award,
            created_by=person,
            code_hash=hashlib.sha256(f"code{person.pk}".encode()).hexdigest(),
            tx_code_hash="x",
            expires_at=now + timedelta(minutes=10),
        )
        WalletCredential.objects.create(
            offer=offer, format="ldp_vc", holder_id=f"did:key:z6Mk{person.pk}"
        )
    return alice, bob


def test_the_export_holds_what_other_systems_keep_of_the_person(client, other_systems_world):
    alice, _bob = other_systems_world
    client.force_login(alice)
    response = client.get("/accounts/my-data/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert [row["achievement_name"] for row in data["imported_credentials"]] == [
        "Imported by Alice"
    ]
    assert data["public_profile"]["public"] is True
    others = data["other_systems"]
    assert [app["application"] for app in others["applications"]] == ["Portfolio Pro"]
    assert others["connected_backpacks"][0]["host"] == "https://other-backpack.example"
    assert [w["holder"] for w in others["wallets"]] == [f"did:key:z6Mk{alice.pk}"]
    originals = [name for name in archive.namelist() if name not in ("data.json",)]
    bodies = {archive.read(name) for name in originals}
    assert BODY.encode("utf-8") in bodies  # the original, byte for byte
    assert "Imported by Bob" not in json.dumps(data)


def test_deleting_the_account_forgets_what_other_systems_keep(other_systems_world):
    alice, bob = other_systems_world
    alice.set_password(PASSWORD)
    alice.save()
    assert account_data.delete_account(alice, password=PASSWORD, confirmation="DELETE")
    for model, field in (
        (ImportedCredential, "owner"),
        (PublicProfile, "user"),
        (AccessToken, "user"),
        (RefreshToken, "user"),
        (Grant, "user"),
        (RemoteConnection, "user"),
        (WalletOffer, "created_by"),
    ):
        assert not model.objects.filter(**{field: alice}).exists(), model.__name__
        assert model.objects.filter(**{field: bob}).exists(), model.__name__
    assert not WalletCredential.objects.filter(offer__created_by=alice).exists()
