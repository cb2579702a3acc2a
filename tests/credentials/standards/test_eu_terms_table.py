"""The one table of the EU micro-credential elements (credentials.standards.eu_annex): that it
is Annex I, that the v1 context defines every term it names (and nothing else), and that what
eu_terms derives from it (the reader's labels and order, the legacy keys, what the issuer
writes) covers every element of it. Pure Python: no database, no Django."""

from __future__ import annotations

import json
from typing import Any

import pytest

from credentials.standards import eu_annex, eu_terms
from credentials.standards.jsonld import CONTEXTS_DIR

# Council Recommendation 2022/C 243/02, Annex I: the law, not another copy of the table.
ANNEX_I_PART_1 = [
    "learner", "title", "country", "awarding_body", "date_of_issue", "learning_outcomes",
    "workload", "level", "assessment", "participation", "quality_assurance",
]  # fmt: skip
ANNEX_I_PART_2 = ["prerequisites", "supervision", "grade", "integration", "further_information"]
OUR_NAMESPACES = (eu_annex.ELM, eu_annex.DCTERMS, eu_annex.VOCAB)
MEDIA = (eu_annex.READER, eu_annex.CERTIFICATE, eu_annex.PAGE, eu_annex.TEXT)
ALL_TERMS = [(e, t) for e in eu_annex.ELEMENTS for t in e.terms]


def _context(file: str) -> dict[str, Any]:
    return json.loads((CONTEXTS_DIR / file).read_text(encoding="utf-8"))["@context"]


def _definitions(context: dict[str, Any]) -> dict[str, set[str]]:
    """Every term a context defines (scoped contexts too) → the IRIs it gives it."""
    found: dict[str, set[str]] = {}
    for key, value in context.items():
        iri = value.get("@id") if isinstance(value, dict) else value
        if isinstance(iri, str) and not key.startswith("@"):
            found.setdefault(key, set()).add(iri)
        if isinstance(value, dict) and isinstance(value.get("@context"), dict):
            for term, iris in _definitions(value["@context"]).items():
                found.setdefault(term, set()).update(iris)
    return found


def test_the_table_is_annex_i_in_its_order():
    keys = [e.key for e in eu_annex.ELEMENTS]
    assert len(keys) == len(set(keys))
    assert [e.key for e in eu_annex.ELEMENTS if e.part == 1] == ANNEX_I_PART_1
    assert [e.key for e in eu_annex.ELEMENTS if e.part == 2] == ANNEX_I_PART_2
    parts = [{1: 1, None: 2, 2: 3}[e.part] for e in eu_annex.ELEMENTS]
    assert parts == sorted(parts)  # part 1, then what Annex I does not list, then part 2
    assert [e.key for e in eu_annex.ELEMENTS if e.if_applicable] == ["level"]
    assert [e.key for e in eu_annex.MANDATORY] == [k for k in ANNEX_I_PART_1 if k != "level"]


def test_every_element_says_where_its_value_comes_from_and_how_people_read_it():
    for element in eu_annex.ELEMENTS:
        assert element.source in (eu_annex.BADGE, eu_annex.ISSUER, eu_annex.AWARD), element
        assert element.fields and element.label and element.terms, element
        assert {t.field for t in element.terms} <= set(element.fields), element
        assert all(element.label_in(medium) for medium in MEDIA), element
    in_text = [e.label_in(eu_annex.TEXT) for e in eu_annex.ELEMENTS]
    assert len(in_text) == len(set(in_text))
    assert all(label == label.lower() for label in in_text)


@pytest.mark.parametrize("medium", MEDIA)
def test_each_medium_shows_every_element_of_the_table_once(medium):
    shown = [e.key for e in eu_annex.in_order(medium)]
    assert sorted(shown) == sorted(e.key for e in eu_annex.ELEMENTS)


def test_an_element_shown_before_another_is_shown_just_before_it():
    for element in eu_annex.ELEMENTS:
        assert set(element.labels) <= set(MEDIA) and set(element.shown_before) <= set(MEDIA)
        for medium, before in element.shown_before.items():
            order = [e.key for e in eu_annex.in_order(medium)]
            assert order.index(element.key) + 1 == order.index(before)


def test_the_v1_context_defines_every_term_of_ours_the_table_names_at_its_iri():
    shipped = _context(eu_terms.CONTEXT_FILE)
    assert shipped == eu_terms.context_document()["@context"]
    for element, term in ALL_TERMS:
        if not term.iri.startswith(OUR_NAMESPACES):
            continue
        assert term.root in shipped, (element.key, term.key)
        if term.leaf:
            assert term.root in eu_terms.NODE_TYPES, term.key
            assert shipped[term.leaf]["@id"] == term.iri, term.key
        else:
            assert shipped[term.key]["@id"] == term.iri, term.key


def test_the_v1_context_defines_nothing_the_table_does_not_use():
    shipped = set(_context(eu_terms.CONTEXT_FILE)) - {"@version", "@protected"}
    used = {t.root for _e, t in ALL_TERMS} | {t.leaf for _e, t in ALL_TERMS if t.leaf}
    assert shipped <= used | set(eu_terms.NODE_TYPES.values())


def test_the_open_badges_context_defines_the_other_terms_at_their_iri():
    ob3 = _definitions(_context("ob-v3p0-context-3.0.3.json"))
    for element, term in ALL_TERMS:
        if not term.iri.startswith(OUR_NAMESPACES):
            assert term.iri in ob3.get(term.key, set()), (element.key, term.key)


def test_the_readers_labels_and_order_are_the_tables():
    read = [
        t
        for e in eu_annex.in_order(eu_annex.READER)
        for t in e.terms
        if t.on in (eu_annex.ON_ACHIEVEMENT, eu_annex.ON_ISSUER)
    ]
    assert list(eu_terms.ORDER) == [t.label for t in read]
    assert len(set(eu_terms.ORDER)) == len(eu_terms.ORDER)
    assert {eu_terms.ELEMENT_LABELS[t.key] for t in read} == set(eu_terms.ORDER)
    legacy = {t.legacy for t in read if t.legacy}
    assert set(eu_terms.ELEMENT_LABELS) == {t.key for t in read} | legacy
    assert eu_terms.LEGACY_KEYS == legacy == set(eu_terms.LEGACY_TERMS)
    assert len(eu_terms.LEGACY_TERMS) == len(legacy)


def test_the_issuer_writes_each_term_of_our_context_on_the_achievement_once():
    written = [t.key for _key, terms in eu_terms.achievement_terms() for t in terms]
    ours = [
        t.key for _e, t in ALL_TERMS if t.on == eu_annex.ON_ACHIEVEMENT and t.root in eu_terms.TERMS
    ]
    assert sorted(written) == sorted(ours) and len(written) == len(set(written))
    for key, terms in eu_terms.achievement_terms():
        assert all(t.root == key for t in terms)
        assert len(terms) == 1 or key in eu_terms.NODE_TYPES


SAMPLES = {eu_annex.DURATION: 5, eu_annex.EQF: 6, eu_annex.CONCEPT: "online"}


def _v1_value(term: eu_annex.Term) -> Any:
    """A value of ``term`` as a v1 credential carries it."""
    if term.kind == eu_annex.PROFILE:
        return {"name": "Uni"}
    if term.kind == eu_annex.ADDRESS:
        return {"addressCountry": "Netherlands", "addressCountryCode": "NL"}
    if term.kind == eu_annex.EQF:
        return [{"targetUrl": eu_terms.EQF_CONCEPT.format(level=6)}]
    if term.kind == eu_annex.NAMES:
        return [{"name": "Pass / fail"}]
    return eu_terms.encode(term, SAMPLES.get(term.kind, f"{term.key} text"))


def test_the_reader_reads_every_element_of_the_table_from_a_v1_credential():
    credential: dict[str, Any] = {"@context": [eu_terms.CONTEXT_URL], "issuer": {}}
    achievement: dict[str, Any] = {}
    for _e, term in ALL_TERMS:
        node = {eu_annex.ON_ISSUER: credential["issuer"]}.get(term.on, achievement)
        if term.on in (eu_annex.ON_ACHIEVEMENT, eu_annex.ON_ISSUER):
            if term.leaf:
                node.setdefault(term.root, {})[term.leaf] = _v1_value(term)
            else:
                node[term.key] = _v1_value(term)
    credential["credentialSubject"] = {"achievement": achievement}
    assert [e.label for e in eu_terms.elements(credential)] == list(eu_terms.ORDER)


def test_the_reader_reads_every_legacy_key_of_the_table():
    legacy = {t.legacy: SAMPLES.get(t.kind, f"{t.legacy} text") for _e, t in ALL_TERMS if t.legacy}
    old = {"credentialSubject": {"achievement": {eu_terms.LEGACY_CONTAINER: legacy}}}
    labels = {t.label for _e, t in ALL_TERMS if t.legacy}
    assert {e.label for e in eu_terms.elements(old)} == labels


def test_values_are_written_as_the_terms_kind_says():
    workload = eu_annex.element("workload").terms[0]
    assert eu_terms.encode(workload, 84) == "PT84H"
    assert eu_terms.encode(workload, None) is None
    outcomes = eu_annex.element("learning_outcomes").terms[0]
    assert eu_terms.encode(outcomes, " One \n\n Two ") == ["One", "Two"]
    mode = eu_annex.element("participation").terms[0]
    assert eu_terms.encode(mode, "blended") == eu_terms.MODE_CONCEPTS["blended"]


class _Thing:
    workload_hours = 0
    ects_credits = 2
    participation_form = "onsite"

    def get_participation_form_display(self) -> str:
        return "On-site"


def test_an_elements_value_is_its_first_field_with_one():
    assert eu_annex.element("workload").value_of(_Thing()) == 2
    assert eu_annex.element("participation").value_of(_Thing()) == "onsite"
    assert eu_annex.element("participation").value_of(_Thing(), display=True) == "On-site"
    assert eu_annex.element("title").value_of(None) is None
