"""The EU micro-credential elements a credential carries, as the verifier reads them.

The one place the verifier reads EU elements: our OB 3.0 credentials through
:func:`credentials.standards.eu_terms.elements`, anyone else's (OB 2.0 badge classes, other
issuers' OB 3.0 extensions) by the keys in :data:`_EU_LABELS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credentials.standards import eu_terms
from credentials.verify.reading import text
from credentials.verify.results import _

__all__ = ["credential_elements", "eu_elements", "qualify_awarding_body"]

# Keys under which EU micro-credential elements may travel in others' documents (OB 2.0
# badge classes, OB 3.0 extensions of other issuers): ours (credentials.standards.eu_terms) and a
# few common spellings. Our OB 3.0 credentials are read by eu_terms.elements itself.
_EU_LABELS = {
    **{
        key: label
        for key, label in eu_terms.ELEMENT_LABELS.items()
        if "." not in key and key not in ("alignment", "address", "creator", "mode")
    },
    "learningOutcomes": eu_terms.OUTCOMES,
    "workload": eu_terms.WORKLOAD,
    "notionalWorkload": eu_terms.WORKLOAD,
    "typeOfAssessment": eu_terms.ASSESSMENT,
    "formOfParticipation": eu_terms.PARTICIPATION,
    "supervisionAndIdentity": eu_terms.SUPERVISION,
    "stackability": eu_terms.INTEGRATION,
    "country": eu_terms.COUNTRY,
}


def eu_elements(*sources: Any) -> list[dict[str, str]]:
    found: dict[str, str] = {}

    def visit(node: Any, depth: int) -> None:
        if depth > 3 or not isinstance(node, Mapping):
            return
        for key, value in node.items():
            short = str(key).rsplit(":", 1)[-1].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if short in _EU_LABELS and _EU_LABELS[short] not in found:
                if isinstance(value, list):
                    read = "; ".join(text(v) for v in value if text(v))
                elif isinstance(value, Mapping):
                    read = ", ".join(f"{text(v)}" for v in value.values() if text(v))
                else:
                    read = text(value)
                if read:
                    found[_EU_LABELS[short]] = read
            elif isinstance(value, Mapping) and (
                "micro" in str(key).lower()
                or "eu" in str(key).lower()
                or "extension" in str(key).lower()
            ):
                visit(value, depth + 1)

    for source in sources:
        visit(source, 0)
    return [{"label": label, "value": value} for label, value in found.items()]


def credential_elements(
    credential: Mapping[str, Any], achievement: Mapping[str, Any]
) -> list[dict[str, str]]:
    """An OB 3.0 credential's elements: as we write them, else as others may."""
    return [
        {"label": element.label, "value": element.value}
        for element in eu_terms.elements(credential)
    ] or eu_elements(achievement, credential)


def qualify_awarding_body(elements: list[dict[str, str]], where: str) -> None:
    """The awarding body is the issuer's own claim unless this platform knows the issuer."""
    for element in elements:
        if element["label"] == eu_terms.AWARDING_BODY:
            element["value"] = _("“%(name)s”, as the issuer calls itself (%(where)s)") % {
                "name": element["value"],
                "where": where,
            }
