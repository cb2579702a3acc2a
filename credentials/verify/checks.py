"""The checks every credential gets, whatever its version: its dates and its recipient.

The recipient e-mail, when given, is only hashed and compared in memory; it is never stored,
logged or returned.
"""

from __future__ import annotations

import hashlib
from typing import Any

from credentials.verify.context import Verification
from credentials.verify.reading import parse_date
from credentials.verify.results import _

__all__ = ["NO_LEEWAY_LIMIT", "dates", "identity_matches", "recipient"]

# A VC-JWT's dates are checked here (by dates), never inside jws.decode_vc_jwt.
NO_LEEWAY_LIMIT = 10**11


def dates(v: Verification, valid_from: Any, valid_until: Any) -> None:
    start = parse_date(valid_from)
    end = parse_date(valid_until)
    if start is None:
        v.check("dates", False, _("The date of issue is missing or not a date."))
        v.flag("not_a_badge", "not_a_credential", _("The credential has no valid date of issue."))
        return
    if start > v.now:
        v.check(
            "dates",
            False,
            _("Valid only from %(day)s.") % {"day": start.date().isoformat()},
        )
        v.flag("not_yet_valid")
    elif end is not None and end < v.now:
        v.check("dates", False, _("Expired on %(day)s.") % {"day": end.date().isoformat()})
        v.flag("expired")
    elif end is not None:
        v.check(
            "dates",
            True,
            _("Issued %(start)s, valid until %(end)s.")
            % {"start": start.date().isoformat(), "end": end.date().isoformat()},
        )
    else:
        v.check(
            "dates",
            True,
            _("Issued %(day)s, does not expire.") % {"day": start.date().isoformat()},
        )


def recipient(v: Verification, identities: list[tuple[str, bool, str]]) -> None:
    """Compare the e-mail the employer entered with the credential's (identity, hashed, salt)."""
    if v.email is None:
        v.check("recipient", None, _("Not checked: enter the e-mail the candidate gave you."))
        return
    if not identities:
        v.check("recipient", False, _("The credential names no e-mail identity to compare."))
        v.result.recipient_matched = False
        v.flag("not_recipient", "no_recipient_identity")
        return
    matched = any(identity_matches(v.email, *identity) for identity in identities)
    v.result.recipient_matched = matched
    if matched:
        v.check("recipient", True, _("Issued to the e-mail address you entered."))
    else:
        v.check("recipient", False, _("Not issued to the e-mail address you entered."))
        v.flag("not_recipient", "recipient_mismatch")


def identity_matches(email: str, identity: str, hashed: bool, salt: str) -> bool:
    identity = (identity or "").strip()
    email = email.strip()
    if not hashed:
        value = identity.removeprefix("mailto:")
        return value.lower() == email.lower()
    algorithm, _sep, digest = identity.partition("$")
    if algorithm.lower() not in ("sha256", "md5") or not digest:
        return False
    for candidate in {email, email.lower()}:
        data = (candidate + (salt or "")).encode("utf-8")
        computed = (
            hashlib.sha256(data).hexdigest()
            if algorithm.lower() == "sha256"
            else hashlib.md5(data).hexdigest()  # noqa: S324 - OB 2.0 allows md5 identities
        )
        if computed.lower() == digest.lower():
            return True
    return False
