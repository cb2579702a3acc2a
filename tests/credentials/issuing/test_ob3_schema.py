"""Our OB 3.0 credentials against our JSON Schema of OpenBadgeCredential.

The schema (credentials/standards/schemas/ob_v3p0_openbadgecredential.schema.json) is written
by us from
the Open Badges 3.0 data model (Appendix B), at least as strict as 1EdTech's published schema
(which, for one, wants ``proof`` to be an array); it is not 1EdTech's file. It checks shape
only: proofs, status and dates in the past or future are the verifier's business.
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

from credentials import services
from credentials.issuing import openbadges3
from credentials.issuing.signing import sign_award
from credentials.standards import keys
from credentials.standards.jws import decode_vc_jwt
from tests.credentials.factories import make_badge

pytestmark = pytest.mark.django_db

SCHEMA_PATH = (
    Path(__file__).resolve().parents[3]
    / "credentials"
    / "standards"
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


@cache
def validator_of(definition: str) -> Validator:
    """A validator of one ``$defs`` entry (EndorsementCredential, BitstringStatusListCredential)."""
    sub = {**schema(), "$ref": f"#/$defs/{definition}"}
    cls = validator_for(sub)
    return cls(sub, format_checker=cls.FORMAT_CHECKER)


def problems(document: dict, definition: str | None = None) -> list[str]:
    """Every violation as 'json path: message' (empty when the document is valid)."""
    checker = validator_of(definition) if definition else validator()
    return [f"{e.json_path}: {e.message}" for e in checker.iter_errors(document)]


def rejection(document: dict) -> tuple[str, str]:
    """The most relevant violation's path and message; fails if the document is accepted."""
    error = best_match(validator().iter_errors(document))
    assert error is not None, "the schema accepted an invalid credential"
    return error.json_path, error.message


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
    assert award.ob3_credential["proof"][0]["type"] == "DataIntegrityProof"
    assert problems(award.ob3_credential) == []


def test_the_decoded_vc_jwt_payload_validates(signed):
    issuer = signed.badge_class.issuer
    jwks = {k["kid"]: k for k in openbadges3.profile_document(issuer)["jwks"]["keys"]}
    decoded = decode_vc_jwt(signed.ob3_jwt, lambda h: keys.public_key_from_jwk(jwks[h["kid"]]))
    assert {"iss", "jti", "nbf", "sub"} <= set(decoded.claims)  # claims beside the credential
    assert problems(decoded.claims) == []


def test_a_credential_with_the_eu_micro_credential_elements_validates(signed):
    achievement = signed.ob3_credential["credentialSubject"]["achievement"]
    assert {"learningOutcome", "volumeOfLearning", "resultDescription", "inLanguage"} <= set(
        achievement
    )
    assert problems(signed.ob3_credential) == []


def _proof_as_object(document: dict) -> dict:
    return {**document, "proof": document["proof"][0]}


def test_a_proof_as_an_object_is_refused_and_as_an_array_accepted(signed):
    document = signed.ob3_credential
    assert isinstance(document["proof"], list)
    assert problems(document) == []
    path, message = rejection(_proof_as_object(document))
    assert path == "$.proof" and "is not of type 'array'" in message
    assert rejection({**document, "proof": []})[0] == "$.proof"


def test_an_endorsement_credentials_proof_must_be_an_array_too(signed, other_issuer, other_staff):
    from credentials.services import endorsements

    endorsement = endorsements.endorse(
        signed.badge_class, other_issuer, "We hire people who hold it.", other_staff
    ).credential
    assert problems(endorsement, "EndorsementCredential") == []
    assert problems(_proof_as_object(endorsement), "EndorsementCredential") == [
        f"$.proof: {endorsement['proof'][0]!r} is not of type 'array'"
    ]
    later = sign_award(services.award(signed.badge_class, "later@example.org")).ob3_credential
    assert later["credentialSubject"]["achievement"]["endorsement"] == [endorsement]
    assert problems(later) == []


def test_a_status_list_credentials_proof_must_be_an_array_too(signed):
    document = openbadges3.issuer_status_list_credential(signed.status_list)
    assert problems(document, "BitstringStatusListCredential") == []
    assert problems(_proof_as_object(document), "BitstringStatusListCredential") == [
        f"$.proof: {document['proof'][0]!r} is not of type 'array'"
    ]
    legacy = openbadges3.status_list_credential(signed.badge_class)
    assert problems(legacy, "BitstringStatusListCredential") == []


def test_an_old_credential_with_a_single_proof_object_is_refused(badge, learner):
    """What 1EdTech's schema says of credentials signed before proof sets (they still verify:
    test_ob3_status_lists)."""
    from tests.credentials.legacy_ob3 import legacy_award

    old = legacy_award(badge, learner).ob3_credential
    assert rejection(old)[0] == "$.proof"
    assert problems(openbadges3.as_proof_set(old)) == []


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("type",), "OpenBadgeCredential", "$.type"),
        (("credentialSubject", "type"), "AchievementSubject", "$.credentialSubject.type"),
        (("credentialSubject", "achievement", "type"), "Achievement", None),
        (("credentialSubject", "achievement", "tag"), "co-creation", None),
        (("credentialSubject", "identifier"), None, "$.credentialSubject.identifier"),
        (("evidence",), None, "$.evidence"),
        (("credentialSchema",), None, "$.credentialSchema"),
    ],
)
def test_sets_must_be_arrays_as_1edtech_wants(unsigned, path, value, where):
    broken = copy.deepcopy(unsigned)
    target = broken
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value if value is not None else target[path[-1]][0]
    found, _message = rejection(broken)
    assert found == (where or "$." + ".".join(path))


def test_identity_objects_and_images_are_closed(unsigned):
    broken = copy.deepcopy(unsigned)
    broken["credentialSubject"]["identifier"][0]["email"] = "lena@example.org"
    assert rejection(broken)[0] == "$.credentialSubject.identifier[0]"
    broken = copy.deepcopy(unsigned)
    broken["credentialSubject"]["achievement"]["image"]["width"] = 600
    assert rejection(broken)[0] == "$.credentialSubject.achievement.image"


def test_a_credential_status_needs_its_id(unsigned):
    del unsigned["credentialStatus"]["id"]
    assert rejection(unsigned) == ("$.credentialStatus", "'id' is a required property")


@pytest.mark.parametrize("language", ["english", "EN", "en_GB", "en-gb"])
def test_the_language_is_a_bcp47_tag(unsigned, language):
    unsigned["credentialSubject"]["achievement"]["inLanguage"] = language
    assert rejection(unsigned)[0] == "$.credentialSubject.achievement.inLanguage"


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
    from credentials.services import demo

    cms_demo.seed_accounts()
    cms_demo.seed_institutions()
    seeded = demo.seed()
    assert len(seeded["awards"]) == 5
    for item in seeded["awards"]:
        award = sign_award(item.award)
        assert problems(award.ob3_credential) == [], award.badge_class.slug
