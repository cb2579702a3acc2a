"""The EU micro-credential elements in our Open Badges 3.0 credentials: keys, IRIs, labels.

Council Recommendation of 16 June 2022 on micro-credentials (2022/C 243/02), Annex I. Pure
Python (no Django): the issuer builds credentials with it, the verifier, the credential page
and the PDF read them with it.

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
from typing import Any, NamedTuple

__all__ = [
    "CONCEPT_LABELS",
    "CONTEXT_FILE",
    "CONTEXT_URL",
    "DCTERMS",
    "ELEMENT_LABELS",
    "ELM",
    "EQF_CONCEPT",
    "LEGACY_CONTAINER",
    "LEGACY_KEYS",
    "MODE_CONCEPTS",
    "TERMS",
    "VOCAB",
    "ORDER",
    "Element",
    "context_document",
    "duration_hours",
    "elements",
    "hours_duration",
]

ELM = "http://data.europa.eu/snb/model/elm/"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
# Our own namespace, for the one element ELM has no term for. A w3id.org permanent address:
# it redirects to wherever the project documents it, and never changes with a deployment.
VOCAB = "https://w3id.org/cocreate-academy/vocab#"
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
_LEGACY_PARTICIPATION = {"online": "Online", "onsite": "On-site", "blended": "Blended"}

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

# The element labels, in the order of Annex I (mandatory first, then optional).
AWARDING_BODY = "Awarding body"
COUNTRY = "Country of the issuer"
OUTCOMES = "Learning outcomes"
WORKLOAD = "Notional workload"
CREDITS = "ECTS credits"
LEVEL = "Level (EQF)"
ASSESSMENT = "Type of assessment"
PARTICIPATION = "Form of participation"
QUALITY = "Type of quality assurance"
LANGUAGE = "Language"
PREREQUISITES = "Prerequisites"
SUPERVISION = "Supervision and identity verification"
GRADE = "Grade"
INTEGRATION = "Integration / stackability"
FURTHER = "Further information"
ORDER = (
    AWARDING_BODY, COUNTRY, OUTCOMES, WORKLOAD, CREDITS, LEVEL, ASSESSMENT, PARTICIPATION,
    QUALITY, LANGUAGE, PREREQUISITES, SUPERVISION, GRADE, INTEGRATION, FURTHER,
)  # fmt: skip

LEGACY_CONTAINER = "euMicroCredential"
# JSON keys (a dotted path where the key sits in a nested node of the achievement) → label.
ELEMENT_LABELS: dict[str, str] = {
    # Open Badges 3.0 terms that carry an element
    "creator": AWARDING_BODY,
    "address": COUNTRY,
    "creditsAvailable": CREDITS,
    "alignment": LEVEL,
    "inLanguage": LANGUAGE,
    "resultDescription": GRADE,
    # ELM terms (v1 context) on the achievement
    "learningOutcome": OUTCOMES,
    "volumeOfLearning": WORKLOAD,
    "mode": PARTICIPATION,
    "provenBy.dcType": ASSESSMENT,
    "provenBy.idVerification": SUPERVISION,
    "accreditation.dcType": QUALITY,
    "entryRequirement": PREREQUISITES,
    "additionalNote": FURTHER,
    "integrationStackability": INTEGRATION,
    # legacy keys, inside achievement.euMicroCredential (inline-context era)
    "awardingBody": AWARDING_BODY,
    "awardingBodyCountry": COUNTRY,
    "workloadHours": "Notional workload (hours)",
    "ectsCredits": CREDITS,
    "eqfLevel": LEVEL,
    "assessmentType": ASSESSMENT,
    "participationForm": PARTICIPATION,
    "qualityAssurance": QUALITY,
    "prerequisites": PREREQUISITES,
    "supervisionAndIdentityVerification": SUPERVISION,
    "gradeScheme": GRADE,
    "integration": INTEGRATION,
    "furtherInformation": FURTHER,
}
LEGACY_KEYS = frozenset(
    {
        "awardingBody", "awardingBodyCountry", "learningOutcome", "workloadHours",
        "ectsCredits", "eqfLevel", "assessmentType", "participationForm", "qualityAssurance",
        "prerequisites", "supervisionAndIdentityVerification", "gradeScheme", "integration",
        "furtherInformation",
    }
)  # fmt: skip

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


def _v1(achievement: Mapping[str, Any], credential: Mapping[str, Any]) -> dict[str, str]:
    issuer = _mapping(credential.get("issuer"))
    creator = _mapping(achievement.get("creator"))
    address = _mapping(issuer.get("address"))
    country = _text(address.get("addressCountry"))
    code = _text(address.get("addressCountryCode"))
    ours = _uses_v1(credential) or LEGACY_CONTAINER in achievement
    credits_label = CREDITS if ours else "Credits"
    return {
        AWARDING_BODY: _text(creator.get("name")) or _text(issuer.get("name")),
        COUNTRY: f"{country} ({code})" if country and code else country or code,
        OUTCOMES: _text(achievement.get("learningOutcome")),
        WORKLOAD: _hours(achievement.get("volumeOfLearning")),
        credits_label: _text(achievement.get("creditsAvailable")),
        LEVEL: _eqf(achievement.get("alignment")),
        ASSESSMENT: _from_nodes(achievement.get("provenBy"), "dcType"),
        PARTICIPATION: _concepts(achievement.get("mode")),
        QUALITY: _from_nodes(achievement.get("accreditation"), "dcType"),
        LANGUAGE: _text(achievement.get("inLanguage")),
        PREREQUISITES: _text(achievement.get("entryRequirement")),
        SUPERVISION: _from_nodes(achievement.get("provenBy"), "idVerification"),
        GRADE: _from_nodes(achievement.get("resultDescription"), "name"),
        INTEGRATION: _text(achievement.get("integrationStackability")),
        FURTHER: _text(achievement.get("additionalNote")),
    }


def _legacy(legacy: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in legacy.items():
        label = ELEMENT_LABELS.get(key) if key in LEGACY_KEYS else None
        if label is None:
            continue
        if key == "workloadHours":
            text = f"{_text(value)} hours" if _text(value) else ""
            label = WORKLOAD
        elif key == "eqfLevel":
            text = f"EQF level {_text(value)}" if _text(value) else ""
        elif key == "participationForm":
            text = _LEGACY_PARTICIPATION.get(_text(value), _text(value))
        else:
            text = _text(value)
        if text:
            found[label] = text
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
