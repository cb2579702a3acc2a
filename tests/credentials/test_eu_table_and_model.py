"""The table of EU micro-credential elements (credentials.standards.eu_annex) against the
models, and every consumer of it against the table: a badge class with every field of the
table filled in shows every element in the signed credential, the reader, the PDF, the award
page, the form and its checklist. Filled generically, so an element added to the table (and
its model field) needs nothing here."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credentials import services
from credentials.issuing import openbadges3, pdf
from credentials.issuing.signing import sign_award
from credentials.models import Award, BadgeClass, Issuer
from credentials.standards import eu_annex, eu_terms
from credentials.templatetags.credentials_ui import eu_page_rows
from credentials.web.forms import BadgeClassForm, eu_checklist
from tests.credentials.factories import make_badge

pytestmark = pytest.mark.django_db

MODELS = {eu_annex.BADGE: BadgeClass, eu_annex.ISSUER: Issuer, eu_annex.AWARD: Award}
BADGE_FIELDS = [name for e in eu_annex.ELEMENTS if e.source == eu_annex.BADGE for name in e.fields]


def sample(name: str):
    """A value for BadgeClass field ``name``, whatever its type."""
    field = BadgeClass._meta.get_field(name)
    if field.choices:
        return field.choices[-1][0]
    return {
        "PositiveIntegerField": 40,
        "PositiveSmallIntegerField": 4,
        "DecimalField": Decimal("2.5"),
    }.get(field.get_internal_type(), f"{field.verbose_name} of the badge")


@pytest.fixture
def full_badge(uni):
    """A micro-credential with every field of the table filled in."""
    fields = {name: sample(name) for name in BADGE_FIELDS if name != "name"}
    return make_badge(uni, "everything", is_micro_credential=True, **fields)


@pytest.fixture
def full_award(full_badge, learner):
    return sign_award(services.award(full_badge, learner))


def test_every_field_of_the_table_is_a_field_of_its_model():
    for element in eu_annex.ELEMENTS:
        names = {f.name for f in MODELS[element.source]._meta.get_fields()}
        assert set(element.fields) <= names, element.key


def test_every_eu_field_of_the_badge_class_is_in_the_table():
    names = [f.name for f in BadgeClass._meta.concrete_fields]
    eu_block = names[names.index("is_micro_credential") + 1 : names.index("created_at")]
    assert set(eu_block) <= set(BADGE_FIELDS)


def test_the_credential_carries_every_term_of_the_table(full_award):
    credential = full_award.ob3_credential
    subject = credential["credentialSubject"]
    nodes = {
        eu_annex.ON_CREDENTIAL: credential,
        eu_annex.ON_SUBJECT: subject,
        eu_annex.ON_ISSUER: credential["issuer"],
        eu_annex.ON_ACHIEVEMENT: subject["achievement"],
    }
    for element in eu_annex.ELEMENTS:
        for term in element.terms:
            value = nodes[term.on].get(term.root)
            assert value, (element.key, term.key)
            assert not term.leaf or value.get(term.leaf), (element.key, term.key)
    roots = [key for key, _terms in eu_terms.achievement_terms()]
    assert list(openbadges3.eu_elements(full_award.badge_class)) == roots


def test_the_reader_reads_every_element_back_in_its_order(full_award):
    labels = [e.label for e in eu_terms.elements(full_award.ob3_credential)]
    assert labels == list(eu_terms.ORDER)


def test_the_legacy_context_names_the_legacy_keys_of_the_table():
    assert openbadges3.LEGACY_EU_TERMS == eu_terms.LEGACY_TERMS
    assert set(openbadges3.legacy_eu_context()) >= eu_terms.LEGACY_KEYS


def test_the_certificate_has_a_row_for_every_element_of_the_table(full_award):
    rows = pdf.eu_rows(full_award)
    order = eu_annex.in_order(eu_annex.CERTIFICATE)
    assert [label for label, _value in rows] == [e.label_in(eu_annex.CERTIFICATE) for e in order]
    assert all(value not in ("", "—", "Not applicable") for _label, value in rows)


def test_the_award_page_has_a_row_for_every_element_of_the_table(client, full_award, learner):
    rows = eu_page_rows(full_award)
    order = eu_annex.in_order(eu_annex.PAGE)
    assert [row["label"] for row in rows] == [e.label_in(eu_annex.PAGE) for e in order]
    assert all(row["value"] or row["bullets"] for row in rows)
    assert [row["optional"] for row in rows] == [e.part == 2 for e in order]
    client.force_login(learner)
    page = client.get(f"/credentials/{full_award.public_id}/", HTTP_ACCEPT="text/html").text
    for row in rows:
        assert f"<dt>{row['label']}" in page.replace("&#x27;", "'")


def test_the_award_page_leaves_out_optional_elements_without_a_value(client, uni, learner):
    award = services.award(make_badge(uni, "bare", is_micro_credential=True), learner)
    rows = eu_page_rows(award)
    shown = [e.label_in(eu_annex.PAGE) for e in eu_annex.in_order(eu_annex.PAGE) if e.part != 2]
    assert [row["label"] for row in rows] == shown


def test_the_form_has_every_field_of_the_table(uni):
    form = BadgeClassForm(issuer=uni)
    assert set(BADGE_FIELDS) <= set(form.fields)
    sections = form.field_groups
    eu = [*sections["eu"], *sections["eu_optional"]]
    assert eu[0] == "is_micro_credential"
    annex = [
        n for e in eu_annex.ELEMENTS if e.part and e.source == eu_annex.BADGE for n in e.fields
    ]
    assert [n for n in annex if n not in sections["badge"]] == eu[1:]
    for element in eu_annex.ELEMENTS:
        if element.hint:
            assert form.fields[element.fields[0]].help_text == element.hint


def test_the_checklist_ticks_every_mandatory_element_of_a_full_badge(full_badge):
    items = eu_checklist(full_badge)
    assert all(item["present"] for item in items)
    assert sorted(item["label"] for item in items) == sorted(
        e.label_in(eu_annex.TEXT) for e in eu_annex.MANDATORY
    )
