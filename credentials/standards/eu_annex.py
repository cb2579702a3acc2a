"""The one table of the EU micro-credential elements (Annex I), and how to read it.

Council Recommendation of 16 June 2022 on a European approach to micro-credentials
(2022/C 243/02), Annex I. Pure Python (no Django). :data:`ELEMENTS` lists the elements in
Annex I order (part 1, mandatory; then part 2, optional; the language, which Annex I does not
list, where our pages have always shown it). For each: where its value comes from (fields of
the badge class, its issuer or the award), the terms that carry it in a credential with their
IRIs and legacy key (:class:`Term`), its label as people read it, and whether it is mandatory.

Everything reads this table: the badge form (its EU sections, hints and checklist), the
publish rule (:mod:`credentials.services.publishing`), the OB 3.0 builder and the reader
(:mod:`credentials.standards.eu_terms`, and through it the verifier), the PDF certificate and
the award page. An element added here reaches all of them; the tests in
``tests/credentials/standards/test_eu_terms_table.py`` and
``tests/credentials/test_eu_table_and_model.py`` say what else it needs (a model field, a
term in the v1 context, or, for an Open Badges term, a line in the OB 3.0 builder).

Where one medium has always labelled or ordered an element its own way, the element says so
(``labels``, ``shown_before``), so that those differences are in one place too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

ELM = "http://data.europa.eu/snb/model/elm/"
DCTERMS = "http://purl.org/dc/terms/"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
SCHEMA = "https://schema.org/"
# Our own namespace, for the one element ELM has no term for. A w3id.org permanent address:
# it redirects to wherever the project documents it, and never changes with a deployment.
VOCAB = "https://w3id.org/cocreate-academy/vocab#"


def gettext_noop(message: str) -> str:
    """Marks ``message`` for translation (pure Python: a label keeps its English value here,
    the one the table and the readers compare; pages, e-mails and the PDF translate it)."""
    return message


# The labels people read (the verifier names some of them, through eu_terms).
LEARNER = gettext_noop("Learner")
TITLE = gettext_noop("Title")
COUNTRY = gettext_noop("Country of the issuer")
AWARDING_BODY = gettext_noop("Awarding body")
DATE_OF_ISSUE = gettext_noop("Date of issue")
OUTCOMES = gettext_noop("Learning outcomes")
WORKLOAD = gettext_noop("Notional workload")
CREDITS = gettext_noop("ECTS credits")
LEVEL = gettext_noop("Level (EQF)")
ASSESSMENT = gettext_noop("Type of assessment")
PARTICIPATION = gettext_noop("Form of participation")
QUALITY = gettext_noop("Type of quality assurance")
LANGUAGE = gettext_noop("Language")
PREREQUISITES = gettext_noop("Prerequisites")
SUPERVISION = gettext_noop("Supervision and identity verification")
GRADE = gettext_noop("Grade")
INTEGRATION = gettext_noop("Integration / stackability")
FURTHER = gettext_noop("Further information")

# Where an element's value comes from: the badge class, its issuer, or each award.
BADGE, ISSUER, AWARD = "badge", "issuer", "award"
# Where a term sits in a credential.
ON_CREDENTIAL = "credential"
ON_SUBJECT = "subject"  # credentialSubject
ON_ISSUER = "issuer"
ON_ACHIEVEMENT = "achievement"  # credentialSubject.achievement
# How a term's value is written and read.
PLAIN = "plain"  # a string (a list of strings reads joined)
LINES = "lines"  # one string per line of the field (learning outcomes)
DURATION = "duration"  # hours, written as an ISO 8601 duration (legacy: a number of hours)
CONCEPT = "concept"  # a code, written as its ELM concept IRI (legacy: the code)
EQF = "eqf"  # an EQF level, written as an alignment to the EQF concept (legacy: the number)
NAMES = "names"  # nodes with a ``name`` (resultDescription)
PROFILE = "profile"  # a Profile with a ``name`` (creator; the issuer's name when absent)
ADDRESS = "address"  # an Address: its country and country code
# The media that show elements, when one labels or orders an element its own way.
READER = "reader"  # what eu_terms.elements (and so the verifier) shows
CERTIFICATE = "certificate"  # the PDF certificate
PAGE = "page"  # the award's HTML page
TEXT = "text"  # running text: the publish rule's messages, the form's checklist


class Term(NamedTuple):
    """Where a credential carries (part of) an element."""

    key: str  # the JSON key; dotted for a key inside a node (eu_terms.NODE_TYPES)
    iri: str  # the key's IRI (of the leaf, for a dotted key)
    kind: str = PLAIN
    on: str = ON_ACHIEVEMENT  # the node with the key: ON_ACHIEVEMENT, ON_ISSUER, ON_SUBJECT…
    field: str = ""  # the element's field whose value it carries (default: its first)
    label: str = ""  # what the reader calls it (default: the element's label)
    legacy: str = ""  # its key inside a legacy ``euMicroCredential`` object, if any
    legacy_label: str = ""  # that key's label, when it is not ``label``
    foreign_label: str = ""  # its label in credentials that are not ours, when not ``label``

    @property
    def root(self) -> str:
        return self.key.partition(".")[0]

    @property
    def leaf(self) -> str:
        return self.key.partition(".")[2]


@dataclass(frozen=True)
class AnnexElement:
    """One element of Annex I (or, with ``part`` None, one shown with them)."""

    key: str  # our name for it
    label: str  # as people read it
    part: int | None  # Annex I part: 1 mandatory, 2 optional; None: not in Annex I
    source: str  # BADGE, ISSUER or AWARD: the object whose ``fields`` hold its value
    fields: tuple[str, ...]  # those fields; the first with a value is the value
    terms: tuple[Term, ...] = ()
    if_applicable: bool = False  # part 1, but only "if applicable" (the level)
    hint: str = ""  # an example, for whoever fills it in
    labels: Mapping[str, str] = field(default_factory=dict)  # medium → its own label
    shown_before: Mapping[str, str] = field(default_factory=dict)  # medium → element key

    def __post_init__(self) -> None:
        filled = tuple(
            term._replace(field=term.field or self.fields[0], label=term.label or self.label)
            for term in self.terms
        )
        object.__setattr__(self, "terms", filled)

    @property
    def mandatory(self) -> bool:
        """Annex I part 1, and not only "if applicable"."""
        return self.part == 1 and not self.if_applicable

    def label_in(self, medium: str) -> str:
        """Its label in ``medium``; in running text (TEXT), in lower case."""
        if medium in self.labels:
            return self.labels[medium]
        return self.label.lower() if medium == TEXT else self.label

    def value_of(self, source: object, display: bool = False) -> Any:
        """Its value on ``source`` (the badge class, issuer or award; None: no value): the first
        of its fields with a value, else the last one's. With ``display``, a field's display
        form when ``source`` has one (``get_<field>_display``, as model fields with choices)."""
        value: Any = None
        for name in self.fields:
            value = getattr(source, name, None)
            if value:
                shown = getattr(source, f"get_{name}_display", None) if display else None
                return shown() if callable(shown) else value
        return value


# fmt: off
ELEMENTS: tuple[AnnexElement, ...] = (
    # Annex I, part 1: mandatory
    AnnexElement(
        "learner", LEARNER, 1, AWARD, ("recipient_name", "recipient_email"),
        (Term("identifier", OB + "identifier", on=ON_SUBJECT),),
        labels={TEXT: gettext_noop("learner identification")},
    ),
    AnnexElement(
        "title", TITLE, 1, BADGE, ("name",),
        (Term("name", SCHEMA + "name", on=ON_CREDENTIAL),),
    ),
    AnnexElement(
        "country", COUNTRY, 1, ISSUER, ("country",),
        (Term("address", OB + "address", ADDRESS, ON_ISSUER, legacy="awardingBodyCountry"),),
        labels={
            CERTIFICATE: gettext_noop("Country of the awarding body"),
            PAGE: gettext_noop("Country of the awarding body"),
        },
    ),
    AnnexElement(
        "awarding_body", AWARDING_BODY, 1, ISSUER, ("name",),
        (Term("creator", OB + "creator", PROFILE, legacy="awardingBody"),),
        shown_before={READER: "country", PAGE: "country"},
    ),
    AnnexElement(
        "date_of_issue", DATE_OF_ISSUE, 1, AWARD, ("issued_on",),
        (Term("awardedDate", OB + "awardedDate", on=ON_CREDENTIAL),),
    ),
    AnnexElement(
        "learning_outcomes", OUTCOMES, 1, BADGE, ("learning_outcomes",),
        (Term("learningOutcome", ELM + "learningOutcome", LINES, legacy="learningOutcome"),),
    ),
    AnnexElement(
        "workload", WORKLOAD, 1, BADGE, ("workload_hours", "ects_credits"),
        (
            Term(
                "volumeOfLearning", ELM + "volumeOfLearning", DURATION, field="workload_hours",
                legacy="workloadHours", legacy_label="Notional workload (hours)",
            ),
            Term(
                "creditsAvailable", OB + "creditsAvailable", field="ects_credits", label=CREDITS,
                legacy="ectsCredits", foreign_label="Credits",
            ),
        ),
    ),
    AnnexElement(
        "level", LEVEL, 1, BADGE, ("eqf_level",),
        (Term("alignment", OB + "alignment", EQF, legacy="eqfLevel"),),
        if_applicable=True, labels={PAGE: gettext_noop("Level")},
    ),
    AnnexElement(
        "assessment", ASSESSMENT, 1, BADGE, ("assessment_type",),
        (Term("provenBy.dcType", DCTERMS + "type", legacy="assessmentType"),),
        hint="For example: graded project reviewed by two assessors.",
    ),
    AnnexElement(
        "participation", PARTICIPATION, 1, BADGE, ("participation_form",),
        (Term("mode", ELM + "mode", CONCEPT, legacy="participationForm"),),
    ),
    AnnexElement(
        "quality_assurance", QUALITY, 1, BADGE, ("quality_assurance",),
        (Term("accreditation.dcType", DCTERMS + "type", legacy="qualityAssurance"),),
        hint="For example: internal QA of the Faculty; NVAO-accredited.",
    ),
    # Not in Annex I: the language it is taught, assessed and written in, shown with them
    AnnexElement(
        "language", LANGUAGE, None, BADGE, ("language",),
        (Term("inLanguage", SCHEMA + "inLanguage"),),
        shown_before={PAGE: "quality_assurance"},
    ),
    # Annex I, part 2: optional
    AnnexElement(
        "prerequisites", PREREQUISITES, 2, BADGE, ("prerequisites",),
        (Term("entryRequirement", ELM + "entryRequirement", legacy="prerequisites"),),
    ),
    AnnexElement(
        "supervision", SUPERVISION, 2, BADGE, ("supervision_and_identity",),
        (
            Term(
                "provenBy.idVerification", ELM + "idVerification",
                legacy="supervisionAndIdentityVerification",
            ),
        ),
    ),
    AnnexElement(
        "grade", GRADE, 2, BADGE, ("grade_scheme",),
        (Term("resultDescription", OB + "resultDescription", NAMES, legacy="gradeScheme"),),
    ),
    AnnexElement(
        "integration", INTEGRATION, 2, BADGE, ("integration",),
        (Term("integrationStackability", VOCAB + "integrationStackability", legacy="integration"),),
    ),
    AnnexElement(
        "further_information", FURTHER, 2, BADGE, ("further_information",),
        (Term("additionalNote", ELM + "additionalNote", legacy="furtherInformation"),),
    ),
)
# fmt: on
_BY_KEY = {e.key: e for e in ELEMENTS}
MANDATORY: tuple[AnnexElement, ...] = tuple(e for e in ELEMENTS if e.mandatory)


def element(key: str) -> AnnexElement:
    """The element of the table called ``key``."""
    return _BY_KEY[key]


def in_order(medium: str) -> tuple[AnnexElement, ...]:
    """The table in the order ``medium`` shows it: Annex I order, but for an element that
    medium has shown just before another (``shown_before``) since before the table."""
    order = list(ELEMENTS)
    for item in ELEMENTS:
        before = item.shown_before.get(medium)
        if before:
            order.remove(item)
            order.insert(order.index(_BY_KEY[before]), item)
    return tuple(order)


def badge_fields(part: int | None) -> tuple[str, ...]:
    """The badge class fields of the elements of Annex I part ``part``, in table order."""
    return tuple(
        name for e in ELEMENTS if e.source == BADGE and e.part == part for name in e.fields
    )


def lines(text: object) -> list[str]:
    """The non-empty lines of ``text``, stripped."""
    if not isinstance(text, str):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]
