import json
from datetime import timedelta

import pytest
from django.utils import timezone

from credentials import services
from credentials.issuing import keystore, openbadges2
from credentials.issuing.signing import sign_award
from credentials.models import IssuerKey
from credentials.standards import jsonld
from credentials.standards.jws import JWSError, verify_ob2_assertion

pytestmark = pytest.mark.django_db
BASE = "http://testserver/credentials/"


def test_the_hosted_assertion_has_every_required_property(given):
    doc = openbadges2.assertion_document(given)
    assert doc["@context"] == "https://w3id.org/openbadges/v2"
    assert doc["type"] == "Assertion"
    assert doc["id"] == f"{BASE}{given.public_id}/"
    assert doc["recipient"] == {
        "type": "email",
        "hashed": True,
        "salt": given.salt,
        "identity": given.identity_hash,
    }
    assert doc["verification"] == {"type": "HostedBadge"}
    assert doc["badge"] == f"{BASE}badges/{given.badge_class.public_id}/"
    assert doc["issuedOn"].endswith("Z")
    assert doc["evidence"][0]["narrative"] == "Pitched to Helix"
    assert given.recipient_email not in json.dumps(doc)


def test_the_assertion_expires_when_the_award_does(given):
    given.valid_until = timezone.now() + timedelta(days=10)
    assert openbadges2.assertion_document(given)["expires"].endswith("Z")


def test_the_badge_class_carries_criteria_image_alignments_and_tags(badge):
    doc = openbadges2.badge_document(badge)
    assert doc["type"] == "BadgeClass"
    assert doc["criteria"]["narrative"] == badge.criteria_narrative
    assert doc["image"].endswith("/image")
    assert doc["issuer"] == f"{BASE}issuers/{badge.issuer.public_id}/"
    assert len(doc["alignment"]) == 2 and doc["alignment"][0]["targetUrl"].startswith("http")
    assert doc["tags"] == ["co-creation", "entrepreneurship"]


def test_the_issuer_publishes_its_rsa_keys_and_revocation_list(uni):
    doc = openbadges2.issuer_document(uni)
    assert doc["type"] == "Issuer" and doc["email"] == uni.email
    assert doc["revocationList"] == f"{BASE}issuers/{uni.public_id}/revocations"
    assert doc["publicKey"] == [f"{BASE}issuers/{uni.public_id}/keys/rsa-1"]


def test_the_key_is_a_cryptographic_key_owned_by_the_issuer(uni):
    key = keystore.active_key(uni, IssuerKey.Algorithm.RSA)
    doc = openbadges2.key_document(key)
    assert doc["type"] == "CryptographicKey"
    assert doc["owner"] == openbadges2.issuer_document(uni)["id"]
    assert doc["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")


@pytest.mark.parametrize("kind", ["assertion", "badge", "issuer", "key", "revocations"])
def test_every_ob2_document_expands_with_the_published_context(kind, given):
    issuer = given.badge_class.issuer
    doc = {
        "assertion": lambda: openbadges2.assertion_document(given),
        "badge": lambda: openbadges2.badge_document(given.badge_class),
        "issuer": lambda: openbadges2.issuer_document(issuer),
        "key": lambda: openbadges2.key_document(keystore.active_key(issuer, "RS256")),
        "revocations": lambda: openbadges2.revocation_list_document(issuer),
    }[kind]()
    assert jsonld.expand(doc, safe=True)


def test_the_signed_assertion_verifies_with_the_published_key(given):
    signed = sign_award(given)
    key = keystore.active_key(given.badge_class.issuer, IssuerKey.Algorithm.RSA)
    payload = verify_ob2_assertion(signed.ob2_signed, keystore.public_key(key))
    assert payload["id"] == f"urn:uuid:{given.public_id}"
    assert payload["verification"] == {
        "type": "SignedBadge",
        "creator": f"{BASE}issuers/{given.badge_class.issuer.public_id}/keys/rsa-1",
    }


@pytest.mark.parametrize(
    "path",
    [("recipient", "identity"), ("badge",), ("issuedOn",), ("verification", "creator"), ("id",)],
)
def test_tampering_with_a_signed_field_breaks_the_jws(given, path):
    import base64

    signed = sign_award(given).ob2_signed
    header, payload, signature = signed.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=="))
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = target[path[-1]] + "x"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    key = keystore.active_key(given.badge_class.issuer, IssuerKey.Algorithm.RSA)
    with pytest.raises(JWSError):
        verify_ob2_assertion(f"{header}.{forged}.{signature}", keystore.public_key(key))


def test_revoking_puts_both_assertion_ids_on_the_revocation_list(given, staff):
    issuer = given.badge_class.issuer
    assert openbadges2.revocation_list_document(issuer)["revokedAssertions"] == []
    services.revoke(given, "Plagiarised project", staff)
    entries = openbadges2.revocation_list_document(issuer)["revokedAssertions"]
    assert {e["id"] for e in entries} == {
        f"{BASE}{given.public_id}/",
        f"urn:uuid:{given.public_id}",
    }
    assert {e["revocationReason"] for e in entries} == {"Plagiarised project"}


def test_a_signature_made_before_rotation_still_verifies_with_the_retired_key(given):
    signed = sign_award(given)
    old = keystore.active_key(given.badge_class.issuer, IssuerKey.Algorithm.RSA)
    keystore.rotate_keys(given.badge_class.issuer)
    old.refresh_from_db()
    assert old.retired_at is not None
    assert verify_ob2_assertion(signed.ob2_signed, keystore.public_key(old))
    assert f"keys/{old.key_id}" in " ".join(
        openbadges2.issuer_document(given.badge_class.issuer)["publicKey"]
    )
