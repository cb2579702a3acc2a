"""A badge class's language editions: who may write one, what it must hold, how it is shown."""

import pytest
from django.utils import translation

from credentials.models import BadgeClass, BadgeEdition
from credentials.models.editions import WORDS
from credentials.services import editions
from tests.credentials.factories import make_badge
from tests.credentials.formats_support import FRENCH_WORDS

pytestmark = pytest.mark.django_db


def test_staff_write_an_edition_that_records_who_and_what_it_translates(badge, staff):
    edition = editions.save_edition(badge, "fr", FRENCH_WORDS, staff)
    assert edition.name == FRENCH_WORDS["name"]
    assert edition.updated_by == staff
    assert edition.is_outdated is False


def test_saving_the_same_edition_twice_keeps_one(badge, staff):
    editions.save_edition(badge, "fr", FRENCH_WORDS, staff)
    editions.save_edition(badge, "fr", {**FRENCH_WORDS, "name": "Chasseur d'opportunités"}, staff)
    assert BadgeEdition.objects.filter(badge_class=badge).count() == 1
    assert BadgeEdition.objects.get(badge_class=badge).name == "Chasseur d'opportunités"


def test_staff_of_another_institution_and_learners_may_not_write_one(badge, other_staff, learner):
    for person in (other_staff, learner):
        with pytest.raises(PermissionError):
            editions.save_edition(badge, "fr", FRENCH_WORDS, person)
        with pytest.raises(PermissionError):
            editions.delete_edition(badge, "fr", person)
    assert not BadgeEdition.objects.exists()


@pytest.mark.parametrize("language", ["en", "xx", "", "fr-BE", "FR", "../fr"])
def test_an_edition_in_the_language_of_issue_or_one_we_do_not_offer_is_refused(
    badge, staff, language
):
    with pytest.raises(editions.EditionError) as refused:
        editions.save_edition(badge, language, FRENCH_WORDS, staff)
    assert "language" in refused.value.errors
    assert not BadgeEdition.objects.exists()


@pytest.mark.parametrize("left_out", ["name", "description", "learning_outcomes", "prerequisites"])
def test_an_edition_leaving_out_a_word_the_original_has_is_refused(badge, staff, left_out):
    words = {**FRENCH_WORDS, left_out: "   "}
    with pytest.raises(editions.EditionError) as refused:
        editions.save_edition(badge, "fr", words, staff)
    assert list(refused.value.errors) == [left_out]
    assert not BadgeEdition.objects.exists()


def test_a_criteria_page_may_stay_the_originals(badge, staff):
    badge.criteria_url = "https://uni.example/criteria"
    badge.save()
    edition = editions.save_edition(badge, "fr", FRENCH_WORDS, staff)
    assert edition.criteria_url == ""
    assert editions.in_language(badge, "fr").criteria_url == "https://uni.example/criteria"


def test_an_edition_needs_a_look_once_the_original_changes_its_words(french_edition, badge):
    assert french_edition.is_outdated is False
    badge.workload_hours = 60  # a number: the same in every language
    badge.save()
    assert BadgeEdition.objects.get(pk=french_edition.pk).is_outdated is False
    badge.description = "Spots and pitches opportunities."
    badge.save()
    assert BadgeEdition.objects.get(pk=french_edition.pk).is_outdated is True


def test_a_reader_of_the_editions_language_gets_its_words_others_the_originals(
    french_edition, badge
):
    shown = editions.in_language(badge, "fr")
    assert (shown.name, shown.shown_language, shown.edition) == (
        FRENCH_WORDS["name"],
        "fr",
        french_edition,
    )
    assert shown.original.name == badge.name
    assert shown.workload_hours == badge.workload_hours
    for language in ("en", "de"):
        other = editions.in_language(badge, language)
        assert (other.name, other.shown_language, other.edition) == (badge.name, "en", None)


def test_the_active_language_chooses_the_edition(french_edition, badge):
    with translation.override("fr"):
        assert editions.in_language(badge).name == FRENCH_WORDS["name"]
    assert editions.in_language(badge).name == badge.name


def test_a_badge_shown_in_another_language_is_never_saved(french_edition, badge):
    shown = editions.in_language(badge, "fr")
    with pytest.raises(RuntimeError):
        shown.save()
    with pytest.raises(RuntimeError):
        shown.delete()
    badge.refresh_from_db()
    assert badge.name != FRENCH_WORDS["name"]


def test_many_badges_are_shown_in_one_query(french_edition, badge, uni, django_assert_num_queries):
    others = [make_badge(uni, f"other-{n}") for n in range(3)]
    with django_assert_num_queries(1):
        shown = editions.in_language_many([badge, *others], "fr")
    assert [b.name for b in shown] == [FRENCH_WORDS["name"], *(o.name for o in others)]


def test_removing_an_edition_twice_is_harmless(french_edition, badge, staff):
    assert editions.delete_edition(badge, "fr", staff) is True
    assert editions.delete_edition(badge, "fr", staff) is False
    assert editions.in_language(badge, "fr").name == badge.name


def test_an_edition_carries_every_word_field_of_the_badge():
    for name in WORDS:
        ours, theirs = (m._meta.get_field(name) for m in (BadgeEdition, BadgeClass))
        assert type(ours) is type(theirs)
        assert getattr(ours, "max_length", None) == getattr(theirs, "max_length", None)
