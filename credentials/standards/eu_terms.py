"""The EU micro-credential elements in our Open Badges 3.0 credentials: context, writing, reading.

Council Recommendation of 16 June 2022 on micro-credentials (2022/C 243/02), Annex I. Pure
Python (no Django). The elements themselves (fields, terms, IRIs, labels, mandatory or not)
are the one table in :mod:`credentials.standards.eu_annex`; this module is the v1 context that
defines our terms, how the issuer writes a value (:func:`encode`, :func:`achievement_terms`),
and how anyone reads the elements back (:func:`elements`, :data:`ELEMENT_LABELS`,
:data:`ORDER`, all derived from the table). The issuer builds credentials with it, the
verifier, the credential page and the PDF read them with it.

Two generations of credentials carry the elements:

* **v1** (the versioned context :data:`CONTEXT_URL`, shipped as
  ``contexts/cocreate-eu-microcredential-v1.json``): Open Badges 3.0's own terms wherever OB
  has one (``issuer`` with its ``address``, ``achievement.creator``, ``name``,
  ``creditsAvailable``, ``inLanguage``, ``alignment`` to the EQF level, ``resultDescription``
  for the grading scheme), and the European Learning Model (ELM) for the rest, directly on the
  achievement: ``learningOutcome``, ``volumeOfLearning`` (ISO 8601 duration), ``mode`` (an
  ELM concept), ``entryRequirement``, ``provenBy`` (an ELM LearningAssessmentSpecification with
  ``dcType``, the type of assessment, and ``idVerification``), ``accreditation`` (an ELM
  Accreditation whose ``dcType`` is the type of quality assurance), ``additionalNote``
  (further information). ELM has no term for integration / stackability, so that one is ours
  (``integrationStackability`` in :data:`VOCAB`). None of these IRIs depends on the address
  of the site that issued the credential.
* **legacy** (credentials signed before v1, stored and never changed): an ``euMicroCredential``
  object on the achievement, its terms defined by an inline ``@context`` object at the issuing
  site's ``/credentials/vocab#…``. :data:`ELEMENT_LABELS` still names those keys, and
  :func:`elements` still reads them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

from credentials.standards.eu_annex import (
    ADDRESS,
    ASSESSMENT,
    AWARDING_BODY,
    BADGE,
    CONCEPT,
    COUNTRY,
    CREDITS,
    DCTERMS,
    DURATION,
    ELEMENTS,
    ELM,
    EQF,
    FURTHER,
    GRADE,
    INTEGRATION,
    ISSUER,
    LANGUAGE,
    LEVEL,
    LINES,
    NAMES,
    ON_ACHIEVEMENT,
    ON_ISSUER,
    OUTCOMES,
    PARTICIPATION,
    PREREQUISITES,
    PROFILE,
    QUALITY,
    READER,
    SUPERVISION,
    VOCAB,
    WORKLOAD,
    Term,
    in_order,
    lines,
)

__all__ = [
    # the labels (of the table) that the verifier names
    "ASSESSMENT",
    "AWARDING_BODY",
    "COUNTRY",
    "CREDITS",
    "FURTHER",
    "GRADE",
    "INTEGRATION",
    "LANGUAGE",
    "LEVEL",
    "OUTCOMES",
    "PARTICIPATION",
    "PREREQUISITES",
    "QUALITY",
    "SUPERVISION",
    "WORKLOAD",
    # the v1 context, and reading and writing the elements
    "CONCEPT_LABELS",
    "CONTEXT_FILE",
    "CONTEXT_URL",
    "DCTERMS",
    "ELEMENT_LABELS",
    "ELM",
    "EQF_CONCEPT",
    "LEGACY_CONTAINER",
    "LEGACY_KEYS",
    "LEGACY_TERMS",
    "MODE_CONCEPTS",
    "NODE_TYPES",
    "ORDER",
    "TERMS",
    "VOCAB",
    "Element",
    "achievement_terms",
    "context_document",
    "duration_hours",
    "elements",
    "encode",
    "hours_duration",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
CONTEXT_URL = "https://w3id.org/cocreate-academy/contexts/eu-microcredential/v1"
CONTEXT_FILE = "cocreate-eu-microcredential-v1.json"

EQF_CONCEPT = "http://data.europa.eu/snb/eqf/{level}"
# Europass Standard List of Modes of Learning and Assessment (ELM controlled vocabulary).
MODE_CONCEPTS: dict[str, str] = {
    "online": "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
    "onsite": "http://data.europa.eu/snb/learning-assessment/9191af2ed9",
    "blended": "http://data.europa.eu/snb/learning-assessment/e92d221e4d",
}
CONCEPT_LABELS: dict[str, str] = {
    MODE_CONCEPTS["online"]: "Online",
    MODE_CONCEPTS["onsite"]: "On-site",
    MODE_CONCEPTS["blended"]: "Blended",
    "http://data.europa.eu/snb/learning-assessment/729f3bed4b": "Work-based",
    "http://data.europa.eu/snb/learning-assessment/7813801c77": "Project-based",
    "http://data.europa.eu/snb/learning-assessment/ed4c557045": "Research-lab based",
}

# Every term the v1 context defines, and its IRI (the context file must say exactly this).
TERMS: dict[str, dict[str, str]] = {
    "learningOutcome": {"@id": ELM + "learningOutcome"},
    "volumeOfLearning": {"@id": ELM + "volumeOfLearning", "@type": XSD + "duration"},
    "mode": {"@id": ELM + "mode", "@type": "@id"},
    "entryRequirement": {"@id": ELM + "entryRequirement"},
    "provenBy": {"@id": ELM + "provenBy"},
    "LearningAssessmentSpecification": {"@id": ELM + "LearningAssessmentSpecification"},
    "dcType": {"@id": DCTERMS + "type"},
    "idVerification": {"@id": ELM + "idVerification"},
    "accreditation": {"@id": ELM + "accreditation"},
    "Accreditation": {"@id": ELM + "Accreditation"},
    "additionalNote": {"@id": ELM + "additionalNote"},
    "integrationStackability": {"@id": VOCAB + "integrationStackability"},
}
# The nodes of the v1 context that hold elements (``provenBy.dcType`` …), and their type.
NODE_TYPES: dict[str, str] = {
    "provenBy": "LearningAssessmentSpecification",
    "accreditation": "Accreditation",
}


# What the reader reads: the terms on the achievement and the issuer, in its order.
_READ = tuple(t for e in in_order(READER) for t in e.terms if t.on in (ON_ACHIEVEMENT, ON_ISSUER))
ORDER: tuple[str, ...] = tuple(t.label for t in _READ)
# JSON keys (a dotted path where the key sits in a nested node of the achievement) → label:
# the v1 terms, then the legacy keys inside achievement.euMicroCredential.
ELEMENT_LABELS: dict[str, str] = {
    **{t.key: t.label for t in _READ},
    **{t.legacy: t.legacy_label or t.label for t in _READ if t.legacy},
}
LEGACY_CONTAINER = "euMicroCredential"
_LEGACY = {t.legacy: t for t in _READ if t.legacy}
LEGACY_KEYS = frozenset(_LEGACY)
# The legacy keys as that era's inline context listed them: the badge class's, then the issuer's.
LEGACY_TERMS: tuple[str, ...] = tuple(
    t.legacy
    for source in (BADGE, ISSUER)
    for e in in_order(READER)
    if e.source == source
    for t in e.terms
    if t.legacy
)


@cache
def achievement_terms() -> tuple[tuple[str, tuple[Term, ...]], ...]:
    """The terms of our v1 context that a credential's achievement carries, grouped by key
    (``provenBy`` holds two elements), in the order our credentials have always had them:
    for each part of Annex I, its plain values, then its nodes, each in table order."""
    ours = [
        (n, e, t)
        for n, e in enumerate(ELEMENTS)
        for t in e.terms
        if t.on == ON_ACHIEVEMENT and t.root in TERMS
    ]
    ours.sort(key=lambda item: (item[1].part or 3, bool(item[2].leaf), item[0]))
    grouped: dict[str, list[Term]] = {}
    for _n, _e, term in ours:
        grouped.setdefault(term.root, []).append(term)
    return tuple((root, tuple(terms)) for root, terms in grouped.items())


def encode(term: Term, value: Any) -> Any:
    """``value`` (of ``term.field``) as a v1 credential writes it; None, '' or [] for none."""
    if term.kind == LINES:
        return lines(value)
    if term.kind == DURATION:
        return hours_duration(value) if value else None
    if term.kind == CONCEPT:
        return MODE_CONCEPTS.get(value)
    return value


_DURATION = re.compile(
    r"^P(?:(?P<days>\d+(?:\.\d+)?)D)?(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_MAX_TEXT = 4000


class Element(NamedTuple):
    """One element as a person reads it."""

    label: str
    value: str


def context_document() -> dict[str, Any]:
    """The v1 context document, as shipped in ``contexts/`` (tests compare the file to it)."""
    return {"@context": {"@version": 1.1, "@protected": True, **TERMS}}


def hours_duration(hours: int | float) -> str:
    """An ISO 8601 duration of ``hours`` hours (``volumeOfLearning``): 84 → ``PT84H``."""
    number = float(hours)
    return f"PT{int(number) if number.is_integer() else number}H"


def duration_hours(value: object) -> float | None:
    """Hours in an ISO 8601 duration of days, hours, minutes, seconds (None if not one)."""
    match = _DURATION.match(value) if isinstance(value, str) and value != "P" else None
    if match is None or value.endswith("T"):
        return None
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    return (
        parts.get("days", 0) * 24
        + parts.get("hours", 0)
        + parts.get("minutes", 0) / 60
        + parts.get("seconds", 0) / 3600
    )


def _text(value: Any) -> str:
    """A value as display text: strings and numbers as they are, lists joined, else ''."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()[:_MAX_TEXT]
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, list):
        return "; ".join(t for t in (_text(v) for v in value) if t)[:_MAX_TEXT]
    if isinstance(value, Mapping) and isinstance(value.get("@value"), str | int | float):
        return _text(value["@value"])
    return ""


def _number(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _uses_v1(credential: Mapping[str, Any]) -> bool:
    return CONTEXT_URL in _list(credential.get("@context"))


def _hours(value: Any) -> str:
    hours = duration_hours(value)
    if hours is None:
        return _text(value)
    return f"{_number(hours)} hours"


def _eqf(alignments: Any) -> str:
    for item in _list(alignments):
        url = _mapping(item).get("targetUrl")
        prefix = EQF_CONCEPT.format(level="")
        if isinstance(url, str) and url.startswith(prefix) and url[len(prefix) :].isdigit():
            return f"EQF level {url[len(prefix) :]}"
    return ""


def _concepts(value: Any) -> str:
    labels = []
    for item in _list(value):
        iri = item if isinstance(item, str) else _mapping(item).get("id")
        if isinstance(iri, str):
            labels.append(CONCEPT_LABELS.get(iri, iri))
    return "; ".join(labels)


def _from_nodes(value: Any, key: str) -> str:
    return "; ".join(t for t in (_text(_mapping(n).get(key)) for n in _list(value)) if t)


def _address(value: Any) -> str:
    address = _mapping(value)
    country = _text(address.get("addressCountry"))
    code = _text(address.get("addressCountryCode"))
    return f"{country} ({code})" if country and code else country or code


def _read(term: Term, achievement: Mapping[str, Any], issuer: Mapping[str, Any]) -> str:
    """The text of ``term`` in a v1 credential (its achievement and issuer)."""
    value = (issuer if term.on == ON_ISSUER else achievement).get(term.root)
    if term.leaf:
        return _from_nodes(value, term.leaf)
    if term.kind == NAMES:
        return _from_nodes(value, "name")
    if term.kind == PROFILE:
        return _text(_mapping(value).get("name")) or _text(issuer.get("name"))
    if term.kind == ADDRESS:
        return _address(value)
    if term.kind == DURATION:
        return _hours(value)
    if term.kind == EQF:
        return _eqf(value)
    if term.kind == CONCEPT:
        return _concepts(value)
    return _text(value)


def _v1(achievement: Mapping[str, Any], credential: Mapping[str, Any]) -> dict[str, str]:
    issuer = _mapping(credential.get("issuer"))
    ours = _uses_v1(credential) or LEGACY_CONTAINER in achievement
    return {
        (term.label if ours else term.foreign_label or term.label): _read(term, achievement, issuer)
        for term in _READ
    }


def _read_legacy(term: Term, value: Any) -> str:
    """The text of ``term``'s legacy key, whose value is the field's as it was."""
    text = _text(value)
    if not text:
        return ""
    if term.kind == DURATION:
        return f"{text} hours"
    if term.kind == EQF:
        return f"EQF level {text}"
    if term.kind == CONCEPT:
        return CONCEPT_LABELS.get(MODE_CONCEPTS.get(text, ""), text)
    return text


def _legacy(legacy: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in legacy.items():
        term = _LEGACY.get(key) if isinstance(key, str) else None
        text = _read_legacy(term, value) if term else ""
        if text:
            found[term.label] = text
    return found


def elements(credential: Mapping[str, Any]) -> list[Element]:
    """Every EU micro-credential element an OB 3.0 credential carries, in Annex I order.

    Reads v1 credentials (OB terms + ELM terms) and legacy ones (``euMicroCredential``), ours
    or anyone's that use the same keys; never raises on odd input. Learner identification,
    title and date of issue are the credential's subject, name and ``validFrom``, shown by the
    caller with the rest of the credential.
    """
    if not isinstance(credential, Mapping):
        return []
    subject = _mapping(credential.get("credentialSubject"))
    achievement = _mapping(subject.get("achievement"))
    found = {label: text for label, text in _v1(achievement, credential).items() if text}
    legacy = achievement.get(LEGACY_CONTAINER)
    if isinstance(legacy, Mapping):
        for label, text in _legacy(legacy).items():
            found.setdefault(label, text)
    order = {label: n for n, label in enumerate(ORDER)}
    return [
        Element(label, found[label])
        for label in sorted(found, key=lambda label: order.get(label, len(order)))
    ]
