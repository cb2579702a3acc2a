"""What a verification answers: the verdicts, the problems, the checks and the result.

The vocabulary every concern of the verifier speaks, and what the page, the API and the
counting read. No logic beyond telling a result in words (its headline).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "CHECK_LABELS",
    "CHECK_ORDER",
    "PRECEDENCE",
    "PROBLEMS",
    "VERDICTS",
    "Check",
    "Stop",
    "Summary",
    "VerificationResult",
]

# The verifier imports no Django: what a person reads is marked with ``_`` (translated when it
# is said, in the language then active) and ``gettext_noop`` (marked only; translated where it
# is read). The site adapter (verify/site.py) installs Django's gettext; alone, it is English.
_translate: Callable[[str], str] = str


def use_translation(gettext: Callable[[str], str]) -> None:
    """Say the verifier's messages through ``gettext`` (the site adapter hands Django's)."""
    global _translate  # noqa: PLW0603 - one hook, set once at start-up
    _translate = gettext


def _(message: str) -> str:
    """``message`` in the active language (English until a translation is installed)."""
    return _translate(message)


def gettext_noop(message: str) -> str:
    """Marks ``message`` for translation without translating it (a table of messages)."""
    return message


def problem_message(problem: str | None) -> str:
    """The words for a problem code, in the active language ("" for none or an unknown one)."""
    message = PROBLEMS.get(problem or "", "")
    return _(message) if message else ""


VERDICTS = (
    "valid",
    "not_recipient",
    "revoked",
    "expired",
    "not_yet_valid",
    "status_unknown",
    "tampered",
    "unknown_issuer",
    "not_a_badge",
)

# When several things are wrong, the verdict is the first of these that applies.
PRECEDENCE = (
    "not_a_badge",
    "tampered",
    "unknown_issuer",
    "not_recipient",
    "revoked",
    "expired",
    "not_yet_valid",
    "status_unknown",
)

PROBLEMS = {
    "empty": gettext_noop("Nothing was given to verify."),
    "too_large": gettext_noop("The file is too large to be a badge."),
    "no_badge_in_image": gettext_noop("The image holds no Open Badge."),
    "corrupt_image": gettext_noop(
        "The image is damaged and cannot be read: part of the file is missing or "
        "was changed byte by byte. Ask for the original file the issuer sent."
    ),
    "unreadable": gettext_noop("The input is neither an image, JSON, a token nor a web address."),
    "invalid_json": gettext_noop("The text is not valid JSON."),
    "not_a_credential": gettext_noop("The document is not an Open Badge credential."),
    "invalid_token": gettext_noop("The token is malformed."),
    "unsigned_token": gettext_noop("The token is unsigned (alg none), which proves nothing."),
    "bad_signature": gettext_noop("The signature does not match the credential."),
    "rewritten": gettext_noop(
        "The credential was rewritten after it was signed, so that it no longer "
        "reads as what the issuer signed (a date, status or other part moved where it is not read)."
    ),
    "key_not_issuers": gettext_noop("The signing key does not belong to the issuer."),
    "not_platform_issuer": gettext_noop(
        "The issuer claims an address on this platform, but it is not one "
        "of the platform's institutions."
    ),
    "impersonation": gettext_noop(
        "The issuer uses the name of an institution of this platform, but it is "
        "not that institution."
    ),
    "recipient_mismatch": gettext_noop(
        "The credential was not issued to the e-mail address you entered."
    ),
    "no_recipient_identity": gettext_noop(
        "The credential names no e-mail address to compare with the one you entered."
    ),
    "busy": gettext_noop(
        "Too many checks are reaching other servers right now. Please try again in a moment."
    ),
    "no_proof": gettext_noop("The credential carries no proof or signature."),
    "copy_differs": gettext_noop("The copy differs from what the issuer publishes."),
    "address_not_allowed": gettext_noop(
        "The address is internal or reserved, so it is not fetched."
    ),
    "redirect_loop": gettext_noop("The address redirects in a loop or too many times."),
    "timeout": gettext_noop("The issuer's server did not answer in time."),
    "unreachable": gettext_noop("The issuer's documents could not be fetched."),
    "status_unavailable": gettext_noop(
        "The issuer's revocation or status list could not be checked."
    ),
    "unknown_award": gettext_noop("We have no credential with that identifier."),
    "not_record_subject": gettext_noop(
        "The credential is not about this record's learner: it names someone else."
    ),
    "record_too_large": gettext_noop("Not checked: the record is too large to check at once."),
    "embedded_fails": gettext_noop("A credential in the learner record does not verify."),
}

CHECK_LABELS = {
    "schema": gettext_noop("Open Badge format"),
    "proof": gettext_noop("Signature"),
    "issuer_key": gettext_noop("Issuer and key"),
    "status": gettext_noop("Revocation status"),
    "dates": gettext_noop("Validity dates"),
    "recipient": gettext_noop("Recipient"),
    "issuer": gettext_noop("Who vouches for the issuer"),
    "embedded": gettext_noop("Credentials in the record"),
}
# The order in which the checks are shown.
CHECK_ORDER = (
    "schema",
    "proof",
    "issuer_key",
    "issuer",
    "status",
    "dates",
    "recipient",
    "embedded",
)


@dataclass
class Check:
    name: str
    passed: bool | None  # None: not applicable or not checked
    detail: str

    @property
    def label(self) -> str:
        label = CHECK_LABELS.get(self.name)
        return _(label) if label else self.name


@dataclass
class Summary:
    learner: str = ""
    badge: dict[str, Any] = field(default_factory=dict)
    issuer: dict[str, Any] = field(default_factory=dict)
    endorsers: list[dict[str, Any]] = field(default_factory=list)
    issued_on: str = ""
    valid_until: str = ""
    competences: list[dict[str, str]] = field(default_factory=list)
    eu_elements: list[dict[str, str]] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)
    credential_id: str = ""
    # The language the achievement is written in (OB 3.0 inLanguage) and its other language
    # editions (its related achievements with a language): each a dict of language and url.
    language: str = ""
    editions: list[dict[str, str]] = field(default_factory=list)


@dataclass
class VerificationResult:
    verdict: str
    checks: list[Check] = field(default_factory=list)
    summary: Summary | None = None
    version: str | None = None
    proof_format: str | None = None  # hosted, signed, data-integrity, vc-jwt
    source: str | None = None  # png, svg, json, jwt, url
    problem: str | None = None
    message: str = ""
    revocation: dict[str, str] | None = None  # reason, date
    recipient_matched: bool | None = None
    # How the issuer is known: kind (platform / domain / self_asserted), id, domain, name,
    # and for a platform institution its page here. None until the issuer is known.
    issuer_trust: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)  # differences worth telling, not verdicts
    # A CLR 2.0 learner record: counts of achievements and associations, and each embedded
    # credential's own verdict (credentials: number, id, name, issuer, status, headline,
    # problem, valid, checks) with how many fail (failing) and how many were left unchecked
    # for want of time or fetches (unchecked). None for a single credential.
    record: dict[str, Any] | None = None

    @property
    def headline(self) -> str:
        verdict = self.verdict
        record = self.record is not None
        kind = (self.issuer_trust or {}).get("kind")
        vouched = kind in ("platform", "domain") or (kind is None and not record)
        if verdict == "valid" and not vouched:
            # Nobody vouches for the issuer: that wins over any other good news.
            if record:
                return _(
                    "Genuine signature, unconfirmed issuer: the learner record is intact and "
                    "every credential in it verifies, but nobody confirms who issued the record."
                )
            return _(
                "Genuine signature, unconfirmed issuer: the credential is intact and in "
                "good standing, but nobody confirms who its issuer is."
            )
        if verdict == "valid" and record:
            return _("Valid: this learner record is genuine, and every credential in it verifies.")
        if verdict == "valid":
            return _("Valid: this credential is genuine and in good standing.")
        if record and self.problem == "embedded_fails":
            return _("Do not rely on this learner record: %(why)s") % {"why": self.message}
        if verdict == "not_recipient":
            if self.problem == "not_record_subject":
                return problem_message(self.problem)
            if self.problem == "no_recipient_identity":
                return _(
                    "Cannot confirm the holder: the credential is genuine, but it names no "
                    "e-mail address to compare with the one you entered."
                )
            return _(
                "Not issued to this person: the credential is genuine, but it was issued to "
                "someone else, not to the e-mail address you entered."
            )
        if verdict == "revoked":
            rev = self.revocation or {}
            values = {"day": (rev.get("date") or "")[:10], "reason": rev.get("reason") or ""}
            if values["day"] and values["reason"]:
                text = _("Revoked: the issuer withdrew this credential on %(day)s: %(reason)s")
            elif values["day"]:
                text = _("Revoked: the issuer withdrew this credential on %(day)s.")
            elif values["reason"]:
                text = _("Revoked: the issuer withdrew this credential: %(reason)s")
            else:
                text = _("Revoked: the issuer withdrew this credential.")
            return text % values
        if verdict == "expired":
            until = self.summary.valid_until[:10] if self.summary else ""
            if not until:
                return _("Expired: this credential was genuine but stopped being valid.")
            return _("Expired: this credential was genuine but stopped being valid %(day)s.") % {
                "day": until
            }
        if verdict == "not_yet_valid":
            start = self.summary.issued_on[:10] if self.summary else ""
            return _("Not yet valid: this credential only becomes valid on %(day)s.") % {
                "day": start
            }
        if verdict == "status_unknown":
            return _(
                "Status unknown: the signature is genuine, but we could not check whether the "
                "issuer has revoked it. Try again later."
            )
        if verdict == "tampered":
            return _(
                "Tampered: the signature does not match, so the credential was changed "
                "after it was issued or was not signed by its issuer."
            )
        if verdict == "unknown_issuer":
            if self.problem in ("impersonation", "not_platform_issuer"):
                return _("Not the issuer it claims to be: %(why)s") % {"why": self.message}
            if self.problem == "busy":
                return _("Not checked yet: %(why)s") % {"why": problem_message("busy")}
            if self.problem == "record_too_large":
                return problem_message("record_too_large")
            return _("Unknown or unreachable issuer: we could not confirm who issued this.")
        return _("Not an Open Badge: %(why)s") % {
            "why": self.message or _("we found no credential to check.")
        }

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.verdict,
            "headline": self.headline,
            "problem": self.problem,
            "message": self.message,
            "version": self.version,
            "proof_format": self.proof_format,
            "source": self.source,
            "revocation": self.revocation,
            "recipient_matched": self.recipient_matched,
            "issuer_trust": self.issuer_trust,
            "notes": list(self.notes),
            "checks": [
                {"name": c.name, "label": c.label, "passed": c.passed, "detail": c.detail}
                for c in self.checks
            ],
            "credential": asdict(self.summary) if self.summary else None,
            "record": self.record,
        }


class Stop(Exception):
    """Ends a verification early with a verdict."""

    def __init__(self, verdict: str, problem: str | None = None, message: str = "") -> None:
        super().__init__(message)
        self.verdict = verdict
        self.problem = problem
        self.message = message or problem_message(problem)
