"""Open Badges 2.0: a hosted assertion, or a signed one (a JWS naming its key document).

A hosted assertion is checked against the copy its issuer hosts at its address, and must be
hosted where the issuer allows; a signed one must verify with an RSA key document that names
itself, is owned by the issuer and is listed by the issuer's published profile. The badge class
and issuer are always the issuer's published copies, never the embedded ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa

from credentials.standards import jws
from credentials.verify import checks, status, trust
from credentials.verify.context import Verification
from credentials.verify.issuer_keys import key_from_method
from credentials.verify.reading import URL_RE, as_list, contexts, id_of, text, types
from credentials.verify.results import Stop, _
from credentials.verify.summary import summary_ob2

__all__ = ["OB2_CONTEXT", "check", "is_ob2"]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def is_ob2(document: Mapping[str, Any]) -> bool:
    found = [c for c in contexts(document) if isinstance(c, str)]
    kinds = types(document)
    if any(
        c.rstrip("/") in (OB2_CONTEXT, "https://openbadgespec.org/v2/context.json") for c in found
    ):
        return "Assertion" in kinds or not kinds
    return "Assertion" in kinds and "badge" in document


def check(
    v: Verification,
    assertion: dict[str, Any],
    *,
    supplied: bool,
    token: str | None = None,
    gone: bool = False,
) -> None:
    verify = assertion.get("verify") or assertion.get("verification") or {}
    method = text(verify.get("type") if isinstance(verify, Mapping) else "").lower()
    hosted = method in ("hosted", "hostedbadge")
    v.result.proof_format = "signed" if token or method in ("signed", "signedbadge") else "hosted"
    v.result.summary = summary_ob2(assertion, {}, {})
    missing = [
        name
        for name in ("id", "recipient", "badge", "verify", "issuedOn")
        if not assertion.get(name) and not (name == "verify" and assertion.get("verification"))
    ]
    if missing:
        fields = {"fields": ", ".join(missing)}
        v.check("schema", False, _("Missing: %(fields)s.") % fields)
        raise Stop("not_a_badge", "not_a_credential", _("The assertion lacks %(fields)s.") % fields)
    if gone or assertion.get("revoked"):
        status.ob2_revoked(v, assertion)
    key_document: Mapping[str, Any] = {}
    if token is None and hosted:
        assertion = _hosted(v, assertion, supplied)
    elif token is not None:
        assertion, key_document = _signed(v, assertion, token)
    else:
        v.check("proof", False, _("A signed assertion was given without its signature."))
        raise Stop("tampered", "no_proof")
    badge = _published(v, assertion.get("badge"), _("badge class"))
    issuer = _published(v, badge.get("issuer"), _("issuer profile"))
    v.result.summary = summary_ob2(assertion, badge, issuer)
    missing = [n for n in ("name", "description", "criteria", "issuer") if not badge.get(n)]
    if missing or not issuer.get("name"):
        v.check("schema", False, _("The badge class or issuer lacks required fields."))
        raise Stop("not_a_badge", "not_a_credential", _("The badge class is incomplete."))
    v.check("schema", True, _("An Open Badges 2.0 Assertion with its BadgeClass and Issuer."))
    issuer_id = id_of(issuer) or ""
    if hosted and token is None:
        _scope(v, assertion, issuer, issuer_id)
    else:
        _key_owner(v, key_document, issuer, issuer_id)
    trust.vouch(v, issuer_id, issuer)
    platform = status.platform_status(v, assertion.get("id"))
    if hosted and token is None and not platform and v.is_platform():
        # Our institutions' hosted assertions are our awards, nothing else on the site.
        v.check("issuer_key", False, _("This platform holds no such credential of the issuer."))
        v.flag("tampered", "key_not_issuers", _("The issuer never issued this assertion."))
    if not platform and not v.flags.get("revoked"):
        status.ob2_revocation_list(v, assertion, issuer, required=token is not None)
    checks.dates(v, assertion.get("issuedOn"), assertion.get("expires"))
    recipient = assertion.get("recipient") or {}
    identities = []
    if isinstance(recipient, Mapping) and recipient.get("type", "email") == "email":
        identities.append(
            (
                text(recipient.get("identity")),
                bool(recipient.get("hashed")),
                text(recipient.get("salt")),
            )
        )
    checks.recipient(v, identities)


def _hosted(v: Verification, assertion: dict[str, Any], supplied: bool) -> dict[str, Any]:
    url = assertion.get("id")
    if not isinstance(url, str) or not URL_RE.match(url):
        v.check("proof", False, _("A hosted assertion must have a web address as its id."))
        raise Stop("not_a_badge", "not_a_credential", _("The hosted assertion has no address."))
    answered, hosted = v.documents.get_json(url, _("hosted assertion"), allow_gone=True)
    if not isinstance(hosted, dict):
        raise Stop("unknown_issuer", "unreachable", _("The hosted assertion is not JSON."))
    if answered == 410 or hosted.get("revoked"):
        v.check("proof", True, _("The issuer hosts this assertion at %(url)s.") % {"url": url})
        if not v.flags.get("revoked"):
            status.ob2_revoked(v, hosted)
        return hosted if hosted.get("badge") else assertion
    if supplied and _strip_revocation(hosted) != _strip_revocation(assertion):
        v.check(
            "proof",
            False,
            _("The copy you gave differs from the assertion the issuer hosts at its address."),
        )
        raise Stop("tampered", "copy_differs")
    v.check("proof", True, _("Hosted by the issuer at %(url)s, and it matches.") % {"url": url})
    return hosted


def _strip_revocation(document: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: item for key, item in document.items() if key not in ("revoked", "revocationReason")
    }


def _signed(
    v: Verification, assertion: dict[str, Any], token: str
) -> tuple[dict[str, Any], Mapping[str, Any]]:
    """The signed assertion, verified, and the key document it was verified with."""
    verify = assertion.get("verify") or assertion.get("verification") or {}
    creator = verify.get("creator") if isinstance(verify, Mapping) else None
    if not isinstance(creator, str):
        v.check("proof", False, _("The signed assertion does not name its key (verify.creator)."))
        raise Stop("tampered", "bad_signature")
    _status, key_document = v.documents.get_json(creator, _("public key"))
    if not isinstance(key_document, Mapping) or key_document.get("id") != creator:
        # The document must be the one at its own address: a copy that names another
        # key's address (the issuer's real key, say) proves nothing about it.
        v.check("issuer_key", False, _("The key document is not the key at its address."))
        raise Stop("tampered", "key_not_issuers", _("The signing key is not the issuer's."))
    key = key_from_method(key_document)
    if not isinstance(key, rsa.RSAPublicKey):
        raise Stop("unknown_issuer", "unreachable", _("The public key could not be read."))
    try:
        verified = jws.verify_ob2_assertion(token, key)
    except jws.JWSError as exc:
        v.check("proof", False, _("The signature does not verify: %(exc)s.") % {"exc": exc})
        raise Stop("tampered", "bad_signature") from exc
    v.check("proof", True, _("The RS256 signature verifies."))
    return verified, key_document


def _key_owner(
    v: Verification, key_document: Mapping[str, Any], issuer: Mapping[str, Any], issuer_id: str
) -> None:
    """A signed assertion's key must be listed by the fetched issuer *and* owned by it."""
    creator = key_document.get("id")  # the address it was fetched from (checked)
    owner = key_document.get("owner")
    listed = [id_of(k) for k in as_list(issuer.get("publicKey"))]
    if owner != issuer_id:
        v.check("issuer_key", False, _("The key's owner is not the badge's issuer."))
        v.flag("tampered", "key_not_issuers")
    elif creator not in listed:
        v.check("issuer_key", False, _("The issuer's published profile does not list this key."))
        v.flag("tampered", "key_not_issuers")
    else:
        v.check(
            "issuer_key",
            True,
            _("The key is listed and owned by the issuer %(issuer_id)s.")
            % {"issuer_id": issuer_id},
        )


def _published(v: Verification, value: Any, what: str) -> dict[str, Any]:
    """The issuer's own copy of a BadgeClass or Issuer, fetched from its id.

    An embedded copy is never trusted (anyone can write one): it is compared with the
    published document, and a difference is told, not believed.
    """
    address = id_of(value)
    if not isinstance(address, str) or not URL_RE.match(address):
        if isinstance(value, Mapping) or value:
            raise Stop(
                "unknown_issuer",
                "unreachable",
                _("The %(what)s has no web address, so the issuer's own copy cannot be checked.")
                % {"what": what},
            )
        raise Stop(
            "not_a_badge", "not_a_credential", _("The %(what)s is missing.") % {"what": what}
        )
    _status, document = v.documents.get_json(address, what)
    if not isinstance(document, dict):
        raise Stop(
            "unknown_issuer",
            "unreachable",
            _("The %(what)s at %(address)s is not JSON.") % {"what": what, "address": address},
        )
    if document.get("id") != address:
        raise Stop(
            "unknown_issuer",
            "unreachable",
            _("The %(what)s at %(address)s names another address as its id.")
            % {"what": what, "address": address},
        )
    if isinstance(value, Mapping):
        embedded = {key: item for key, item in value.items() if key != "@context"}
        published = {key: item for key, item in document.items() if key != "@context"}
        if embedded != published:
            v.result.notes.append(
                _(
                    "The %(what)s embedded in the credential differs from the one its issuer "
                    "publishes at %(address)s; we checked and show the published one."
                )
                % {"what": what, "address": address}
            )
    return document


def _scope(
    v: Verification, assertion: Mapping[str, Any], issuer: Mapping[str, Any], issuer_id: str
) -> None:
    url = str(assertion.get("id"))
    policy = issuer.get("verification") or {}
    starts = [
        str(s) for s in as_list(policy.get("startsWith") if isinstance(policy, Mapping) else None)
    ]
    origins = [
        str(s)
        for s in as_list(policy.get("allowedOrigins") if isinstance(policy, Mapping) else None)
    ]
    host = urlsplit(url).netloc.lower()
    if starts:
        allowed = any(url.startswith(s) for s in starts)
    elif origins:
        allowed = host in [o.lower() for o in origins]
    else:
        allowed = host == urlsplit(issuer_id).netloc.lower()
    if allowed:
        v.check(
            "issuer_key", True, _("Hosted on the issuer's own domain (%(host)s).") % {"host": host}
        )
    else:
        v.check(
            "issuer_key",
            False,
            _("Hosted at %(host)s, which the issuer does not allow.") % {"host": host},
        )
        v.flag(
            "tampered",
            "key_not_issuers",
            _("The assertion is hosted outside the issuer's domain."),
        )
