"""What a credential says, for the employer to read: learner, badge, issuer, dates,
competences, EU elements, evidence, endorsers.

Everything here is read from the documents as they stand, and every address shown as a link
passes :func:`safe_url`. Who vouches for the issuer is :mod:`credentials.verify.trust`'s part.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from credentials.verify import eu
from credentials.verify.reading import URL_RE, as_list, id_of, text
from credentials.verify.results import Summary

__all__ = ["profile", "safe_url", "summary_ob2", "summary_ob3"]


def safe_url(value: Any) -> str:
    """``value`` if it is an absolute http(s) URL with a host, else "" (never a link)."""
    if not isinstance(value, str):
        return ""
    stripped = value.strip()
    if not URL_RE.match(stripped) or any(ord(c) < 32 for c in stripped):
        return ""
    return stripped if urlsplit(stripped).netloc else ""


def _image(value: Any) -> str:
    return safe_url(id_of(value))


def profile(issuer: Any) -> dict[str, str]:
    if not isinstance(issuer, Mapping):
        return {"id": id_of(issuer) or "", "name": ""}
    return {
        "id": id_of(issuer) or "",
        "name": text(issuer.get("name")),
        "url": safe_url(id_of(issuer.get("url"))),
        "email": text(issuer.get("email")),
        "description": text(issuer.get("description")),
        "image": _image(issuer.get("image")),
    }


def _alignments(values: Any) -> list[dict[str, str]]:
    out = []
    for item in as_list(values):
        if isinstance(item, Mapping):
            out.append(
                {
                    "name": text(item.get("targetName")),
                    "url": safe_url(item.get("targetUrl")),
                    "code": text(item.get("targetCode")),
                    "framework": text(item.get("targetFramework")),
                    "description": text(item.get("targetDescription")),
                }
            )
    return out


def _evidence(values: Any) -> list[dict[str, str]]:
    out = []
    for item in as_list(values):
        if isinstance(item, str):
            url = safe_url(item)
            out.append({"name": "" if url else item, "narrative": "", "url": url})
        elif isinstance(item, Mapping):
            out.append(
                {
                    "name": text(item.get("name")),
                    "narrative": text(item.get("narrative") or item.get("description")),
                    "url": safe_url(item.get("id") or item.get("url")),
                }
            )
    return out


def summary_ob3(credential: Mapping[str, Any]) -> Summary:
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, Mapping) else {}
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, Mapping) else {}
    learner = text(subject.get("name"))
    for identity in as_list(subject.get("identifier")):
        if (
            not learner
            and isinstance(identity, Mapping)
            and identity.get("identityType") == "name"
            and not identity.get("hashed")
        ):
            learner = text(identity.get("identityHash"))
    criteria = achievement.get("criteria")
    return Summary(
        learner=learner,
        badge={
            "id": id_of(achievement) or "",
            "name": text(achievement.get("name")),
            "description": text(achievement.get("description")),
            "image": _image(achievement.get("image")),
            "criteria": text(criteria.get("narrative")) if isinstance(criteria, Mapping) else "",
            "criteria_url": safe_url(id_of(criteria)),
            "type": text(achievement.get("achievementType")),
        },
        issuer=profile(credential.get("issuer")),
        issued_on=text(credential.get("validFrom") or credential.get("issuanceDate")),
        valid_until=text(credential.get("validUntil") or credential.get("expirationDate")),
        competences=_alignments(achievement.get("alignment")),
        eu_elements=eu.credential_elements(credential, achievement),
        evidence=_evidence(credential.get("evidence")),
        credential_id=text(credential.get("id")),
        language=text(achievement.get("inLanguage")),
        editions=_editions(achievement.get("related")),
    )


def _editions(values: Any) -> list[dict[str, str]]:
    """The language editions among an achievement's ``related`` ones: those with a language
    and a web address (only http(s) ever becomes a link)."""
    found = []
    for item in as_list(values):
        if not isinstance(item, Mapping) or "Related" not in as_list(item.get("type")):
            continue
        language, url = text(item.get("inLanguage"))[:35], safe_url(id_of(item))
        if language and url:
            found.append({"language": language, "url": url})
    return found[:50]


def summary_ob2(
    assertion: Mapping[str, Any], badge: Mapping[str, Any], issuer: Mapping[str, Any]
) -> Summary:
    criteria = badge.get("criteria")
    endorsers = []
    for endorsement in as_list(badge.get("endorsement")) + as_list(issuer.get("endorsement")):
        if isinstance(endorsement, Mapping):
            endorser = endorsement.get("issuer")
            endorsers.append(
                {
                    "name": text(endorser.get("name")) if isinstance(endorser, Mapping) else "",
                    "id": id_of(endorser) or "",
                    "comment": text((endorsement.get("claim") or {}).get("endorsementComment")),
                    "verified": False,
                }
            )
    recipient = assertion.get("recipient")
    return Summary(
        learner=text(
            assertion.get("recipientName")
            or (recipient.get("name") if isinstance(recipient, Mapping) else "")
        ),
        badge={
            "id": id_of(badge) or id_of(assertion.get("badge")) or "",
            "name": text(badge.get("name")),
            "description": text(badge.get("description")),
            "image": _image(badge.get("image")) or _image(assertion.get("image")),
            "criteria": text(criteria.get("narrative")) if isinstance(criteria, Mapping) else "",
            "criteria_url": safe_url(id_of(criteria)),
            "type": "",
        },
        issuer=profile(issuer) if issuer else {"id": "", "name": ""},
        endorsers=endorsers,
        issued_on=text(assertion.get("issuedOn")),
        valid_until=text(assertion.get("expires")),
        competences=_alignments(badge.get("alignment")),
        eu_elements=eu.eu_elements(badge, assertion),
        evidence=_evidence(assertion.get("evidence")),
        credential_id=text(assertion.get("id")),
    )
