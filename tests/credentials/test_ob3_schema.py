"""Our OB 3.0 credentials against our JSON Schema of OpenBadgeCredential.

The schema (credentials/schemas/ob_v3p0_openbadgecredential.schema.json) is written by us from
the Open Badges 3.0 data model (Appendix B); it is not 1EdTech's file. It checks shape only:
proofs, status and dates in the past or future are the verifier's business.
"""

import copy
import json
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from credentials import keys, openbadges3, services
from credentials.jws import decode_vc_jwt
from credentials.signing import sign_award
from tests.credentials.factories import make_badge

pytestmark = pytest.mark.django_db

SCHEMA_PATH = (
    Path(__file__).resolve().parents[2]
    / "credentials"
    / "schemas"
    / "ob_v3p0_openbadgecredential.schema.json"
)


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> Validator:
    """The validator of the schema's own draft (``$schema``), asserting formats it can check."""
    cls = validator_for(schema())
    return cls(schema(), format_checker=cls.FORMAT_CHECKER)


def problems(document: dict) -> list[str]:
    """Every violation as 'json path: message' (empty when the document is valid)."""
    return [f"{e.json_path}: {e.message}" for e in validator().iter_errors(document)]


def rejection(document: dict) -> tuple[str, str]:
    """The most relevant violation's path and message; fails if the document is accepted."""
    error = best_match(validator().iter_errors(document))
    assert error is not None, "the schema accepted an invalid credential"
    return error.json_path, error.message


@pytest.fixture
def signed(given):
    """An issued, signed OB 3.0 credential of a badge with every EU micro-credential element."""
    return sign_award(given)


@pytest.fixture
def unsigned(given):
    """A valid credential to break (unsigned: the schema is about shape, signing is slow)."""
    document = openbadges3.credential(given)
    assert problems(document) == []
    return document


def test_the_schema_is_a_valid_draft_2020_12_schema():
    assert validator_for(schema()) is Draft202012Validator
    Draft202012Validator.check_schema(schema())
    assert "NOT 1EdTech's published JSON Schema" in schema()["description"]


def test_an_issued_signed_credential_of_a_plain_badge_validates(uni, learner):
    plain = make_badge(uni, slug="plain-badge")
    award = sign_award(services.award(plain, learner))
    assert award.ob3_credential["proof"]["type"] == "DataIntegrityProof"
    assert problems(award.ob3_credential) == []


def test_the_decoded_vc_jwt_payload_validates(signed):
    issuer = signed.badge_class.issuer
    jwks = {k["kid"]: k for k in openbadges3.profile_document(issuer)["jwks"]["keys"]}
    decoded = decode_vc_jwt(signed.ob3_jwt, lambda h: keys.public_key_from_jwk(jwks[h["kid"]]))
    assert {"iss", "jti", "nbf"} <= set(decoded.claims)  # JWT claims sit beside the credential
    assert problems(decoded.claims) == []


def test_a_credential_with_the_eu_micro_credential_elements_validates(signed):
    eu = signed.ob3_credential["credentialSubject"]["achievement"]["euMicroCredential"]
    assert {"learningOutcome", "ectsCredits", "eqfLevel", "qualityAssurance"} <= set(eu)
    assert problems(signed.ob3_credential) == []


def test_a_revoked_awards_credential_still_validates(signed, staff):
    revoked = services.revoke(signed, "Awarded by mistake", by=staff)
    assert services.award_status(revoked) == "revoked"
    assert problems(revoked.ob3_credential) == []


def test_an_expired_awards_credential_still_validates(uni, learner):
    badge = make_badge(uni, slug="short-lived", validity_days=30)
    issued = timezone.now() - timedelta(days=60)
    award = sign_award(services.award(badge, learner, issued_on=issued))
    assert services.award_status(award) == "expired"
    assert "validUntil" in award.ob3_credential
    assert problems(award.ob3_credential) == []


def test_a_credential_without_an_achievement_is_rejected(unsigned):
    del unsigned["credentialSubject"]["achievement"]
    path, message = rejection(unsigned)
    assert path == "$.credentialSubject"
    assert message == "'achievement' is a required property"


def test_a_credential_without_an_issuer_is_rejected(unsigned):
    del unsigned["issuer"]
    assert rejection(unsigned) == ("$", "'issuer' is a required property")


def test_a_type_array_without_open_badge_credential_is_rejected(unsigned):
    unsigned["type"] = ["VerifiableCredential", "Certificate"]
    path, message = rejection(unsigned)
    assert path == "$.type"
    assert "['VerifiableCredential', 'Certificate']" in message


def test_a_valid_from_that_is_not_a_date_time_with_zone_is_rejected(unsigned):
    for not_a_datetime in ("2024-05-01", "2024-05-01T10:00:00", "1 May 2024"):
        broken = copy.deepcopy(unsigned)
        broken["validFrom"] = not_a_datetime
        path, message = rejection(broken)
        assert path == "$.validFrom", not_a_datetime
        assert message.startswith(repr(not_a_datetime))


def test_an_achievement_without_criteria_is_rejected(unsigned):
    del unsigned["credentialSubject"]["achievement"]["criteria"]
    path, message = rejection(unsigned)
    assert path == "$.credentialSubject.achievement"
    assert message == "'criteria' is a required property"


def test_an_evidence_item_without_a_type_is_rejected(unsigned):
    del unsigned["evidence"][0]["type"]
    assert rejection(unsigned) == ("$.evidence[0]", "'type' is a required property")


def test_every_demo_credential_validates(media_root):
    from cms import demo as cms_demo
    from credentials import demo

    cms_demo.seed_accounts()
    cms_demo.seed_institutions()
    seeded = demo.seed()
    assert len(seeded["awards"]) == 5
    for item in seeded["awards"]:
        award = sign_award(item.award)
        assert problems(award.ob3_credential) == [], award.badge_class.slug
