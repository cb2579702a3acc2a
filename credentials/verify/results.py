"""What a verification answers: the verdicts, the problems, the checks and the result.

The vocabulary every concern of the verifier speaks, and what the page, the API and the
counting read. No logic beyond telling a result in words (its headline).
"""

from __future__ import annotations

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
    "empty": "Nothing was given to verify.",
    "too_large": "The file is too large to be a badge.",
    "no_badge_in_image": "The image holds no Open Badge.",
    "corrupt_image": "The image is damaged and cannot be read: part of the file is missing or "
    "was changed byte by byte. Ask for the original file the issuer sent.",
    "unreadable": "The input is neither an image, JSON, a token nor a web address.",
    "invalid_json": "The text is not valid JSON.",
    "not_a_credential": "The document is not an Open Badge credential.",
    "invalid_token": "The token is malformed.",
    "unsigned_token": "The token is unsigned (alg none), which proves nothing.",
    "bad_signature": "The signature does not match the credential.",
    "rewritten": "The credential was rewritten after it was signed, so that it no longer "
    "reads as what the issuer signed (a date, status or other part moved where it is not read).",
    "key_not_issuers": "The signing key does not belong to the issuer.",
    "not_platform_issuer": "The issuer claims an address on this platform, but it is not one "
    "of the platform's institutions.",
    "impersonation": "The issuer uses the name of an institution of this platform, but it is "
    "not that institution.",
    "recipient_mismatch": "The credential was not issued to the e-mail address you entered.",
    "no_recipient_identity": "The credential names no e-mail address to compare with the one "
    "you entered.",
    "busy": "Too many checks are reaching other servers right now. Please try again in a moment.",
    "no_proof": "The credential carries no proof or signature.",
    "copy_differs": "The copy differs from what the issuer publishes.",
    "address_not_allowed": "The address is internal or reserved, so it is not fetched.",
    "redirect_loop": "The address redirects in a loop or too many times.",
    "timeout": "The issuer's server did not answer in time.",
    "unreachable": "The issuer's documents could not be fetched.",
    "status_unavailable": "The issuer's revocation or status list could not be checked.",
    "unknown_award": "We have no credential with that identifier.",
}

CHECK_LABELS = {
    "schema": "Open Badge format",
    "proof": "Signature",
    "issuer_key": "Issuer and key",
    "status": "Revocation status",
    "dates": "Validity dates",
    "recipient": "Recipient",
    "issuer": "Who vouches for the issuer",
}
# The order in which the checks are shown.
CHECK_ORDER = ("schema", "proof", "issuer_key", "issuer", "status", "dates", "recipient")


@dataclass
class Check:
    name: str
    passed: bool | None  # None: not applicable or not checked
    detail: str

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.name, self.name)


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

    @property
    def headline(self) -> str:
        verdict = self.verdict
        if verdict == "valid":
            if (self.issuer_trust or {}).get("kind") == "self_asserted":
                return (
                    "Genuine signature, unconfirmed issuer: the credential is intact and in "
                    "good standing, but nobody confirms who its issuer is."
                )
            return "Valid: this credential is genuine and in good standing."
        if verdict == "not_recipient":
            if self.problem == "no_recipient_identity":
                return (
                    "Cannot confirm the holder: the credential is genuine, but it names no "
                    "e-mail address to compare with the one you entered."
                )
            return (
                "Not issued to this person: the credential is genuine, but it was issued to "
                "someone else, not to the e-mail address you entered."
            )
        if verdict == "revoked":
            rev = self.revocation or {}
            when = f" on {rev['date'][:10]}" if rev.get("date") else ""
            why = f": {rev['reason']}" if rev.get("reason") else "."
            return f"Revoked: the issuer withdrew this credential{when}{why}"
        if verdict == "expired":
            until = self.summary.valid_until[:10] if self.summary else ""
            return f"Expired: this credential was genuine but stopped being valid {until}.".replace(
                " .", "."
            )
        if verdict == "not_yet_valid":
            start = self.summary.issued_on[:10] if self.summary else ""
            return f"Not yet valid: this credential only becomes valid on {start}."
        if verdict == "status_unknown":
            return (
                "Status unknown: the signature is genuine, but we could not check whether the "
                "issuer has revoked it. Try again later."
            )
        if verdict == "tampered":
            return (
                "Tampered: the signature does not match, so the credential was changed "
                "after it was issued or was not signed by its issuer."
            )
        if verdict == "unknown_issuer":
            if self.problem in ("impersonation", "not_platform_issuer"):
                return "Not the issuer it claims to be: " + self.message
            if self.problem == "busy":
                return "Not checked yet: " + PROBLEMS["busy"]
            return "Unknown or unreachable issuer: we could not confirm who issued this."
        return "Not an Open Badge: " + (self.message or "we found no credential to check.")

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
        }


class Stop(Exception):
    """Ends a verification early with a verdict."""

    def __init__(self, verdict: str, problem: str | None = None, message: str = "") -> None:
        super().__init__(message)
        self.verdict = verdict
        self.problem = problem
        self.message = message or PROBLEMS.get(problem or "", "")
