"""Whether the issuer has revoked the credential: our own awards from our records, everyone
else's from what the issuer publishes (Bitstring / StatusList2021 lists, 1EdTech revocation
lists, OB 2.0 revocation lists and hosted assertions).

Another issuer's status list is cached (in the cache the verifier is handed) no longer than its
own ``ttl`` and never longer than ``status_cache_seconds``; our own credentials' status is never
taken from a cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from credentials.standards import dataintegrity, jws, statuslist
from credentials.verify import signed_reading
from credentials.verify.checks import NO_LEEWAY_LIMIT
from credentials.verify.context import Verification
from credentials.verify.documents import JSON_ACCEPT, VC_ACCEPT
from credentials.verify.fetch import FetchResult
from credentials.verify.reading import JWS_RE, URL_RE, as_list, id_of, loads, text
from credentials.verify.results import Stop, _

__all__ = ["ob2_revocation_list", "ob2_revoked", "ob3_status", "platform_status"]


def platform_status(v: Verification, credential_id: Any) -> bool:
    """Revocation of one of our own credentials, read from our records: True if ours.

    Only for a credential of an issuer this platform knows, whose address is one of our
    awards of that same issuer; everything else is checked from the issuer's documents.
    """
    trust = v.result.issuer_trust or {}
    if trust.get("kind") != "platform" or not isinstance(credential_id, str):
        return False
    status = v.records.award_status(credential_id)
    known = v.records.issuer(trust["id"])
    if status is None or known is None or status.issuer_public_id != known.public_id:
        return False
    if status.revoked:
        v.result.revocation = {"reason": status.reason, "date": status.date}
        v.check("status", False, _("The issuer's records on this platform say: revoked."))
        v.flag("revoked", None, _("The issuer revoked this credential."))
    else:
        v.check("status", True, _("Not revoked: checked just now in the issuer's records here."))
    return True


# --- Open Badges 3.0 ----------------------------------------------------------------------


def ob3_status(v: Verification, credential: Mapping[str, Any], issuer_id: str) -> None:
    entries = [e for e in as_list(credential.get("credentialStatus")) if isinstance(e, Mapping)]
    if not entries:
        v.check("status", None, _("The issuer publishes no revocation list for it."))
        return
    details = []
    for entry in entries:
        kind = as_list(entry.get("type"))
        try:
            if "BitstringStatusListEntry" in kind or "StatusList2021Entry" in kind:
                details.append(_bitstring_status(v, entry, issuer_id, credential))
            elif "1EdTechRevocationList" in kind:
                details.append(_revocation_list_status(v, entry, credential))
            else:
                details.append(
                    _("status method %(kind)s is not supported, so not checked") % {"kind": kind}
                )
        except Stop as stop:
            v.check(
                "status",
                False,
                _("The status list could not be checked: %(message)s") % {"message": stop.message},
            )
            v.flag("status_unknown", "status_unavailable", stop.message)
            return
    if v.flags.get("revoked"):
        v.check("status", False, "; ".join(details).capitalize() + ".")
    else:
        v.check("status", True, "; ".join(details).capitalize() + ".")


def _bitstring_status(
    v: Verification, entry: Mapping[str, Any], issuer_id: str, credential: Mapping[str, Any]
) -> str:
    url = entry.get("statusListCredential")
    purpose = entry.get("statusPurpose", "revocation")
    try:
        index = int(entry.get("statusListIndex"))
        size = int(entry.get("statusSize", 1))
    except (TypeError, ValueError) as exc:
        raise Stop(
            "unknown_issuer", "status_unavailable", _("the status index is not a number")
        ) from exc
    if not isinstance(url, str):
        raise Stop("unknown_issuer", "status_unavailable", _("no status list address"))
    response, remember = _status_fetch(v, url, VC_ACCEPT)
    body = response.text().strip()
    if JWS_RE.match(body):
        try:
            decoded = jws.decode_vc_jwt(
                body,
                lambda header: v.keys.jose(header, issuer_id),
                now=v.now,
                leeway=NO_LEEWAY_LIMIT,
            )
        except jws.JWSError as exc:
            raise Stop(
                "unknown_issuer",
                "status_unavailable",
                _("its signature fails: %(exc)s") % {"exc": exc},
            ) from exc
        status_credential = decoded.credential
    else:
        try:
            status_credential = loads(body)
        except ValueError as exc:
            raise Stop("unknown_issuer", "status_unavailable", _("it is not JSON")) from exc
        if not isinstance(status_credential, dict):
            raise Stop("unknown_issuer", "status_unavailable", _("it is not a credential"))
        if status_credential.get("proof") is None:
            raise Stop("unknown_issuer", "status_unavailable", _("the status list is not signed"))
        _verify_status_proof(v, status_credential, response.body, issuer_id)
    if id_of(status_credential.get("issuer")) != issuer_id:
        raise Stop("unknown_issuer", "status_unavailable", _("the status list has another issuer"))
    subject = status_credential.get("credentialSubject") or {}
    if not isinstance(subject, Mapping):
        raise Stop("unknown_issuer", "status_unavailable", _("the status list is malformed"))
    remember(subject.get("ttl"))
    purposes = as_list(subject.get("statusPurpose"))
    if purpose not in purposes:
        raise Stop(
            "unknown_issuer",
            "status_unavailable",
            _("the list is not for %(purpose)s") % {"purpose": purpose},
        )
    try:
        bits = statuslist.BitstringStatusList.decode(subject.get("encodedList", ""), size)
        value = bits.get(index)
    except statuslist.StatusListError as exc:
        raise Stop("unknown_issuer", "status_unavailable", str(exc)) from exc
    if value and purpose in ("revocation", "suspension"):
        v.result.revocation = _revocation_details(v, credential, purpose)
        v.flag("revoked", None, _("The issuer revoked this credential."))
        if purpose == "revocation":
            return _("the issuer's signed status list marks it revoked")
        return _("the issuer's signed status list marks it suspended")
    if purpose == "revocation":
        return _("not revoked in the issuer's signed status list")
    return _("not suspended in the issuer's signed status list")


def _status_fetch(
    v: Verification, url: str, accept: str
) -> tuple[FetchResult, Callable[[Any], None]]:
    """A status list, cached no longer than its ``ttl`` (and never ours: always fresh).

    Returns the answer and ``remember(ttl)``, to call once the list has been checked:
    only a list that verified is cached, for the shorter of its ``ttl`` (milliseconds)
    and ``status_cache_seconds``.
    """
    key = "verify-status:" + hashlib.sha256(f"{accept}\n{url}".encode()).hexdigest()
    cached = v.cache.get(key)
    if isinstance(cached, dict):
        return FetchResult(**cached), lambda ttl: None
    try:
        response = v.documents.get(url, accept=accept, use_cache=False)
    except Stop as stop:
        raise Stop("status_unknown", "status_unavailable", stop.message) from stop
    if not response.ok:
        raise Stop(
            "status_unknown",
            "status_unavailable",
            _("HTTP %(status)s from %(url)s") % {"status": response.status, "url": url},
        )

    def remember(ttl: Any) -> None:
        if v.records.is_site_address(url):
            return
        seconds = float(v.settings.status_cache_seconds)
        if isinstance(ttl, int | float) and not isinstance(ttl, bool) and ttl >= 0:
            seconds = min(seconds, ttl / 1000)
        if seconds >= 1:
            v.cache.set(key, dict(response.__dict__), int(seconds))

    return response, remember


def _verify_status_proof(
    v: Verification, document: dict[str, Any], body: bytes, issuer_id: str
) -> None:
    """Verify the status list's proof once per (issuer, exact bytes) per cache period.

    A status list is a large credential and canonicalising it costs most of a
    verification; the same bytes signed by the same issuer need checking only once.
    """
    digest = hashlib.sha256(issuer_id.encode() + b"\n" + body).hexdigest()
    key = f"verify-statuslist-ok:{digest}"
    if v.cache.get(key):
        return
    ok, reason = dataintegrity.verify_eddsa_rdfc_2022(
        document, lambda method: v.keys.resolve(method, issuer_id), now=v.now
    )
    if not ok:
        raise Stop(
            "unknown_issuer",
            "status_unavailable",
            _("its proof fails: %(reason)s") % {"reason": reason},
        )
    rewritten = signed_reading.problem(document)
    if rewritten:
        raise Stop(
            "unknown_issuer",
            "status_unavailable",
            _("it was rewritten: %(rewritten)s") % {"rewritten": rewritten},
        )
    v.cache.set(key, True, v.settings.fetch_cache_seconds)


def _revocation_list_status(
    v: Verification, entry: Mapping[str, Any], credential: Mapping[str, Any]
) -> str:
    url = entry.get("id") or entry.get("statusListCredential")
    if not isinstance(url, str) or not URL_RE.match(url):
        raise Stop("unknown_issuer", "status_unavailable", _("no revocation list address"))
    response, remember = _status_fetch(v, url.split("#", 1)[0], JSON_ACCEPT)
    try:
        document = loads(response.body)
    except (ValueError, RecursionError) as exc:
        raise Stop("status_unknown", "status_unavailable", _("it is not JSON")) from exc
    if not isinstance(document, Mapping):
        raise Stop("status_unknown", "status_unavailable", _("it is not a revocation list"))
    remember(None)
    revoked = as_list(document.get("revokedCredentials"))
    for item in revoked:
        if id_of(item) == credential.get("id"):
            reason = text(item.get("revocationReason")) if isinstance(item, Mapping) else ""
            v.result.revocation = {"reason": reason, "date": ""}
            v.flag("revoked", None, _("The issuer revoked this credential."))
            return "the issuer's revocation list lists it"
    return "not in the issuer's revocation list"


def _revocation_details(
    v: Verification, credential: Mapping[str, Any], purpose: str
) -> dict[str, str]:
    """Reason and date, when the issuer publishes them (a revoked hosted assertion does)."""
    details = {
        "reason": "" if purpose == "revocation" else _("suspended by the issuer"),
        "date": "",
    }
    credential_id = credential.get("id")
    issuer_id = id_of(credential.get("issuer")) or ""
    same_origin = (
        isinstance(credential_id, str)
        and URL_RE.match(credential_id) is not None
        and URL_RE.match(issuer_id) is not None
        and urlsplit(credential_id).netloc == urlsplit(issuer_id).netloc
    )
    if same_origin:  # only the issuer's own server may tell why it revoked
        try:
            response = v.documents.get(credential_id, accept="application/ld+json")
            document = loads(response.body)
        except (Stop, ValueError):
            document = None
        if isinstance(document, Mapping) and document.get("revoked"):
            details["reason"] = text(document.get("revocationReason")) or details["reason"]
            details["date"] = text(document.get("revokedOn") or document.get("revocationDate"))
    return details


# --- Open Badges 2.0 ----------------------------------------------------------------------


def ob2_revoked(v: Verification, assertion: Mapping[str, Any]) -> None:
    v.result.revocation = {
        "reason": text(assertion.get("revocationReason")),
        "date": text(assertion.get("revokedOn") or assertion.get("revocationDate")),
    }
    v.check("status", False, _("The issuer's hosted assertion says it is revoked."))
    v.flag("revoked", None, _("The issuer revoked this credential."))


def ob2_revocation_list(
    v: Verification, assertion: Mapping[str, Any], issuer: Mapping[str, Any], required: bool
) -> None:
    url = issuer.get("revocationList")
    if not isinstance(url, str):
        if "status" not in v.checks:
            v.check(
                "status",
                None if required else True,
                _("The issuer publishes no revocation list; the hosted assertion is not revoked.")
                if not required
                else _("The issuer publishes no revocation list."),
            )
        return
    try:
        _status, document = v.documents.get_json(url, _("revocation list"))
    except Stop as stop:
        if required:
            v.check(
                "status",
                False,
                _("The revocation list could not be read: %(message)s") % {"message": stop.message},
            )
            v.flag("status_unknown", "status_unavailable")
        else:
            v.check("status", True, _("The hosted assertion is not revoked."))
        return
    assertion_id = assertion.get("id")
    uid = assertion.get("uid")
    for item in as_list((document or {}).get("revokedAssertions")):
        item_id = id_of(item)
        item_uid = item.get("uid") if isinstance(item, Mapping) else None
        if (item_id and item_id == assertion_id) or (uid and item_uid == uid):
            v.result.revocation = {
                "reason": text(item.get("revocationReason")) if isinstance(item, Mapping) else "",
                "date": "",
            }
            v.check("status", False, _("The issuer's revocation list lists it."))
            v.flag("revoked", None, _("The issuer revoked this credential."))
            return
    v.check("status", True, _("Not in the issuer's revocation list."))
