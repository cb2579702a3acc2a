"""Who vouches for the issuer (and for each endorser): this platform, a web domain, or nobody.

A name is never an identity. The issuer's name is shown as the issuer's own claim unless this
platform knows the issuer; a stranger who uses one of our institutions' names, or an address
on this platform that is no institution of ours, is refused. Differences between what the
credential claims and what is published or known become notes, not verdicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from credentials.verify import eu
from credentials.verify.context import Verification
from credentials.verify.fetch import did_web_host
from credentials.verify.reading import URL_RE, text
from credentials.verify.records import normalise_name
from credentials.verify.results import _, gettext_noop, problem_message
from credentials.verify.summary import profile, safe_url

__all__ = ["ISSUER_TRUST", "endorser_standing", "known_by", "vouch"]

# How the issuer is known: who vouches that the name is the issuer's.
ISSUER_TRUST = {  # marked here, said in the reader's language (_) where a result takes one
    "platform": gettext_noop(
        "An institution of this platform: Co-Create Academy vouches for its name."
    ),
    "domain": gettext_noop(
        "Known by its web domain: the domain serves the issuer's profile and keys; "
        "nobody else confirms the name."
    ),
    "self_asserted": gettext_noop(
        "Self-asserted: the issuer is only a key, and nobody confirms its name."
    ),
}


def known_by(issuer_id: str) -> tuple[str, str]:
    """How an issuer not of this platform is known: ("domain", its web domain) for a did:web
    or an http(s) id, else ("self_asserted", "") -- a bare key, or an id nobody serves."""
    if issuer_id.startswith("did:web:"):
        return "domain", did_web_host(issuer_id)
    if URL_RE.match(issuer_id):
        return "domain", urlsplit(issuer_id).netloc.lower()
    return "self_asserted", ""


def vouch(v: Verification, issuer_id: str, claimed: Mapping[str, Any] | None) -> None:
    """Say who vouches for the issuer, and refuse a stranger passing as one of ours.

    The issuer's name is shown as the issuer's own claim unless this platform knows the
    issuer: a name is never an identity. A stranger who uses one of our institutions'
    names, or an address on this platform that is no institution of ours, is refused.
    """
    summary = v.result.summary
    claimed_name = text((claimed or {}).get("name"))
    published = v.documents.published.get(issuer_id)
    published_name = text(published.get("name")) if isinstance(published, Mapping) else ""
    known = v.records.issuer(issuer_id)
    if known is not None:
        site = urlsplit(issuer_id).netloc
        trust = {
            "kind": "platform",
            "id": issuer_id,
            "domain": site,
            "name": known.name,
            "page": safe_url(known.page),
            "label": _(ISSUER_TRUST["platform"]),
        }
        if claimed_name and normalise_name(claimed_name) != normalise_name(known.name):
            v.result.notes.append(
                _(
                    "The credential calls its issuer “%(claimed_name)s”; this platform knows "
                    "that institution as “%(name)s”."
                )
                % {"claimed_name": claimed_name, "name": known.name}
            )
        v.check(
            "issuer",
            True,
            _("%(name)s is an institution of this platform (%(site)s).")
            % {"name": known.name, "site": site},
        )
        name = known.name
    elif v.records.is_site_address(issuer_id):
        trust = {
            "kind": "unknown",
            "id": issuer_id,
            "domain": known_by(issuer_id)[1],
            "name": claimed_name,
            "page": "",
            "label": problem_message("not_platform_issuer"),
        }
        v.check("issuer", False, problem_message("not_platform_issuer"))
        v.flag("unknown_issuer", "not_platform_issuer")
        name = claimed_name
    else:
        kind, domain = known_by(issuer_id)
        name = published_name or claimed_name
        if published_name and claimed_name and published_name != claimed_name:
            v.result.notes.append(
                _(
                    "The credential calls its issuer “%(claimed_name)s”; the issuer's published "
                    "profile says “%(published_name)s”. We show the published name."
                )
                % {"claimed_name": claimed_name, "published_name": published_name}
            )
        trust = {
            "kind": kind,
            "id": issuer_id,
            "domain": domain,
            "name": name,
            "page": "",
            "label": _(ISSUER_TRUST[kind]),
        }
        impersonated = v.records.issuer_named(name)
        if impersonated is not None:
            if domain:
                message = _(
                    "It calls itself “%(name)s”, the name of an institution of this platform, "
                    "but it was issued by the web domain %(domain)s, not by that institution."
                ) % {"name": name, "domain": domain}
            else:
                message = _(
                    "It calls itself “%(name)s”, the name of an institution of this platform, "
                    "but it was issued by a key that nobody vouches for, not by that institution."
                ) % {"name": name}
            v.check("issuer", False, message)
            v.flag("unknown_issuer", "impersonation", message)
        elif kind == "domain":
            v.check(
                "issuer",
                True,
                _(
                    "Known by its web domain %(domain)s, which publishes the issuer's profile "
                    "and keys. The name “%(name)s” is the issuer's own claim."
                )
                % {"domain": domain, "name": name}
                if name
                else _("Known by its web domain %(domain)s, which publishes the issuer's keys.")
                % {"domain": domain},
            )
        else:
            v.check(
                "issuer",
                None,
                _(
                    "Self-asserted: the issuer is the key %(key)s and nobody confirms "
                    "its name “%(name)s”."
                )
                % {"key": issuer_id, "name": name}
                if name
                else _("Self-asserted: the issuer is the key %(key)s and nobody confirms its name.")
                % {"key": issuer_id},
            )
    v.result.issuer_trust = trust
    if summary is not None and known is None:
        # The awarding body (an EU element) is the issuer's own claim unless we know it.
        eu.qualify_awarding_body(summary.eu_elements, trust["domain"] or _("self-asserted"))
    if summary is not None:
        if isinstance(published, Mapping) and known is None:
            summary.issuer.update(
                {key: value for key, value in profile(published).items() if value}
            )
        summary.issuer["id"] = issuer_id
        summary.issuer["name"] = name
        summary.issuer["domain"] = trust["domain"]
        summary.issuer["trust"] = trust["kind"]
        if known is not None:
            summary.issuer["url"] = safe_url(known.url)


def endorser_standing(
    v: Verification, endorser: Any, endorser_id: str, verified: bool
) -> dict[str, str]:
    """Name, domain and standing of an endorser, told the same way as the issuer's.

    An endorser is "an institution of this platform" only when its signature verified
    and it stands: naming one of our institutions in an unsigned endorsement proves nothing.
    """
    claimed = text(endorser.get("name")) if isinstance(endorser, Mapping) else ""
    known = v.records.issuer(endorser_id) if endorser_id else None
    if known is not None and verified:
        return {"name": known.name, "domain": urlsplit(endorser_id).netloc, "trust": "platform"}
    if known is not None:
        return {"name": claimed, "domain": urlsplit(endorser_id).netloc, "trust": "unverified"}
    trust, domain = known_by(endorser_id)
    if v.records.is_site_address(endorser_id) or v.records.issuer_named(claimed):
        trust = "impersonation"
    return {"name": claimed, "domain": domain, "trust": trust}
