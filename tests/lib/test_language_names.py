"""A language's name inside a sentence: lower case where the reader's language writes it so."""

from django.utils import translation

from lib.language_names import in_sentence


def test_romance_languages_write_language_names_in_lower_case():
    for active, english in (("fr", "anglais"), ("es", "inglés"), ("it", "inglese")):
        with translation.override(active):
            assert in_sentence("en") == english


def test_german_and_dutch_capitalise_them_as_nouns():
    with translation.override("de"):
        assert in_sentence("fr") == "Französisch"
    with translation.override("nl"):
        assert in_sentence("fr") == "Frans"


def test_an_unknown_code_is_shown_as_it_is():
    assert in_sentence("xx-unknown") == "xx-unknown"
