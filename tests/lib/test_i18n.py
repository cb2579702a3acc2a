"""lib.i18n: the language a person reads, and an address in another language."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from lib.i18n import in_language_of, language_of, supported, with_prefix, without_prefix


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr", "fr"), ("fr-BE", "fr"), ("pt_BR", "pt"), ("FI", "fi"), ("ja", None), ("", None)],
)
def test_supported_maps_a_variant_to_the_language_we_offer(code, expected):
    assert supported(code) == expected


def test_language_of_prefers_the_person_then_the_fallback_then_the_default():
    assert language_of(SimpleNamespace(language="pl")) == "pl"
    assert language_of(SimpleNamespace(language=""), fallback="nl") == "nl"
    assert language_of(SimpleNamespace(language="xx"), fallback="zz") == "en"
    assert language_of(None) == "en"


def test_in_language_of_renders_in_the_persons_language_and_restores():
    with translation.override("de"), in_language_of(SimpleNamespace(language="fi")):
        assert translation.get_language() == "fi"
    assert translation.get_language() != "fi"


@pytest.mark.parametrize(
    ("url", "language", "expected"),
    [
        ("/verify/", "fr", "/fr/verify/"),
        ("/fr/verify/?a=1", "en", "/verify/?a=1"),
        ("/fr/verify/", "de", "/de/verify/"),
        ("/fr", "en", "/"),
        ("/frog/", "de", "/de/frog/"),
    ],
)
def test_with_prefix_gives_the_same_path_in_another_language(url, language, expected):
    assert with_prefix(url, language) == expected


def test_without_prefix_leaves_an_unprefixed_address_alone():
    assert without_prefix("/learning/?next=/fr/") == "/learning/?next=/fr/"
