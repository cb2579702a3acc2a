"""CLR 2.0: a ``ClrCredential`` (a learner's record) and every credential embedded in it.

The record's own proof is checked as an Open Badges 3.0 credential's is (:func:`.ob3.check_signed`:
the issuer's published keys, who vouches for the issuer, its status if it has one, dates,
recipient). Then each embedded credential is verified on its own, by the same engine, as if it
had been given alone (at most :data:`credentials.standards.clr.MAX_EMBEDDED` of them; the input
itself is bounded by :data:`.sniff.MAX_INPUT_BYTES`), and the result lists each one's verdict.

Each embedded credential must be about the record's learner (the same ``id``, else a shared
identifier object): one about someone else fails ("not about this record's learner"). A record
is valid only when its own proof is and every embedded credential verifies: otherwise its
verdict is the worst of theirs (by :data:`.results.PRECEDENCE`), naming the credential.

One record costs at most :data:`RECORD_SECONDS` and :data:`RECORD_FETCHES`, its embedded
credentials included (they share its documents and its :class:`.documents.Budget`); those
beyond are left unchecked, and the record is then not valid.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from credentials.standards import clr
from credentials.verify import ob3
from credentials.verify.context import Verification
from credentials.verify.documents import Budget
from credentials.verify.reading import id_of, text
from credentials.verify.results import PRECEDENCE, Stop, Summary, _, problem_message
from credentials.verify.summary import summary_ob3

__all__ = ["RECORD_FETCHES", "RECORD_SECONDS", "about_learner", "check", "is_clr"]

log = logging.getLogger(__name__)

is_clr = clr.is_clr

# What checking one record may cost at most, its embedded credentials included: seconds (on
# the verifier's monotonic clock) and fetches. Beyond, a credential is left unchecked.
RECORD_SECONDS = 20
RECORD_FETCHES = 60


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
    if v.documents.budget is None:
        v.documents.budget = Budget(v.monotonic, RECORD_SECONDS, RECORD_FETCHES)
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


def _identities(subject: Any) -> tuple[str | None, set[tuple[str, str, str, bool]]]:
    """Who ``subject`` names: its ``id``, and its identifier objects (type, hash, salt)."""
    if not isinstance(subject, Mapping):
        return None, set()
    found = subject.get("id")
    identifiers = subject.get("identifier")
    if not isinstance(identifiers, list):
        identifiers = [identifiers]
    named = {
        (
            str(i.get("identityType") or ""),
            i["identityHash"],
            str(i.get("salt") or ""),
            bool(i.get("hashed")),
        )
        for i in identifiers
        if isinstance(i, Mapping) and isinstance(i.get("identityHash"), str) and i["identityHash"]
    }
    return (found if isinstance(found, str) and found else None), named


def about_learner(learner: Any, subject: Any) -> bool:
    """Whether the credential ``subject`` is about the record's ``learner`` (its ClrSubject):
    the same ``id`` when both have one, else a shared identifier object."""
    learner_id, learner_named = _identities(learner)
    subject_id, subject_named = _identities(subject)
    if learner_id and subject_id:
        return learner_id == subject_id
    return bool(learner_named & subject_named)


def _unchecked(item: Any) -> dict[str, Any]:
    return {
        "id": text(item.get("id")) if isinstance(item, Mapping) else "",
        "name": "",
        "issuer": "",
        "status": "unknown_issuer",
        "headline": problem_message("record_too_large"),
        "problem": "record_too_large",
        "valid": False,
        "checks": [],
    }


def _one(v: Verification, item: Any, learner: Any) -> dict[str, Any]:
    """Verify one embedded credential alone, with what the record's verification was handed
    (sharing its documents and what it may still spend), and tie it to the record's learner."""
    budget = v.documents.budget
    if budget is not None and budget.spent():
        return _unchecked(item)
    sub = Verification(
        email=v.email,
        now=v.now,
        fetcher=v.documents.fetcher,
        records=v.records,
        cache=v.cache,
        settings=v.settings,
        monotonic=v.monotonic,
        documents=v.documents,
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
        about = about_learner(learner, item.get("credentialSubject"))
        if not about:
            sub.flag("not_recipient", "not_record_subject")
        ob3.check(sub, item, "data-integrity")
        if not about:
            sub.check("recipient", False, problem_message("not_record_subject"))
    except Stop as stop:
        sub.flag(stop.verdict, stop.problem, stop.message)
    except Exception:  # noqa: BLE001 - one odd credential never hides the others' verdicts
        log.exception("an embedded credential could not be verified")
        sub.flag("not_a_badge", "not_a_credential")
    result = sub.finish()
    if (
        budget is not None
        and budget.spent()
        and result.verdict in ("unknown_issuer", "status_unknown")
    ):
        return _unchecked(item)
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


def _rank(status: str) -> int:
    return PRECEDENCE.index(status) if status in PRECEDENCE else len(PRECEDENCE)


def _embedded(v: Verification, document: Mapping[str, Any]) -> None:
    learner = clr.subject(document)
    items = []
    for number, item in enumerate(clr.embedded(document), start=1):
        found = _one(v, item, learner)
        found["number"] = number
        items.append(found)
    failing = [i for i in items if not i["valid"]]
    v.result.record = {
        "achievements": len(clr.achievement_ids(document)),
        "associations": len(clr.associations(document)),
        "credentials": items,
        "failing": len(failing),
        "unchecked": sum(1 for i in failing if i["problem"] == "record_too_large"),
    }
    if not failing:
        v.check(
            "embedded",
            True,
            _("All %(count)s credentials in the record verify on their own.")
            % {"count": len(items)},
        )
        return
    named = "; ".join(_named(i) for i in failing[:20])
    v.check(
        "embedded",
        False,
        _("%(failing)s of %(count)s credentials in the record do not verify: %(named)s")
        % {"failing": len(failing), "count": len(items), "named": named},
    )
    # The record is worth no more than its worst credential: that one's verdict, named.
    worst = min(failing, key=lambda i: (_rank(i["status"]), i["number"]))
    v.flag(worst["status"], "embedded_fails", _named(worst))


def _named(item: Mapping[str, Any]) -> str:
    return _("#%(number)s “%(name)s”: %(headline)s") % {
        "number": item["number"],
        "name": item["name"] or item["id"],
        "headline": item["headline"],
    }
