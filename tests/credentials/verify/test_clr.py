"""The verifier reads a CLR 2.0 learner record: its own proof, then each embedded credential."""

from __future__ import annotations

import copy
import json

import pytest

from credentials import services
from credentials.issuing import clr as issuing_clr
from credentials.issuing.signing import sign_award
from credentials.services import clr
from credentials.standards import clr as standard
from credentials.verify.site import verify
from tests.credentials.factories import make_badge, make_issuer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verify_isolation")]


@pytest.fixture
def record_alice(make_user):
    return make_user("alice@example.org", display_name="Alice")


@pytest.fixture
def record_institution(db, media_root):
    return make_issuer("record-uni", name="Record University")


@pytest.fixture
def record_awards(record_alice, record_institution):
    course = make_badge(record_institution, "course-one")
    programme = make_badge(record_institution, "programme")
    course.part_of.add(programme)
    return [
        sign_award(services.award(course, record_alice)),
        sign_award(services.award(make_badge(record_institution, "course-two"), record_alice)),
    ]


def resign(document, issuer):
    """What only the institution itself could do: sign a changed record again."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    return issuing_clr.sign(unsigned, issuer)


def test_a_genuine_record_and_each_credential_in_it_verify(record_alice, record_awards):
    result = verify(json.dumps(clr.signed_record(record_alice)))
    assert result.verdict == "valid", result.as_dict()
    assert result.check("proof").passed
    assert result.check("embedded").passed
    assert [c["status"] for c in result.record["credentials"]] == ["valid", "valid"]
    assert result.record["associations"] == 0  # the programme is not held: left out
    assert result.issuer_trust["kind"] == "platform"
    assert "learner record" in result.headline


def test_the_record_matches_the_learners_email_and_not_another(record_alice, record_awards):
    document = json.dumps(clr.signed_record(record_alice))
    assert verify(document, email="alice@example.org").recipient_matched is True
    assert verify(document, email="bob@example.org").verdict == "not_recipient"


def test_a_changed_record_is_tampered(record_alice, record_awards):
    document = clr.signed_record(record_alice)
    document["name"] = "Comprehensive Learner Record: Harvard"
    result = verify(json.dumps(document))
    assert result.verdict == "tampered"
    assert result.check("proof").passed is False


def test_a_tampered_embedded_credential_is_named(record_alice, record_awards, record_institution):
    document = clr.signed_record(record_alice)
    inner = document["credentialSubject"]["verifiableCredential"][1]
    inner["credentialSubject"]["achievement"]["name"] = "Doctorate"
    result = verify(json.dumps(resign(document, record_institution)))
    assert result.check("proof").passed  # the record's own signature holds
    assert result.check("embedded").passed is False
    assert [c["status"] for c in result.record["credentials"]] == ["valid", "tampered"]
    assert result.record["failing"] == 1
    assert "#2" in result.check("embedded").detail
    assert result.verdict == "tampered"  # the record is worth no more than its worst part
    assert "Do not rely on this learner record: #2" in result.headline


def test_an_embedded_credential_revoked_since_shows_revoked(
    record_alice, record_awards, record_institution, make_user
):
    document = clr.signed_record(record_alice)
    charlie = make_user("charlie@example.org", display_name="Charlie")
    record_institution.staff.add(charlie)
    services.revoke(record_awards[0], "Plagiarism", charlie)
    result = verify(json.dumps(document))
    assert result.check("proof").passed
    statuses = {c["id"]: c["status"] for c in result.record["credentials"]}
    assert statuses[record_awards[0].ob3_credential["id"]] == "revoked"
    assert result.check("embedded").passed is False


def test_an_association_with_an_achievement_not_in_the_record_is_refused(
    record_alice, record_awards, record_institution
):
    document = clr.signed_record(record_alice)
    document["credentialSubject"].setdefault("association", []).append(
        standard.association(
            document["credentialSubject"]["achievement"][0]["id"],
            "https://elsewhere.example/badges/phd",
        )
    )
    result = verify(json.dumps(resign(document, record_institution)))
    assert result.verdict == "not_a_badge"
    assert "association" in result.check("schema").detail


def test_a_record_with_too_many_credentials_is_refused_before_any_check(
    record_alice, record_awards
):
    document = clr.signed_record(record_alice)
    one = document["credentialSubject"]["verifiableCredential"][0]
    document["credentialSubject"]["verifiableCredential"] = [
        copy.deepcopy(one) for _ in range(standard.MAX_EMBEDDED + 1)
    ]
    result = verify(json.dumps(document))
    assert result.verdict == "not_a_badge"
    assert result.record is None


def test_a_record_signed_by_a_stranger_is_not_ours(record_alice, record_awards):
    document = clr.signed_record(record_alice)
    mallory = make_issuer("mallory-record", name="Mallory")
    document["issuer"] = {**document["issuer"], "name": "Record University"}
    forged = resign(document, mallory)  # signed with another institution's key
    result = verify(json.dumps(forged))
    assert result.verdict != "valid"


def test_a_record_inside_a_record_is_not_verified_as_a_credential(
    record_alice, record_awards, record_institution
):
    document = clr.signed_record(record_alice)
    nested = copy.deepcopy(document)
    document["credentialSubject"]["verifiableCredential"].append(nested)
    result = verify(json.dumps(resign(document, record_institution)))
    assert result.record["credentials"][-1]["status"] == "not_a_badge"


def test_the_api_answer_lists_each_embedded_verdict(record_alice, record_awards):
    answer = verify(json.dumps(clr.signed_record(record_alice))).as_dict()
    assert [c["status"] for c in answer["record"]["credentials"]] == ["valid", "valid"]
    assert answer["checks"][-1]["name"] == "embedded"


def test_the_page_and_the_api_say_which_embedded_credential_fails(
    client, record_alice, record_awards, record_institution
):
    document = clr.signed_record(record_alice)
    inner = document["credentialSubject"]["verifiableCredential"][1]
    inner["credentialSubject"]["achievement"]["name"] = "Doctorate"
    text = json.dumps(resign(document, record_institution))
    page = client.post("/verify/", {"text": text}).content.decode()
    assert "The credentials in this learner record" in page
    assert 'data-verdict="tampered"' in page
    assert "Doctorate" in page
    assert "1 credential in this record does not verify" in page
    answer = client.post("/api/v1/verify", json.dumps({"credential": text}), "application/json")
    assert answer.status_code == 200, answer.content
    record = answer.json()["record"]
    assert record["failing"] == 1
    assert [c["status"] for c in record["credentials"]] == ["valid", "tampered"]
