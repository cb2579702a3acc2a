"""The verify page and API count a check of one of our credentials once a day per verifier, and
only when the verdict is about our genuine credential (credentials/services/verifications.py)."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from credentials.issuing import baking, links
from credentials.models import VerificationEvent
from credentials.standards import bakery
from tests.credentials.verify_helpers import ExternalIssuer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verify_isolation")]

PAGE, API = "/verify/", "/api/v1/verify"
ALICE = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Firefox/140"}
BOB = {"REMOTE_ADDR": "198.51.100.4", "HTTP_USER_AGENT": "Firefox/140"}


@pytest.fixture
def public_award(signed):
    signed.is_public = True
    signed.save(update_fields=["is_public"])
    return signed


def image_of(award, fmt: str = "png3") -> bytes:
    with baking.baked_image(award, fmt).file.open("rb") as handle:
        return handle.read()


def upload(client, data: bytes, to: str = PAGE, **who):
    return client.post(to, {"file": SimpleUploadedFile("badge.png", data)}, **who)


def verdict_of(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return response.json()["status"]
    return response.context["result"].verdict


def counted() -> int:
    return VerificationEvent.objects.count()


def test_a_valid_check_on_the_page_is_counted(client, public_award):
    assert verdict_of(upload(client, image_of(public_award), **ALICE)) == "valid"
    assert list(VerificationEvent.objects.values_list("award", "verdict")) == [
        (public_award.pk, "valid")
    ]


def test_a_tampered_upload_of_our_credential_does_not_count(client, public_award):
    image = image_of(public_award)
    credential = bakery.extract(image).json()
    credential["credentialSubject"]["achievement"]["name"] = "Chief Innovation Officer"
    tampered = bakery.bake(image, credential, version="3.0")
    assert verdict_of(upload(client, tampered, **ALICE)) == "tampered"
    assert verdict_of(upload(client, tampered, to=API, **BOB)) == "tampered"
    assert counted() == 0


def test_the_same_verifier_twice_in_a_day_counts_once(client, public_award):
    # The page and the API, the OB 3.0 and the OB 2.0 image, the link: one verifier, one day.
    upload(client, image_of(public_award), **ALICE)
    upload(client, image_of(public_award, "png2"), to=API, **ALICE)
    client.get(PAGE, {"id": str(public_award.public_id)}, **ALICE)
    assert counted() == 1


def test_two_verifiers_count_twice(client, public_award):
    upload(client, image_of(public_award), **ALICE)
    upload(client, image_of(public_award), **BOB)
    assert counted() == 2


def test_one_address_rotating_its_user_agent_counts_once(client, public_award):
    # The User-Agent is the client's to choose: 25 of them from one address are one verifier.
    image = image_of(public_award)
    for n in range(25):
        upload(client, image, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=f"curl/{n}")
    assert counted() == 1


def test_two_ipv6_networks_count_twice(client, public_award):
    image = image_of(public_award)
    upload(client, image, REMOTE_ADDR="2001:db8:1:2::7", HTTP_USER_AGENT="Firefox/140")
    upload(client, image, REMOTE_ADDR="2001:db8:1:3::7", HTTP_USER_AGENT="Firefox/140")
    assert counted() == 2


def test_two_addresses_in_one_ipv6_64_count_once(client, public_award):
    # One subscriber is handed a whole /64: every address in it is the same verifier.
    image = image_of(public_award)
    upload(client, image, REMOTE_ADDR="2001:db8:1:2::7", HTTP_USER_AGENT="Firefox/140")
    upload(client, image, REMOTE_ADDR="2001:db8:1:2:abcd::1", HTTP_USER_AGENT="Chrome/141")
    assert counted() == 1


def test_the_same_verifier_on_another_day_counts_again(client, public_award, monkeypatch):
    upload(client, image_of(public_award), **ALICE)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2031, 1, 2))
    upload(client, image_of(public_award), **ALICE)
    assert sorted(VerificationEvent.objects.values_list("day", flat=True))[-1] == date(2031, 1, 2)
    assert counted() == 2


def test_a_revoked_credential_checked_still_counts(client, public_award, staff):
    from credentials import services

    services.revoke(public_award, "Issued in error", by=staff)
    assert verdict_of(upload(client, image_of(public_award), **ALICE)) == "revoked"
    assert counted() == 1


@pytest.fixture
def forger(server, settings):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    return ExternalIssuer(server, "forger")


def test_a_forged_document_that_names_our_credential_does_not_count(client, public_award, forger):
    fake = forger.credential()
    fake["id"] = links.award_url(public_award)  # our credential's address, someone else's proof
    response = client.post(
        API, json.dumps({"credential": forger.sign(fake)}), content_type="application/json", **BOB
    )
    assert response.status_code == 200
    assert response.json()["issuer_trust"]["kind"] != "platform"
    assert counted() == 0


def test_the_holder_checking_their_own_credential_does_not_count(client, public_award, learner):
    client.force_login(learner)
    assert verdict_of(upload(client, image_of(public_award), **ALICE)) == "valid"
    assert counted() == 0


def test_what_is_not_a_badge_does_not_count(client, public_award):
    client.post(PAGE, {"text": "hello"}, **ALICE)
    client.post(PAGE, {"text": links.award_url(public_award) + "nonsense"}, **ALICE)
    assert counted() == 0


def test_a_check_from_the_page_in_another_language_counts_and_knows_our_issuer(
    client, public_award
):
    """A French employer's check: our signed URLs have no /fr/ prefix, and they are still
    recognised as ours (counted, vouched for by the platform) from a French request."""
    response = client.get("/fr" + PAGE, {"id": str(public_award.public_id)}, **ALICE)
    assert verdict_of(response) == "valid"
    assert 'data-issuer-trust="platform"' in response.content.decode()
    assert '<html lang="fr">' in response.content.decode()  # the page stays French
    assert counted() == 1
