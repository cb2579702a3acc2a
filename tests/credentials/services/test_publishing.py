import pytest

from credentials.models import BadgeClass
from credentials.services import publishing
from credentials.standards import eu_annex
from tests.credentials.factories import make_badge
from tests.credentials.formats_support import EU_FIELDS

pytestmark = pytest.mark.django_db


def draft(issuer, **extra):
    return make_badge(issuer, status=BadgeClass.Status.DRAFT, **extra)


def test_a_complete_micro_credential_publishes(uni, staff):
    badge = draft(uni, **EU_FIELDS)
    published = publishing.publish(badge, staff)
    assert published.status == BadgeClass.Status.PUBLISHED
    assert published.published_by == staff and published.published_at is not None


def test_a_micro_credential_missing_elements_says_which_and_stays_draft(uni, staff):
    fields = {**EU_FIELDS, "assessment_type": "", "workload_hours": None, "ects_credits": None}
    badge = draft(uni, **fields)
    with pytest.raises(publishing.PublishError) as error:
        publishing.publish(badge, staff)
    assert error.value.missing == ["notional workload", "type of assessment"]
    assert "notional workload and type of assessment" in str(error.value)
    badge.refresh_from_db()
    assert badge.status == BadgeClass.Status.DRAFT


def test_missing_elements_lists_every_mandatory_element_of_an_empty_micro_credential(uni):
    badge = draft(uni, is_micro_credential=True)
    assert publishing.missing_elements(badge) == [
        "learning outcomes",
        "notional workload",
        "type of assessment",
        "form of participation",
        "type of quality assurance",
    ]


def test_the_eqf_level_is_optional_because_it_applies_only_if_applicable(uni):
    badge = draft(uni, **{**EU_FIELDS, "eqf_level": None})
    assert publishing.missing_elements(badge) == []


def test_an_ordinary_badge_publishes_without_eu_elements(uni, staff):
    assert publishing.publish(draft(uni), staff).status == BadgeClass.Status.PUBLISHED


def test_a_badge_without_criteria_does_not_publish(uni, staff):
    with pytest.raises(publishing.PublishError) as error:
        publishing.publish(draft(uni, criteria_narrative=""), staff)
    assert error.value.missing == ["criteria"]


def test_staff_of_another_issuer_may_not_publish(uni, other_staff):
    badge = draft(uni, **EU_FIELDS)
    with pytest.raises(PermissionError):
        publishing.publish(badge, other_staff)
    badge.refresh_from_db()
    assert badge.status == BadgeClass.Status.DRAFT


def test_a_learner_may_not_publish(uni, learner):
    with pytest.raises(PermissionError):
        publishing.publish(draft(uni, **EU_FIELDS), learner)


def test_publishing_twice_changes_nothing(uni, staff):
    badge = publishing.publish(draft(uni, **EU_FIELDS), staff)
    again = publishing.publish(badge, staff)
    assert again.published_at == badge.published_at


def test_publishing_requires_exactly_the_mandatory_elements_of_the_eu_table():
    required = [e for e in eu_annex.MANDATORY if e.source != eu_annex.AWARD]
    assert list(publishing.required_elements()) == required
    names = [e.label_in(eu_annex.TEXT) for e in required]
    assert publishing.missing_elements(BadgeClass()) == names  # no issuer: all of them


def _empty(model, name):
    return None if model._meta.get_field(name).null else ""


@pytest.mark.parametrize("element", publishing.required_elements(), ids=lambda e: e.key)
def test_each_mandatory_element_of_the_eu_table_alone_stops_publishing(uni, element):
    badge = BadgeClass(issuer=uni, **{k: v for k, v in EU_FIELDS.items() if k != "name"})
    badge.name = "Complete"
    assert publishing.missing_elements(badge) == []
    source = {eu_annex.BADGE: badge, eu_annex.ISSUER: uni}[element.source]
    for name in element.fields:
        setattr(source, name, _empty(type(source), name))
    assert publishing.missing_elements(badge) == [element.label_in(eu_annex.TEXT)]
