"""Offline JSON-LD loader, safe mode and the processed-context cache."""

from __future__ import annotations

import json
from typing import Any

import pytest

from credentials.standards import jsonld
from credentials.standards.jsonld import (
    CONTEXTS_DIR,
    ContextStore,
    JsonLdSafeModeError,
    UnknownContextError,
)

REQUIRED_URLS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/openbadges/v2",
    "https://w3id.org/security/v1",
    "https://w3id.org/security/v2",
]
OB2 = "https://w3id.org/openbadges/v2"


def test_every_indexed_context_file_exists_and_is_a_context() -> None:
    index = json.loads((CONTEXTS_DIR / "index.json").read_text())
    for url, name in index.items():
        document = json.loads((CONTEXTS_DIR / name).read_text())
        assert "@context" in document, url


@pytest.mark.parametrize("url", REQUIRED_URLS)
def test_required_context_is_shipped(url: str) -> None:
    assert url in jsonld.default_store.urls


def test_loader_serves_shipped_context_as_remote_document() -> None:
    remote = jsonld.document_loader("https://www.w3.org/ns/credentials/v2", {})
    assert remote["documentUrl"] == "https://www.w3.org/ns/credentials/v2"
    assert remote["document"]["@context"]["VerifiableCredential"]


def test_loader_rejects_unknown_url_with_clear_error() -> None:
    with pytest.raises(UnknownContextError, match="not available offline"):
        jsonld.document_loader("https://example.com/context.json", {})


def test_canonicalize_rejects_document_with_unknown_context() -> None:
    document = {"@context": "https://example.com/context.json", "@id": "urn:x"}
    with pytest.raises(UnknownContextError) as info:
        jsonld.canonicalize(document)
    assert info.value.url == "https://example.com/context.json"


def test_context_loaded_by_another_store_is_still_refused() -> None:
    url = "https://example.com/other.json"
    other = ContextStore(extra={url: {"@context": {"@vocab": "https://example.com/#"}}})
    other.canonicalize({"@context": url, "@id": "urn:x", "name": "x"})
    with pytest.raises(UnknownContextError):
        ContextStore().canonicalize({"@context": url, "@id": "urn:x"})


def test_safe_mode_rejects_term_not_defined_by_context() -> None:
    assertion = {"@context": OB2, "type": "Assertion", "id": "urn:uuid:1", "undefinedTerm": "x"}
    with pytest.raises(JsonLdSafeModeError, match="undefinedTerm"):
        jsonld.canonicalize(assertion)


def test_safe_mode_rejects_relative_type() -> None:
    assertion = {"@context": OB2, "type": "NotAType", "id": "urn:uuid:1"}
    with pytest.raises(JsonLdSafeModeError, match="NotAType"):
        jsonld.canonicalize(assertion)


@pytest.mark.parametrize("node_id", ["https://evil.example/ x", "urn:x\ty", "_:b 1"])
def test_safe_mode_rejects_an_id_with_white_space_pyld_would_drop(node_id: str) -> None:
    """pyld leaves every triple of such a node out of the canonical form."""
    assertion = {"@context": OB2, "type": "Assertion", "id": node_id, "uid": "x"}
    with pytest.raises(JsonLdSafeModeError, match="not an absolute IRI"):
        jsonld.canonicalize(assertion)


def test_safe_mode_rejects_control_characters_pyld_cannot_escape_portably() -> None:
    assertion = {"@context": OB2, "type": "Assertion", "id": "urn:uuid:1", "uid": "a\x08b"}
    with pytest.raises(JsonLdSafeModeError, match="control character"):
        jsonld.canonicalize(assertion)


def test_tab_newline_and_carriage_return_are_canonicalized() -> None:
    assertion = {"@context": OB2, "type": "Assertion", "id": "urn:uuid:1", "uid": "a\tb\nc\rd"}
    assert '"a\\tb\\nc\\rd"' in jsonld.canonicalize(assertion)


def test_unsafe_mode_drops_undefined_term_silently() -> None:
    with_term = {"@context": OB2, "type": "Assertion", "id": "urn:uuid:1", "undefinedTerm": "x"}
    without = {"@context": OB2, "type": "Assertion", "id": "urn:uuid:1"}
    assert jsonld.canonicalize(with_term, safe=False) == jsonld.canonicalize(without)


def test_canonical_form_ignores_key_order() -> None:
    a = {"@context": OB2, "id": "urn:uuid:1", "type": "Assertion", "issuedOn": "2024-01-01"}
    b = dict(reversed(list(a.items())))
    assert jsonld.canonicalize(a) == jsonld.canonicalize(b)


def test_each_context_is_loaded_once_per_store() -> None:
    loads: list[str] = []

    class CountingStore(ContextStore):
        def load_document(self, url: str, options: Any = None) -> dict[str, Any]:
            loads.append(url)
            return super().load_document(url, options)

    store = CountingStore()
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu", "type": "Profile", "name": "X"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"type": "AchievementSubject"},
    }
    for _ in range(3):
        store.canonicalize(credential)
    assert sorted(loads) == sorted(set(loads)) and len(loads) == 2


def test_get_context_returns_an_independent_copy() -> None:
    first = jsonld.default_store.get_context(OB2)
    first["@context"]["id"] = "mutated"
    assert jsonld.default_store.get_context(OB2)["@context"]["id"] == "@id"


def test_warm_up_processes_every_shipped_context() -> None:
    ContextStore().warm_up()


V2 = "https://www.w3.org/ns/credentials/v2"
IMPORTING_V2 = [
    {"x": "https://ex.example/#x"},
    {"@import": V2, "name": "https://evil.example/#name"},
]


def test_no_shipped_context_uses_import() -> None:
    """Refusing @import (below) costs none of the contexts we serve."""
    for path in CONTEXTS_DIR.glob("*.json"):
        assert "@import" not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(
    "hostile",
    [
        {"@context": IMPORTING_V2, "id": "https://ex.example/x", "name": "zzz"},
        {  # the same, embedded in a node
            "@context": [V2, {"n": "https://ex.example/#n"}],
            "id": "https://ex.example/x",
            "n": {"@context": IMPORTING_V2, "id": "https://ex.example/y", "name": "zzz"},
        },
        {  # the same, as a property-scoped context
            "@context": [V2, {"n": {"@id": "https://ex.example/#n", "@context": IMPORTING_V2}}],
            "id": "https://ex.example/x",
            "n": {"id": "https://ex.example/y", "name": "zzz"},
        },
    ],
)
def test_an_import_cannot_change_a_shipped_context_for_later_documents(
    fast: bool, hostile: dict[str, Any]
) -> None:
    """pyld merges the importing context into its cached copy of the imported one, so a
    stranger's document would redefine V2's ``name`` in every later document of the process
    (credentials we sign included): ``@import`` is refused."""
    honest = {"@context": [{"h": "https://ex.example/#h"}, V2], "id": "https://ex.example/p",
              "name": "Plain"}  # fmt: skip
    fresh = ContextStore(fast=fast).canonicalize(honest)
    store = ContextStore(fast=fast)
    with pytest.raises(JsonLdSafeModeError, match="@import"):
        store.canonicalize(hostile)
    with pytest.raises(JsonLdSafeModeError, match="@import"):
        store.expand(hostile, safe=False)
    assert store.canonicalize(honest) == fresh
    assert "<https://schema.org/name>" in fresh


E = "https://ex.example/#"
TAG_FORGING_LINE = 'en .\n<https://ex.example/s> <https://ex.example/#p> "y"'


def _inline(terms: dict[str, Any], **body: Any) -> dict[str, Any]:
    return {"@context": [V2, terms], "id": "https://ex.example/s", **body}


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param(  # review F4: the tag would write its own N-Quads line
            _inline({"n": E + "n"}, n={"@value": "x", "@language": TAG_FORGING_LINE}),
            "language tag",
            id="value-language",
        ),
        pytest.param(
            _inline({"n": {"@id": E + "n", "@language": TAG_FORGING_LINE}}, n="x"),
            "language tag",
            id="term-language",
        ),
        pytest.param(
            {
                "@context": [V2, {"@language": "en us", "n": E + "n"}],
                "id": "https://ex.example/s",
                "n": "x",
            },  # fmt: skip
            "language tag",
            id="context-language",
        ),
        pytest.param(  # review F7: "$" matched before the final newline
            {"@context": [V2], "id": "https://ex.example/s\n", "name": "x"},
            "absolute IRI",
            id="id-newline",
        ),
        pytest.param(
            {"@context": [V2], "id": "https://ex.example/s", "https://ex.example/#p\n": "x"},
            "absolute IRI",
            id="property-newline",
        ),
        pytest.param(
            _inline({"t": {"@id": E + "t", "@type": "https://ex.example/#dt\n"}}, t="x"),
            "absolute IRI",
            id="datatype-newline",
        ),
        pytest.param(  # review F6: control characters inside @json strings
            _inline({"j": {"@id": E + "j", "@type": "@json"}}, j="s\x01"),
            "control character",
            id="json-control",
        ),
        pytest.param(
            _inline({"j": {"@id": E + "j", "@type": "@json"}}, j={"k\x7f": ["\x02"]}),
            "control character",
            id="json-nested-control",
        ),
        pytest.param(  # review F8: lone surrogates (json.loads gives them)
            {"@context": [V2], "id": "https://ex.example/s", "name": "a\ud800"},
            "surrogate",
            id="surrogate-value",
        ),
        pytest.param(
            {"@context": [V2], "id": "https://ex.example/s\udc00", "name": "a"},
            "surrogate",
            id="surrogate-iri",
        ),
    ],
)
def test_safe_mode_refuses_what_would_be_written_raw_into_n_quads(
    fast: bool, document: dict[str, Any], message: str
) -> None:
    with pytest.raises(JsonLdSafeModeError, match=message):
        ContextStore(fast=fast).canonicalize(document)


def test_a_forged_language_tag_does_not_collide_with_an_honest_document() -> None:
    honest = _inline({"n": E + "n", "p": E + "p"}, n={"@value": "x", "@language": "en"}, p="y")
    assert '"x"@en' in jsonld.canonicalize(honest)
    assert jsonld.canonicalize(_inline({"n": E + "n"}, n={"@value": "x", "@language": "en-GB"}))


XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("text", ["1_0", " 1 ", "\u0661", "NaN", "inf", "1", "1.5", "1.0E0 "])
def test_safe_mode_refuses_an_xsd_double_string_not_in_canonical_form(
    fast: bool, text: str
) -> None:
    """pyld reads it with float(), so each of these would sign as another's value."""
    document = _inline({"d": {"@id": E + "d", "@type": XSD_DOUBLE}}, d=text)
    with pytest.raises(JsonLdSafeModeError, match="xsd:double"):
        ContextStore(fast=fast).canonicalize(document)


@pytest.mark.parametrize("fast", [True, False])
def test_an_xsd_double_string_in_canonical_form_is_kept(fast: bool) -> None:
    document = _inline({"d": {"@id": E + "d", "@type": XSD_DOUBLE}}, d="1.5E0")
    assert f'"1.5E0"^^<{XSD_DOUBLE}>' in ContextStore(fast=fast).canonicalize(document)


@pytest.mark.parametrize("fast", [True, False])
def test_a_document_nested_too_deeply_is_a_safe_mode_error(fast: bool) -> None:
    """Not a RecursionError (a 500 when signing)."""
    inner: dict[str, Any] = {"name": "leaf"}
    for _ in range(900):
        inner = {"https://ex.example/#c": inner}
    document = {"@context": [V2], "id": "https://ex.example/s", **inner}
    with pytest.raises(JsonLdSafeModeError, match="nested too deeply"):
        ContextStore(fast=fast).canonicalize(document)
