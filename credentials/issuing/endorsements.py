"""The endorsements a badge's documents name, and those signed into a credential.

Giving and withdrawing endorsements is a business rule (``credentials.services.endorsements``);
this module only reads what stands, for the documents built in this package.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from credentials.models import BadgeClass, Endorsement


def active(badge: BadgeClass) -> list[Endorsement]:
    """The endorsements of ``badge`` that stand, oldest first (read once per badge object)."""
    cached = badge.__dict__.get("_cocreate_endorsements")
    if cached is None:
        cached = list(Endorsement.objects.standing().filter(badge_class=badge))
        badge.__dict__["_cocreate_endorsements"] = cached
    return cached


def carried(signed_credential: dict[str, Any] | None) -> list[dict[str, str]]:
    """The endorsements signed into an OB 3.0 credential: endorser, comment, date, link."""
    subject = (signed_credential or {}).get("credentialSubject") or {}
    found = []
    for item in (subject.get("achievement") or {}).get("endorsement") or []:
        issuer = item.get("issuer") or {}
        found.append(
            {
                "endorser": issuer.get("name", ""),
                "endorser_url": issuer.get("url", ""),
                "comment": (item.get("credentialSubject") or {}).get("endorsementComment", ""),
                "valid_from": _date(item.get("validFrom")),
                "url": item.get("id", ""),
            }
        )
    return found


def _date(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None
