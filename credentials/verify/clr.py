"""CLR 2.0: a ``ClrCredential`` (a learner's record) and every credential embedded in it.

The record's own proof is checked as an Open Badges 3.0 credential's is (:func:`.ob3.check_signed`:
the issuer's published keys, who vouches for the issuer, its status if it has one, dates,
recipient). Then each embedded credential is verified on its own, by the same engine, as if it
had been given alone (at most :data:`credentials.standards.clr.MAX_EMBEDDED` of them; the input
itself is bounded by :data:`.sniff.MAX_INPUT_BYTES`), and the result lists each one's verdict.

The record's verdict is its own: a record is valid only when its own proof is. An embedded
credential that does not verify (tampered, revoked by its issuer, expired…) does not make the
record's signature false, but the ``embedded`` check fails and says which ones, and the
headline says so plainly.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from credentials.standards import clr
from credentials.verify import ob3
from credentials.verify.context import Verification
from credentials.verify.reading import id_of, text
from credentials.verify.results import Stop, Summary, _
from credentials.verify.summary import summary_ob3

__all__ = ["check", "is_clr"]

log = logging.getLogger(__name__)

is_clr = clr.is_clr


def check(v: Verification, document: dict[str, Any], proof_format: str, token=None) -> None:
    """Check the record ``document`` and each credential it embeds (raises :class:`Stop`)."""
    v.result.version = "3.0"
    v.result.proof_format = proof_format
    v.result.summary = _summary(document)
    problems = clr.problems(document)
    if problems:
        fields = {"fields": ", ".join(problems[:10])}
        v.check("schema", False, _("Missing or wrong: %(fields)s.") % fields)
        raise Stop(
            "not_a_badge",
            "not_a_credential",
            _("The learner record lacks or misstates %(fields)s.") % fields,
        )
    v.check(
        "schema", True, _("A CLR 2.0 ClrCredential (a learner record) with every required part.")
    )
    issuer_id = id_of(document.get("issuer"))
    assert issuer_id is not None  # noqa: S101 - checked by clr.problems
    ob3.check_signed(v, document, issuer_id, token)
    _embedded(v, document)


def _summary(document: Mapping[str, Any]) -> Summary:
    summary = summary_ob3(document)
    summary.badge = {
        "id": "",
        "name": text(document.get("name")),
        "description": text(document.get("description")),
        "image": "",
        "criteria": "",
        "criteria_url": "",
        "type": "ClrCredential",
    }
    summary.credential_id = text(document.get("id"))
    return summary


def _one(v: Verification, item: Any) -> dict[str, Any]:
    """Verify one embedded credential alone, with what the record's verification was handed."""
    sub = Verification(
        email=v.email,
        now=v.now,
        fetcher=v.documents.fetcher,
        records=v.records,
        cache=v.cache,
        settings=v.settings,
    )
    try:
        if not isinstance(item, dict) or clr.is_clr(item) or not ob3.is_ob3(item):
            raise Stop(
                "not_a_badge",
                "not_a_credential",
                _("An embedded item is not an Open Badges 3.0 credential."),
            )
        sub.result.version = "3.0"
        sub.result.source = "json"
        ob3.check(sub, item, "data-integrity")
    except Stop as stop:
        sub.flag(stop.verdict, stop.problem, stop.message)
    except Exception:  # noqa: BLE001 - one odd credential never hides the others' verdicts
        log.exception("an embedded credential could not be verified")
        sub.flag("not_a_badge", "not_a_credential")
    result = sub.finish()
    summary = result.summary
    return {
        "id": text(item.get("id")) if isinstance(item, Mapping) else "",
        "name": (summary.badge.get("name") if summary else "") or "",
        "issuer": (summary.issuer.get("name") if summary else "") or "",
        "status": result.verdict,
        "headline": result.headline,
        "problem": result.problem,
        "valid": result.verdict == "valid",
        "checks": [
            {"name": c.name, "label": c.label, "passed": c.passed, "detail": c.detail}
            for c in result.checks
        ],
    }


def _embedded(v: Verification, document: Mapping[str, Any]) -> None:
    items = [_one(v, item) for item in clr.embedded(document)]
    for number, item in enumerate(items, start=1):
        item["number"] = number
    failing = [i for i in items if not i["valid"]]
    v.result.record = {
        "achievements": len(clr.achievement_ids(document)),
        "associations": len(clr.associations(document)),
        "credentials": items,
        "failing": len(failing),
    }
    if not failing:
        v.check(
            "embedded",
            True,
            _("All %(count)s credentials in the record verify on their own.")
            % {"count": len(items)},
        )
        return
    named = "; ".join(
        _("#%(number)s “%(name)s”: %(headline)s")
        % {"number": i["number"], "name": i["name"] or i["id"], "headline": i["headline"]}
        for i in failing[:20]
    )
    v.check(
        "embedded",
        False,
        _("%(failing)s of %(count)s credentials in the record do not verify: %(named)s")
        % {"failing": len(failing), "count": len(items), "named": named},
    )
