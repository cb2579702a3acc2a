"""Building a learner's CLR 2.0 record from their awards: embedded as stored, deterministic,
associations only between the institution's own published achievements."""

import copy
import json

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from credentials import services
from credentials.issuing import clr, keystore, links, openbadges3
from credentials.issuing.signing import sign_award
from credentials.models import BadgeClass
from credentials.standards import keys
from credentials.standards.jsonld import CONTEXTS_DIR
from credentials.standards.jws import decode_vc_jwt
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db


@pytest.fixture
def building_alice(make_user):
    return make_user("alice@example.org", display_name="Alice")


@pytest.fixture
def building_institution(db):
    return make_issuer("building-uni", name="Building University")


def test_embedded_credentials_are_the_stored_ones_never_signed_again(
    building_alice, building_institution
):
    award = sign_award(services.award(make_badge(building_institution, "one"), building_alice))
    stored = copy.deepcopy(award.ob3_credential)
    document = clr.unsigned_record(building_institution, building_alice.pk, [award])
    assert document["credentialSubject"]["verifiableCredential"] == [stored]
    assert document["issuer"] == openbadges3.profile(building_institution)
    assert document["credentialSubject"]["identifier"] == [
        i
        for i in stored["credentialSubject"]["identifier"]
        if i["identityType"] in ("emailAddress", "name")
    ]
    assert "alice@example.org" not in str(document)


def test_the_same_awards_make_the_same_document(building_alice, building_institution):
    awards = [
        sign_award(services.award(make_badge(building_institution, slug), building_alice))
        for slug in ("first", "second", "third")
    ]
    one = clr.unsigned_record(building_institution, building_alice.pk, awards)
    other = clr.unsigned_record(building_institution, building_alice.pk, list(reversed(awards)))
    assert one == other


def test_each_learner_has_their_own_record_id(make_user, building_alice, building_institution):
    bob = make_user("bob@example.org", display_name="Bob")
    mine = clr.record_id(building_institution, building_alice.pk)
    assert mine == clr.record_id(building_institution, building_alice.pk)
    assert mine != clr.record_id(building_institution, bob.pk)
    assert mine.startswith("urn:uuid:")


def test_only_the_institutions_published_bigger_badges_are_associated(
    building_alice, building_institution
):
    course = make_badge(building_institution, "course")
    programme = make_badge(building_institution, "programme")
    draft = make_badge(building_institution, "draft", status=BadgeClass.Status.DRAFT)
    foreign = make_badge(make_issuer("foreign-uni"), "foreign-programme")
    course.part_of.add(programme, draft, foreign)  # the form never allows foreign; the data might
    awards = [sign_award(services.award(badge, building_alice)) for badge in (course, programme)]
    document = clr.unsigned_record(building_institution, building_alice.pk, awards)
    subject = document["credentialSubject"]
    assert [(a["sourceId"], a["targetId"]) for a in subject["association"]] == [
        (links.badge_url(course), links.badge_url(programme))
    ]
    assert [a["id"] for a in subject["achievement"]] == sorted(
        [links.badge_url(course), links.badge_url(programme)]
    )


def test_a_programme_badge_the_learner_does_not_hold_is_left_out(
    building_alice, building_institution
):
    course = make_badge(building_institution, "held-course")
    programme = make_badge(building_institution, "unheld-programme")
    course.part_of.add(programme)
    award = sign_award(services.award(course, building_alice))
    document = clr.unsigned_record(building_institution, building_alice.pk, [award])
    subject = document["credentialSubject"]
    assert [a["id"] for a in subject["achievement"]] == [links.badge_url(course)]
    assert "association" not in subject
    assert links.badge_url(programme) not in json.dumps(document)


def test_another_institutions_award_is_never_embedded(building_alice, building_institution):
    theirs = sign_award(
        services.award(make_badge(make_issuer("their-uni"), "theirs"), building_alice)
    )
    with pytest.raises(ValueError):
        clr.unsigned_record(building_institution, building_alice.pk, [theirs])


def test_an_unsigned_award_is_never_embedded(building_alice, building_institution):
    award = services.award(make_badge(building_institution, "unsigned"), building_alice)
    award.ob3_credential = None
    with pytest.raises(ValueError):
        clr.unsigned_record(building_institution, building_alice.pk, [award])


def test_the_record_is_also_a_vc_jwt_of_the_institution(building_alice, building_institution):
    award = sign_award(services.award(make_badge(building_institution, "jwt"), building_alice))
    document = clr.sign(
        clr.unsigned_record(building_institution, building_alice.pk, [award]),
        building_institution,
    )
    token = clr.encode_jwt(document, building_institution)
    jwks = {k["kid"]: k for k in openbadges3.profile_document(building_institution)["jwks"]["keys"]}
    decoded = decode_vc_jwt(token, lambda header: keys.public_key_from_jwk(jwks[header["kid"]]))
    assert decoded.credential["type"] == ["VerifiableCredential", "ClrCredential"]
    assert "proof" not in decoded.credential
    assert keystore.active_key(building_institution, "RS256")


def test_the_signed_record_and_each_credential_in_it_match_their_schemas(
    building_alice, building_institution
):
    schemas = CONTEXTS_DIR.parent / "schemas"
    record_schema = json.loads((schemas / "clr_v2p0_clrcredential.schema.json").read_text())
    ob3_schema = json.loads((schemas / "ob_v3p0_openbadgecredential.schema.json").read_text())
    course = make_badge(building_institution, "schema-course")
    programme = make_badge(building_institution, "schema-programme")
    course.part_of.add(programme)
    awards = [sign_award(services.award(b, building_alice)) for b in (course, programme)]
    document = clr.sign(
        clr.unsigned_record(building_institution, building_alice.pk, awards),
        building_institution,
    )
    checker = FormatChecker()
    Draft202012Validator(record_schema, format_checker=checker).validate(document)
    for inner in document["credentialSubject"]["verifiableCredential"]:
        Draft202012Validator(ob3_schema, format_checker=checker).validate(inner)
    broken = copy.deepcopy(document)
    broken["credentialSubject"]["association"][0]["associationType"] = "isBetterThan"
    assert list(Draft202012Validator(record_schema).iter_errors(broken))
