"""The fast path to canonical N-Quads gives pyld's bytes, or steps aside for pyld.

Every comparison is against ``ContextStore(fast=False)``, the plain pyld path our proofs were
always made with: the same N-Quads (so the same proofs), or the same refusal.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from credentials.standards.canonical import Unsupported
from credentials.standards.dataintegrity import sign_eddsa_rdfc_2022, verify_eddsa_rdfc_2022
from credentials.standards.jsonld import ContextStore

PYLD = ContextStore(fast=False)
FAST = ContextStore()
OB3 = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://w3id.org/cocreate-academy/contexts/eu-microcredential/v1",
]
BADGE = "https://uni.example/credentials/badges/1/"
PROFILE = "https://uni.example/issuers/1/profile"


def outcome(store: ContextStore, document: Any) -> tuple[str, str]:
    try:
        return "canonical", store.canonicalize(document)
    except Exception as exc:  # noqa: BLE001 - which refusal is part of the comparison
        return "refused", type(exc).__name__


def assert_as_pyld(document: Any) -> str:
    """The store with the fast path answers exactly as pyld does; returns pyld's answer."""
    expected = outcome(PYLD, copy.deepcopy(document))
    assert outcome(FAST, document) == expected
    return expected[1]


def assert_fast(document: Any) -> str:
    """The fast path itself (no fallback) gives pyld's N-Quads."""
    expected = PYLD.canonicalize(copy.deepcopy(document))
    assert FAST.fast_canonicalize(document) == expected
    return expected


def credential(**extra: Any) -> dict[str, Any]:
    """An OB 3.0 credential shaped as ours are (openbadges3.credential), without a database."""
    document: dict[str, Any] = {
        "@context": list(OB3),
        "id": "https://uni.example/credentials/6769423a/",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Opportunity Spotter",
        "issuer": {
            "id": PROFILE,
            "type": ["Profile"],
            "name": "Uni",
            "url": "https://uni.example",
            "address": {"type": ["Address"], "addressCountryCode": "NL"},
        },
        "validFrom": "2026-11-29T11:33:06Z",
        "awardedDate": "2026-11-29T11:33:06Z",
        "credentialSubject": {
            "id": "urn:uuid:a22f2df7-5191-401a-b0b8-3ea69c89b829",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": "sha256$99204502c1d4ecf27fc9683cafa0f67f",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": "cf80412be08b4dbc",
                }
            ],
            "achievement": {
                "id": BADGE,
                "type": ["Achievement"],
                "achievementType": "Badge",
                "name": "Opportunity Spotter",
                "description": "Spots opportunities.",
                "criteria": {"narrative": "Pass the quiz."},
                "image": {"id": BADGE + "image", "type": "Image", "caption": "Badge"},
                "creator": {"id": PROFILE, "type": ["Profile"], "name": "Uni"},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "EQF level 6",
                        "targetUrl": "http://data.europa.eu/snb/eqf/6",
                        "targetCode": "6",
                    }
                ],
                "creditsAvailable": 2,
                "resultDescription": [
                    {
                        "id": BADGE + "#grade",
                        "type": ["ResultDescription"],
                        "name": "Pass / fail",
                        "resultType": "Result",
                        "allowedValue": ["pass", "fail"],
                    }
                ],
                "tag": ["co-creation"],
                "learningOutcome": ["Spot an opportunity", "Pitch it"],
                "volumeOfLearning": "PT50H",
                "mode": "http://data.europa.eu/snb/learning-assessment/e92d221e4d",
                "provenBy": {"type": "LearningAssessmentSpecification", "dcType": "Jury"},
            },
        },
        "evidence": [{"type": ["Evidence"], "name": "Pitch", "narrative": "To Helix"}],
        "credentialStatus": {
            "id": "https://uni.example/status/1#42",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "42",
            "statusListCredential": "https://uni.example/status/1",
        },
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
    }
    document.update(extra)
    return document


def proof_config(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-11-29T11:33:06Z",
        "verificationMethod": PROFILE + "#key-1",
        "proofPurpose": "assertionMethod",
    }


# --- documents written by hand -------------------------------------------------------------


def test_a_credential_shaped_as_ours_takes_the_fast_path() -> None:
    assert assert_fast(credential()).count("\n") > 40


def test_the_proof_configuration_takes_the_fast_path() -> None:
    assert_fast(proof_config(credential()))


def test_a_signed_credential_with_its_proof_graph_takes_the_fast_path() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    signed = sign_eddsa_rdfc_2022(credential(), key, PROFILE + "#key-1", store=PYLD)
    nquads = assert_fast(signed)  # the proof set is a @graph container: a named graph
    assert " _:c14n" in nquads.split(" .\n")[0] or "_:c14n" in nquads


def test_an_embedded_endorsement_with_its_own_context_and_proof() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    endorsement = {
        "@context": OB3[:2],
        "id": "https://helix.example/endorsements/1",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": "Helix endorses “Opportunity Spotter”",
        "issuer": {"id": "https://helix.example/profile", "type": ["Profile"], "name": "Helix"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": BADGE,
            "type": ["EndorsementSubject"],
            "endorsementComment": 'Hires "people" \\ with\nthis\tbadge\r — 🎉',
        },
    }
    signed = sign_eddsa_rdfc_2022(endorsement, key, "https://helix.example/k", store=PYLD)
    again = copy.deepcopy(endorsement)
    again["id"] += "-again"
    again = sign_eddsa_rdfc_2022(again, key, "https://helix.example/k", store=PYLD)
    document = credential()
    document["credentialSubject"]["achievement"]["endorsement"] = [signed, again]
    assert_fast(document)


@pytest.mark.parametrize(
    "text",
    ['quote " and backslash \\', "new\nline, tab\t, return\r", "ünïcödé 中文 🎉 \u2028", ""],
)
def test_strings_that_n_quads_escapes(text: str) -> None:
    document = credential(name=text, description=text)
    document["evidence"][0]["narrative"] = text
    assert_fast(document)


@pytest.mark.parametrize(
    "value", [0, -7, 2, 2.0, 2.5, -0.001, 1e21, 10**22, 1.5e300, True, False, "2"]
)
def test_numbers_and_booleans(value: Any) -> None:
    document = credential()
    document["credentialSubject"]["achievement"]["creditsAvailable"] = value
    document["credentialSubject"]["identifier"][0]["hashed"] = value
    document["credentialSubject"]["achievement"]["resultDescription"][0]["allowedValue"] = [
        value,
        value,
    ]
    assert_fast(document)


def test_lists_keep_order_and_repeats_and_an_empty_list_is_nil() -> None:
    document = credential()
    description = document["credentialSubject"]["achievement"]["resultDescription"][0]
    description["allowedValue"] = ["b", "a", "b", {"type": ["Alignment"], "targetName": "x"}]
    assert_fast(document)
    description["allowedValue"] = []
    assert "rdf-syntax-ns#nil" in assert_fast(document)


def test_deeply_nested_blank_nodes() -> None:
    document = credential()
    node = document["credentialSubject"]["achievement"]["provenBy"]
    for depth in range(12):
        node["provenBy"] = {"type": "LearningAssessmentSpecification", "dcType": f"{depth}"}
        node = node["provenBy"]
    assert_fast(document)


def test_the_same_node_described_twice_is_merged() -> None:
    document = credential()
    document["credentialSubject"]["achievement"]["creator"]["description"] = "Also here"
    document["credentialSubject"]["achievement"]["tag"] = ["a", "a", "b"]
    assert_fast(document)


def test_a_typed_literal_a_language_and_json_from_an_inline_context() -> None:
    document = {
        "@context": [
            OB3[0],
            {
                "@language": "en",
                "ex": "https://ex.example/#",
                "motto": {"@id": "ex:motto", "@language": "fr"},
                "rate": {"@id": "ex:rate", "@type": "http://www.w3.org/2001/XMLSchema#double"},
                "data": {"@id": "ex:data", "@type": "@json"},
                "seeAlso": {"@id": "ex:seeAlso", "@type": "@vocab"},
            },
        ],
        "id": "https://ex.example/thing",
        "type": ["ex:Thing"],
        "ex:label": "hello",
        "motto": "bonjour",
        "rate": [1, 2.5, "3.0E0"],  # a string only in canonical form (safe mode, review F7)
        "data": {"b": [1, 2.0, "x"], "a": None, "é": True},
        "seeAlso": ["ex:Other", "https://elsewhere.example/"],
    }
    assert "@en" in assert_fast(document)


def test_a_w3c_credential_with_the_examples_vocabulary() -> None:
    examples = "https://www.w3.org/ns/credentials/examples/v2"
    store = ContextStore(
        extra={examples: {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}}
    )
    reference = ContextStore(extra=store._extra, fast=False)
    document = {
        "@context": [OB3[0], examples],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "name": "Alumni Credential",
        "issuer": "https://vc.example/issuers/5678",
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    }
    assert store.fast_canonicalize(document) == reference.canonicalize(document)


def test_a_verifiable_credentials_1_1_document() -> None:
    assert_fast(
        {
            "@context": ["https://www.w3.org/2018/credentials/v1", OB3[1]],
            "id": "https://uni.example/c/1",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": PROFILE, "type": ["Profile"], "name": "Uni"},
            "issuanceDate": "2026-01-01T00:00:00Z",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {"id": BADGE, "type": ["Achievement"], "name": "Badge"},
            },
        }
    )


# --- what the fast path leaves to pyld -----------------------------------------------------


def test_look_alike_blank_nodes_need_n_degree_hashing_and_go_to_pyld() -> None:
    twin = {"type": ["Evidence"], "name": "Pitch"}
    document = credential(evidence=[twin, dict(twin)])
    with pytest.raises(Unsupported):
        FAST.fast_canonicalize(document)
    assert_as_pyld(document)


@pytest.mark.parametrize(
    "change",
    [
        {"name": {"@value": "Tagged", "@language": "de"}},  # an explicit value object
        {"evidence": [{"id": "_:b0", "type": ["Evidence"]}]},  # a blank node written out
        {"tag": {"@list": ["a"]}},  # an explicit list object
        {"evidence": [{"type": ["Evidence"], "@included": []}]},
    ],
)
def test_what_the_fast_path_does_not_cover_goes_to_pyld(change: dict[str, Any]) -> None:
    document = credential(**change)
    with pytest.raises(Unsupported):
        FAST.fast_canonicalize(document)
    assert_as_pyld(document)


@pytest.mark.parametrize(
    "values",
    [
        {"data": {"a": 1}, "same": {"a": 1.0}},  # pyld keeps one: its == finds them equal
        {"kind": "https://ex.example/T", "type": "https://ex.example/T"},  # a line twice
        {"rate": 1, "same": True},
    ],
)
def test_values_pyld_merges_or_repeats_go_to_pyld(values: dict[str, Any]) -> None:
    document = {
        "@context": [
            OB3[0],
            {
                "data": {"@id": "https://ex.example/#d", "@type": "@json"},
                "same": {"@id": "https://ex.example/#d", "@type": "@json"},
                "kind": {"@id": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "@type": "@id"},
                "rate": {"@id": "https://ex.example/#d", "@type": "@json"},
            },
        ],
        "id": "https://ex.example/thing",
        **values,
    }
    with pytest.raises(Unsupported):
        FAST.fast_canonicalize(document)
    assert_as_pyld(document)


@pytest.mark.parametrize(
    "change",
    [
        {"undefinedTerm": "x"},  # under v2's @vocab it maps, so pyld decides
        {"@foo": "x"},
        {"evidence": [{"id": "relative/path", "type": ["Evidence"]}]},
        {"evidence": [{"id": "https://evil.example/ x", "type": ["Evidence"]}]},
        {"type": ["VerifiableCredential", "Relative Type"]},
        {"name": "bell \x07"},
        {"@context": [*OB3, "https://unknown.example/context"]},
        {"id": 42},
    ],
)
def test_documents_pyld_refuses_or_drops_from_are_decided_by_pyld(change: dict) -> None:
    document = credential(**change)
    with pytest.raises(Unsupported):
        FAST.fast_canonicalize(document)
    assert_as_pyld(document)


def test_proofs_made_on_either_path_are_the_same_bytes_and_verify_on_both() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    document = credential()
    fast = sign_eddsa_rdfc_2022(document, key, PROFILE + "#k", created="2026-01-01T00:00:00Z")
    slow = sign_eddsa_rdfc_2022(
        document, key, PROFILE + "#k", created="2026-01-01T00:00:00Z", store=PYLD
    )
    assert fast == slow
    for store in (FAST, PYLD):
        assert verify_eddsa_rdfc_2022(fast, lambda _m: key.public_key(), store=store)[0]


@pytest.mark.parametrize(
    "path, value",
    [
        ("name", "Forged"),
        ("credentialSubject.achievement.creditsAvailable", 3),
        ("credentialSubject.identifier.0.hashed", False),
        ("credentialSubject.achievement.resultDescription.0.allowedValue", ["fail", "pass"]),
        ("evidence.0.narrative", "To Helix "),
        ("credentialSubject.achievement.creator.name", "Mallory"),
    ],
)
def test_tampering_on_the_fast_path_fails_verification(path: str, value: Any) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    signed = sign_eddsa_rdfc_2022(credential(), key, PROFILE + "#key-1")
    tampered = copy.deepcopy(signed)
    *parents, last = path.split(".")
    target: Any = tampered
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    FAST.fast_canonicalize({k: v for k, v in tampered.items() if k != "proof"})
    assert verify_eddsa_rdfc_2022(tampered, lambda _m: key.public_key()) == (
        False,
        "signature does not match the document",
    )


# --- generated variations ------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(['"', "\\", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "é", "🎉"]),
    ),
    max_size=12,
)
_NUMBER = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
_IRI = st.one_of(
    st.sampled_from(
        [
            "https://uni.example/a",
            "https://uni.example/a",
            "urn:uuid:1234",
            "did:key:z6Mk",
            "xsd:string",  # a compact IRI some of our contexts define
            "relative",
            "https://evil.example/ x",
            "_:b7",
            "",
        ]
    ),
    _TEXT.map(lambda t: "https://x.example/" + t),
)
_SCALAR = st.one_of(_TEXT, _NUMBER, _IRI, st.none())
_KEYS = st.sampled_from(
    [
        "name", "description", "narrative", "id", "type", "tag", "targetName", "targetUrl",
        "creditsAvailable", "allowedValue", "genre", "audience", "url", "hashed", "salt",
        "learningOutcome", "mode", "volumeOfLearning", "caption", "unknownTerm", "@foo",
    ]
)  # fmt: skip
_TYPES = st.sampled_from(
    ["Evidence", "Alignment", "Profile", "Image", "ResultDescription", "IdentityObject", "X"]
)


def _node(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {"type": st.one_of(_TYPES, st.lists(_TYPES, max_size=2))},
        optional={"id": _IRI},
    ).flatmap(
        lambda base: st.dictionaries(_KEYS, children, max_size=4).map(
            lambda extra: {**extra, **base}
        )
    )


_VALUE = st.recursive(
    _SCALAR, lambda children: st.one_of(st.lists(children, max_size=3), _node(children)),
    max_leaves=8,
)  # fmt: skip


@st.composite
def _variation(draw: st.DrawFn) -> dict[str, Any]:
    document = credential()
    achievement = document["credentialSubject"]["achievement"]
    for target in (document, achievement, document["evidence"][0], document["issuer"]):
        for key, value in draw(st.dictionaries(_KEYS, _VALUE, max_size=3)).items():
            target[key] = value
    if draw(st.booleans()):
        document["evidence"] = draw(st.lists(_node(_SCALAR), max_size=3))
    if draw(st.booleans()):
        document["credentialSubject"]["identifier"] = draw(st.lists(_node(_SCALAR), max_size=3))
    return document


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_variation())
def test_generated_variations_canonicalise_as_pyld_does(document: dict[str, Any]) -> None:
    assert_as_pyld(document)


_PLAIN = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from(['"', "\\", "\n", "\r", "\t", "é", "🎉"]),
    ),
    max_size=12,
)


@st.composite
def _values_varied(draw: st.DrawFn) -> dict[str, Any]:
    """Our credential's shape with other strings, numbers and lists in it."""
    document = credential(name=draw(_PLAIN), description=draw(st.one_of(_PLAIN, _NUMBER)))
    achievement = document["credentialSubject"]["achievement"]
    achievement["creditsAvailable"] = draw(_NUMBER)
    achievement["tag"] = draw(st.lists(st.one_of(_PLAIN, _NUMBER), max_size=4))
    achievement["resultDescription"][0]["allowedValue"] = draw(
        st.lists(st.one_of(_PLAIN, _NUMBER), max_size=4)
    )
    achievement["learningOutcome"] = draw(st.lists(_PLAIN, max_size=3))
    document["evidence"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {"type": st.just(["Evidence"]), "name": _PLAIN},
                optional={
                    "id": _PLAIN.map(lambda t: "https://x.example/" + t.replace(" ", "")),
                    "narrative": _PLAIN,
                    "genre": st.one_of(_PLAIN, _NUMBER),
                },
            ),
            max_size=4,
        )
    )
    return document


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(_values_varied())
def test_generated_variations_the_fast_path_takes_are_pyld_bytes(document: dict) -> None:
    try:
        nquads = FAST.fast_canonicalize(document)
    except Unsupported:
        assume(False)
    else:
        assert nquads == PYLD.canonicalize(json.loads(json.dumps(document)))


# --- our issued credentials ----------------------------------------------------------------


@pytest.fixture
def canon_documents(badge, learner, other_issuer, other_staff, uni) -> list[dict[str, Any]]:
    """What we sign: credentials with and without the EU elements, endorsed or not, with
    evidence that N-Quads must escape; their proof configurations; an endorsement; the
    issuer's profile (an inline context and a @json key set) and a status list."""
    from credentials import services
    from credentials.issuing import openbadges3
    from credentials.issuing.signing import sign_award
    from credentials.services import endorsements
    from tests.credentials.factories import make_badge

    endorsement = endorsements.endorse(
        badge, other_issuer, 'Hires "people" \\ with\nthis\tbadge — ünï 🎉', other_staff
    )
    evidence = services.Evidence(
        name='Pitch "one" \\ two', narrative="Line\r\nnext\ttab 中文", url="https://x.example/p?q=é"
    )
    eu_award = sign_award(services.award(badge, learner, [evidence]))
    plain = make_badge(uni, slug="plain-badge", language="")
    plain_award = sign_award(services.award(plain, "someone@example.org"))
    documents = [
        openbadges3.credential(eu_award),
        eu_award.ob3_credential,
        openbadges3.credential(plain_award),
        plain_award.ob3_credential,
        endorsement.credential,
        openbadges3.profile_document(uni),
        openbadges3.status_list_credential(badge),
    ]
    for signed in (eu_award.ob3_credential, plain_award.ob3_credential):
        options = {k: v for k, v in signed["proof"][0].items() if k != "proofValue"}
        documents.append({**options, "@context": signed["@context"]})
    return documents


@pytest.mark.django_db
def test_our_issued_credentials_take_the_fast_path_with_pyld_bytes(canon_documents) -> None:
    for document in canon_documents:
        assert_fast(document)


@pytest.mark.django_db
def test_our_signed_credentials_verify_on_the_fast_path(canon_documents, uni) -> None:
    from credentials.issuing import keystore
    from credentials.standards.keys import public_key_from_multibase

    key = public_key_from_multibase(keystore.active_key(uni, "Ed25519").public_key)
    for signed in canon_documents[1], canon_documents[3]:
        assert verify_eddsa_rdfc_2022(signed, lambda _m, key=key: key) == (True, "verified")
        tampered = {**signed, "name": signed["name"] + "!"}
        assert verify_eddsa_rdfc_2022(tampered, lambda _m, key=key: key)[0] is False


def test_a_strangers_inline_contexts_are_not_kept_after_the_call() -> None:
    """The fast path's resolver lives as long as the store: each inline context it kept
    (hundreds of KB for a large one) would stay for good, one per unique context sent to
    the public verifier. Our own context URLs stay cached."""
    store = ContextStore()
    store.fast_canonicalize(credential())  # our contexts, processed and kept
    kept = len(store._fast._local)
    for n in range(5):
        document = credential()
        document["@context"] = [*OB3, {f"t{n}": "https://ex.example/#t"}]
        document[f"t{n}"] = "x"
        document["credentialSubject"]["@context"] = {f"s{n}": "https://ex.example/#s"}
        document["credentialSubject"][f"s{n}"] = "y"
        assert store.fast_canonicalize(document) == PYLD.canonicalize(copy.deepcopy(document))
    assert store._fast.options["contextResolver"].per_op_cache == {}
    assert len(store._fast._local) == kept


def _self_scoped(definition: dict[str, Any], scoped: Any) -> dict[str, Any]:
    """A term whose property-scoped context redefines the term itself (review F5)."""
    return {"p": {"@id": "https://ex.example/#p", **definition, "@context": {"p": scoped}}}


LIST_P = {"@id": "https://ex.example/#p", "@container": "@list"}


@pytest.mark.parametrize(
    ("terms", "value"),
    [
        (_self_scoped({}, LIST_P), [[1, 2], 3]),
        (_self_scoped({}, LIST_P), [None, ["a"]]),
        (_self_scoped({"@container": "@set"}, LIST_P), [["a"], "b"]),
        (_self_scoped({}, "@graph"), "x"),
        (_self_scoped({}, "@graph"), {"id": "https://o.example/"}),
        (_self_scoped({}, "@graph"), {}),
        (_self_scoped({}, "@reverse"), {"id": "https://o.example/", "name": "n"}),
        (_self_scoped({}, "@list"), ["a", "b"]),
        (_self_scoped({}, "@value"), "x"),
        (_self_scoped({}, "@id"), "https://z.example/"),
    ],
)
def test_a_scoped_context_redefining_its_own_term_is_left_to_pyld(terms: dict, value: Any) -> None:
    document = {"@context": [OB3[0], terms], "id": "https://ex.example/s", "p": value}
    with pytest.raises(Unsupported):
        FAST.fast_canonicalize(copy.deepcopy(document))
    assert_as_pyld(document)
