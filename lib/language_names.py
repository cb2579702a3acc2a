"""A language's name as a sentence in the active language writes it.

Django names languages for menus: "Anglais", "Inglés". Inside a sentence French, Spanish,
Italian and Portuguese write them in lower case ("l'édition en anglais"); German and Dutch
capitalise them as nouns, as Django already does ("auf Englisch", "in het Engels").
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import get_language_info

# Languages that write language names in lower case within a sentence.
LOWER_CASE_NAMES = frozenset({"es", "fr", "it", "pt", "pl", "fi"})


def in_sentence(code: str) -> str:
    """The name of the language ``code`` in the active language, as a sentence writes it."""
    try:
        name = get_language_info(code)["name_translated"]
    except KeyError:
        return code
    active = (translation.get_language() or "").split("-", 1)[0]
    return name.lower() if active in LOWER_CASE_NAMES else name
