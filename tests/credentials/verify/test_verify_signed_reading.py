"""A Data Integrity proof signs the credential's RDF, the verifier reads its JSON keys: a
credential rewritten so that its RDF (and so its proof) stays the same while the keys the
verifier reads say something else must be refused, not shown as valid.

Each forgery here keeps the signature verifying (checked): without the refusal, an expired
credential reads as "does not expire" and a revoked one skips its revocation check.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from credentials.standards import dataintegrity
from credentials.verify import signed_reading
from credentials.verify.site import verify
from tests.credentials.verify_helpers import CREDENTIALS_V2, OB3_CONTEXT, ExternalIssuer, stamp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verify_isolation")]

CRED = "https://www.w3.org/2018/credentials#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture
def rewriting_victim(server, settings):
    """Another issuer (its profile, keys and status list served locally)."""
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    cache.clear()
    yield ExternalIssuer(server, "victim-rdf")
    cache.clear()


def expired(issuer: ExternalIssuer) -> dict:
    return issuer.sign(issuer.credential(valid_until=datetime.now(UTC) - timedelta(days=1)))


def revoked(issuer: ExternalIssuer) -> dict:
    issuer.revoke_index(7)
    cache.clear()  # the status list as fetched before the revocation
    return issuer.sign(issuer.credential(7))


def still_signed(issuer: ExternalIssuer, document: dict) -> None:
    """The forgery keeps the proof verifying: only the JSON reading changed."""
    ok, reason = dataintegrity.verify_eddsa_rdfc_2022(
        document, lambda method: issuer.ed_key.public_key()
    )
    assert ok, reason


def assert_refused(document: dict) -> None:
    result = verify(json.dumps(document))
    assert result.verdict == "tampered", result.as_dict()
    assert result.problem == "rewritten"
    assert result.check("proof").passed is False
    assert "rewritten after signing" in result.check("proof").detail


def test_the_genuine_credentials_are_read_as_they_are(rewriting_victim):
    assert verify(json.dumps(expired(rewriting_victim))).verdict == "expired"
    assert verify(json.dumps(revoked(rewriting_victim))).verdict == "revoked"
    fine = verify(json.dumps(rewriting_victim.sign(rewriting_victim.credential())))
    assert fine.verdict == "valid", fine.as_dict()


def test_a_revocation_entry_moved_under_its_full_address_is_refused(rewriting_victim):
    forged = revoked(rewriting_victim)
    forged[CRED + "credentialStatus"] = forged.pop("credentialStatus")
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


def test_an_expiry_hidden_as_a_value_object_under_its_full_address_is_refused(rewriting_victim):
    forged = expired(rewriting_victim)
    forged[CRED + "validUntil"] = {"@value": forged.pop("validUntil"), "@type": XSD + "dateTime"}
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


def test_a_name_written_as_a_value_object_is_refused(rewriting_victim):
    forged = rewriting_victim.sign(rewriting_victim.credential())
    forged["name"] = {"@value": forged["name"]}
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


def test_an_expiry_repeated_in_an_array_is_refused(rewriting_victim):
    forged = expired(rewriting_victim)
    forged["validUntil"] = [forged["validUntil"], forged["validUntil"]]
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


def test_an_expiry_in_an_array_of_one_is_refused(rewriting_victim):
    forged = expired(rewriting_victim)
    forged["validUntil"] = [forged["validUntil"]]
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


@pytest.mark.parametrize("term", ["validUntil", "credentialStatus"])
def test_an_inline_context_term_aliasing_a_signed_property_is_refused(rewriting_victim, term):
    forged = expired(rewriting_victim) if term == "validUntil" else revoked(rewriting_victim)
    definition = {"@id": CRED + term}
    if term == "validUntil":
        definition["@type"] = XSD + "dateTime"
    forged["@context"] = [*forged["@context"], {"alias": definition}]
    forged["alias"] = forged.pop(term)
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


def test_a_keyword_key_in_place_of_its_alias_is_refused(rewriting_victim):
    forged = rewriting_victim.sign(rewriting_victim.credential())
    forged["@id"] = forged.pop("id")  # our own revocation lookup reads "id"
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


def test_a_revocation_entry_split_over_two_copies_is_refused(rewriting_victim):
    forged = revoked(rewriting_victim)
    entry = forged["credentialStatus"]
    forged["credentialStatus"] = [
        {k: v for k, v in entry.items() if k != "statusListIndex"},
        {"id": entry["id"], "type": entry["type"], "statusListIndex": entry["statusListIndex"]},
    ]
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


def test_an_expiry_moved_onto_another_copy_of_the_credential_is_refused(rewriting_victim):
    credential = rewriting_victim.credential(valid_until=datetime.now(UTC) - timedelta(days=1))
    credential["evidence"][0]["id"] = credential["id"]  # the credential is its own evidence
    forged = rewriting_victim.sign(credential)
    # That copy, typed a credential too (as the credential already is), may carry its dates.
    forged["evidence"][0]["type"].append("VerifiableCredential")
    forged["evidence"][0]["validUntil"] = forged.pop("validUntil")
    still_signed(rewriting_victim, forged)
    assert_refused(forged)


def test_an_inline_context_of_plain_terms_named_by_their_own_address_still_verifies(
    rewriting_victim,
):
    """As our legacy credentials carry their EU terms."""
    credential = rewriting_victim.credential()
    credential["@context"] = [
        CREDENTIALS_V2,
        OB3_CONTEXT,
        {"workloadHours": "https://uni.example/vocab#workloadHours"},
    ]
    credential["credentialSubject"]["achievement"]["workloadHours"] = 12
    result = verify(json.dumps(rewriting_victim.sign(credential)))
    assert result.verdict == "valid", result.as_dict()


# --- the rules on their own (no proof involved) ----------------------------------------------


def plain() -> dict:
    return {
        "@context": [CREDENTIALS_V2, OB3_CONTEXT],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "validFrom": stamp(datetime(2024, 1, 1, tzinfo=UTC)),
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:a"}},
    }


def test_a_plainly_written_credential_has_no_problem():
    assert signed_reading.problem(plain()) is None


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda d: d.update({"ob:name": "x"}),
        lambda d: d.update({"evidence": [["urn:e"]]}),
        lambda d: d.update({"validUntil": 20300101}),
        lambda d: d.update({"issuer": ["urn:i"]}),
        lambda d: d["credentialSubject"].update({"@context": {"x": "https://e.example/#x"}}),
        lambda d: d.update({"@context": [CREDENTIALS_V2, {"@vocab": "https://e.example/#"}]}),
        lambda d: d["credentialSubject"].update({"@nest": {"validUntil": "2020-01-01"}}),
        lambda d: d["credentialSubject"].update({"identifier": [{"hashed": "false"}]}),
    ],
    ids=[
        "compact-iri",
        "nested-list",
        "number-date",
        "list-issuer",
        "embedded",
        "vocab",
        "nest",
        "string-boolean",
    ],
)
def test_each_rewriting_shape_is_named(rewrite):
    document = copy.deepcopy(plain())
    rewrite(document)
    assert signed_reading.problem(document)


def test_json_literal_values_are_not_looked_into():
    document = plain()
    document["credentialSubject"]["jwk"] = {"@value": 1, "list": [1, 1]}
    assert signed_reading.problem(document) is None


def test_an_endorsement_rewritten_inside_a_jwt_credential_is_not_counted_verified(
    rewriting_victim,
):
    """A VC-JWT signs its JSON, but an endorsement in it carries its own Data Integrity
    proof: its id (read to see whether it was withdrawn) must be the one its endorser signed."""
    credential = rewriting_victim.credential(status=False)
    endorsement = rewriting_victim.sign(
        {
            "@context": [CREDENTIALS_V2, OB3_CONTEXT],
            "id": "urn:uuid:5d0c2c39-4b1e-4c8e-9d6b-2f5e8a8f0e11",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "issuer": {"id": rewriting_victim.id, "type": ["Profile"]},
            "validFrom": credential["validFrom"],
            "credentialSubject": {
                "id": credential["id"],
                "type": ["EndorsementSubject"],
                "endorsementComment": "Good work.",
            },
        }
    )
    genuine = copy.deepcopy(credential)
    genuine["endorsement"] = [endorsement]
    result = verify(rewriting_victim.jwt(genuine))
    assert result.verdict == "valid", result.as_dict()
    assert result.summary.endorsers[0]["verified"] is True

    rewritten = dict(endorsement)
    rewritten["@id"] = rewritten.pop("id")
    still_signed(rewriting_victim, rewritten)
    credential["endorsement"] = [rewritten]
    result = verify(rewriting_victim.jwt(credential))
    assert result.summary.endorsers[0]["verified"] is False
