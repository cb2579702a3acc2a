"""The shapes of a CLR 2.0 ClrCredential, its bundled context, and reading one."""

import hashlib

import pytest

from credentials.standards import clr, jsonld
from credentials.standards.jsonld import CONTEXTS_DIR

ACHIEVEMENT = "https://uni.example/badges/course"
PROGRAMME = "https://uni.example/badges/programme"


def embedded_credential(achievement_id: str = ACHIEVEMENT) -> dict:
    return {
        "@context": [clr.VC_CONTEXT, clr.OB3_CONTEXT],
        "id": "urn:uuid:6f1c1e4e-1d0b-4b8e-9d0e-0c5b3c1d2e3f",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://uni.example/issuer", "type": ["Profile"], "name": "Uni"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {"id": achievement_id, "type": ["Achievement"], "name": "Course"},
        },
    }


def a_record(**changes) -> dict:
    fields = {
        "credential_id": "urn:uuid:0f1c1e4e-1d0b-4b8e-9d0e-0c5b3c1d2e3f",
        "name": "Comprehensive Learner Record: Uni",
        "issuer": {"id": "https://uni.example/issuer", "type": ["Profile"], "name": "Uni"},
        "valid_from": "2026-01-02T00:00:00Z",
        "identifiers": [
            {
                "type": "IdentityObject",
                "identityHash": "sha256$" + "0" * 64,
                "identityType": "emailAddress",
                "hashed": True,
                "salt": "pepper",
            }
        ],
        "credentials": [embedded_credential()],
        "achievements": [{"id": PROGRAMME, "type": ["Achievement"], "name": "Programme"}],
        "associations": [clr.association(ACHIEVEMENT, PROGRAMME)],
    }
    return clr.record(**{**fields, **changes})


def test_the_bundled_context_is_1edtechs_file_byte_for_byte():
    path = CONTEXTS_DIR / "clr-v2p0-context-2.0.1.json"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6"


def test_the_context_starts_with_vc_clr_and_our_ob_context_in_the_specs_order():
    assert clr.context("https://example.org/extra")[:3] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert clr.context(clr.OB3_CONTEXT) == clr.context()  # never twice


def test_a_record_has_the_clr_shape_and_reads_as_well_formed():
    document = a_record()
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["credentialSubject"]["type"] == ["ClrSubject"]
    assert clr.is_clr(document)
    assert clr.problems(document) == []
    assert clr.achievement_ids(document) == {ACHIEVEMENT, PROGRAMME}


def test_a_record_expands_offline_with_every_term_defined():
    expanded = jsonld.expand(a_record())
    assert "https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrCredential" in str(expanded)
    assert "https://purl.imsglobal.org/spec/vc/clr/vocab.html#sourceId" in str(expanded)


def test_an_empty_record_is_never_made():
    with pytest.raises(ValueError):
        a_record(credentials=[])


def test_an_unknown_association_type_is_refused():
    with pytest.raises(ValueError):
        clr.association(ACHIEVEMENT, PROGRAMME, "isBetterThan")


def test_an_association_with_an_achievement_outside_the_record_is_a_problem():
    document = a_record(associations=[clr.association(ACHIEVEMENT, "https://x.example/phd")])
    assert clr.problems(document) == [
        "credentialSubject.association[0].targetId (an achievement of the record)"
    ]


@pytest.mark.parametrize(
    "breaks, problem",
    [
        (lambda d: d.pop("name"), "name"),
        (lambda d: d.update({"@context": [clr.VC_CONTEXT]}), "the CLR 2.0 @context"),
        (lambda d: d["credentialSubject"].update({"type": ["Other"]}), "ClrSubject"),
        (lambda d: d["credentialSubject"].pop("verifiableCredential"), "verifiableCredential"),
        (
            lambda d: d["credentialSubject"].update(
                {"verifiableCredential": [embedded_credential()] * (clr.MAX_EMBEDDED + 1)}
            ),
            "at most 200",
        ),
        (lambda d: d["credentialSubject"]["association"][0].pop("type"), "type Association"),
        (
            lambda d: d["credentialSubject"]["association"][0].update({"associationType": "x"}),
            "associationType",
        ),
    ],
)
def test_a_broken_record_says_what_is_wrong(breaks, problem):
    document = a_record()
    breaks(document)
    assert any(problem in found for found in clr.problems(document))


def test_an_open_badge_is_not_a_record():
    assert not clr.is_clr(embedded_credential())
    assert not clr.is_clr("ClrCredential")
