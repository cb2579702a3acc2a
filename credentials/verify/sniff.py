"""What was given, and what it holds: a baked PNG or SVG, JSON text, a compact JWS / VC-JWT,
a URL or one of our award UUIDs, turned into the document to check (OB 2.0 or OB 3.0).

Every problem of reading becomes a ``not_a_badge`` verdict (or ``tampered`` for an unsigned
token); the document itself is checked by :mod:`.ob2` or :mod:`.ob3`.
"""

from __future__ import annotations

import contextlib
from typing import Any

from credentials.standards import bakery, jws
from credentials.verify import clr, ob2, ob3, status
from credentials.verify.context import Verification
from credentials.verify.fetch import origin_of
from credentials.verify.reading import JWS_RE, URL_RE, UUID_RE, decode_segment, loads, types
from credentials.verify.results import Stop, _

__all__ = ["MAX_INPUT_BYTES", "read"]

MAX_INPUT_BYTES = bakery.DEFAULT_MAX_BYTES


def read(v: Verification, source: bytes | str) -> None:
    """Find the credential in ``source`` and check it (raises :class:`Stop` to end early)."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        if not data.strip():
            raise Stop("not_a_badge", "empty")
        if len(data) > MAX_INPUT_BYTES:
            raise Stop("not_a_badge", "too_large")
        kind = None
        with contextlib.suppress(bakery.BakeryError):
            kind = bakery.image_type(data)
        if kind is not None:
            v.result.source = kind
            _baked(v, data)
            return
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Stop("not_a_badge", "unreadable") from exc
    _text(v, source)


def _baked(v: Verification, data: bytes) -> None:
    try:
        baked = bakery.extract(data)
    except bakery.BakeryError as exc:
        reason = exc.reason
        if reason.startswith("no Open Badges data"):
            raise Stop("not_a_badge", "no_badge_in_image") from exc
        if "larger than" in reason:
            raise Stop("not_a_badge", "too_large") from exc
        if "baked" in reason:  # the payload itself is not JSON / JWS / URL
            raise Stop(
                "not_a_badge",
                "not_a_credential",
                _("The image's badge data: %(reason)s.") % {"reason": reason},
            ) from exc
        raise Stop("not_a_badge", "corrupt_image") from exc  # its words, not a parser's
    v.result.version = baked.version
    if baked.kind == "json":
        _json_text(v, baked.text)
    elif baked.kind == "jws":
        _jwt(v, baked.text)
    else:
        _url(v, baked.text)


def _text(v: Verification, given: str) -> None:
    given = given.strip()
    if not given:
        raise Stop("not_a_badge", "empty")
    v.result.source = v.result.source or "text"
    if given.startswith(("{", "[")):
        v.result.source = "json"
        _json_text(v, given)
    elif JWS_RE.match(given):
        v.result.source = "jwt"
        _jwt(v, given)
    elif URL_RE.match(given):
        v.result.source = "url"
        _url(v, given)
    elif UUID_RE.fullmatch(given):
        v.result.source = "url"
        _url(v, v.records.award_url(given.lower()))
    else:
        raise Stop("not_a_badge", "unreadable")


def _json_text(v: Verification, given: str) -> None:
    try:
        document = loads(given)
    except (ValueError, RecursionError) as exc:
        raise Stop("not_a_badge", "invalid_json") from exc
    if not isinstance(document, dict):
        raise Stop("not_a_badge", "not_a_credential")
    _document(v, document, supplied=True)


def _document(v: Verification, document: dict[str, Any], supplied: bool) -> None:
    if clr.is_clr(document):
        clr.check(v, document, "data-integrity")
    elif ob3.is_ob3(document):
        v.result.version = "3.0"
        ob3.check(v, document, "data-integrity")
    elif ob2.is_ob2(document):
        v.result.version = "2.0"
        ob2.check(v, document, supplied=supplied)
    elif "VerifiableCredential" in types(document):
        raise Stop(
            "not_a_badge",
            "not_a_credential",
            _("This is a verifiable credential, but not an Open Badge."),
        )
    else:
        raise Stop("not_a_badge", "not_a_credential")


def _url(v: Verification, url: str) -> None:
    response = v.documents.get(url)
    if response.status == 410:
        try:
            document = loads(response.body)
        except ValueError:
            document = None
        document = document if isinstance(document, dict) else {}
        about = document.get("id")
        if about is not None and (
            not isinstance(about, str)
            or origin_of(about) is None
            or origin_of(about) not in (origin_of(url), origin_of(response.url))
        ):
            # "Gone" speaks only for the server that answered it, never for another.
            raise Stop(
                "unknown_issuer",
                "unreachable",
                _("The address answered that it is gone, with a document about another address."),
            )
        v.result.version = "2.0"
        v.result.proof_format = "hosted"
        if document.get("badge") and document.get("recipient"):
            v.documents.published[url] = document
            ob2.check(v, document, supplied=False, gone=True)
            return
        status.ob2_revoked(v, document)
        raise Stop(
            "revoked",
            None,
            _("The address says this credential was revoked; it names no issuer we could check."),
        )
    if not response.ok:
        raise Stop(
            "unknown_issuer",
            "unreachable",
            _("The address answered HTTP %(status)s.") % {"status": response.status},
        )
    body = response.body
    if response.content_type in ("image/png", "image/svg+xml") or body.startswith(b"\x89PNG"):
        _baked(v, body)
        return
    answered = response.text().strip()
    if answered.startswith("{"):
        try:
            document = loads(answered)
        except ValueError as exc:
            raise Stop("not_a_badge", "invalid_json") from exc
        if isinstance(document, dict):
            if ob2.is_ob2(document) and not ob3.is_ob3(document):
                v.documents.published[url] = document
            _document(v, document, supplied=False)
            return
        raise Stop("not_a_badge", "not_a_credential")
    if JWS_RE.match(answered):
        _jwt(v, answered)
        return
    raise Stop("not_a_badge", "not_a_credential", _("The address does not serve an Open Badge."))


def _jwt(v: Verification, token: str) -> None:
    token = token.strip()
    head, _sep, rest = token.partition(".")
    try:
        header = decode_segment(head)
        payload = decode_segment(rest.partition(".")[0])
    except (ValueError, UnicodeError, RecursionError) as exc:
        raise Stop("not_a_badge", "invalid_token") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise Stop("not_a_badge", "invalid_token")
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        v.check("proof", False, _("The token is unsigned (alg none): it proves nothing."))
        raise Stop("tampered", "unsigned_token")
    if isinstance(payload.get("vc"), dict) or "credentialSubject" in payload:
        credential = dict(payload["vc"]) if isinstance(payload.get("vc"), dict) else payload
        credential = {k: value for k, value in credential.items() if k not in jws._JWT_CLAIMS}
        v.result.version = "3.0"
        if clr.is_clr(credential):
            clr.check(v, credential, "vc-jwt", token=token)
        else:
            ob3.check(v, credential, "vc-jwt", token=token)
    elif ob2.is_ob2(payload):
        v.result.version = "2.0"
        ob2.check(v, payload, supplied=True, token=token)
    else:
        raise Stop("not_a_badge", "not_a_credential", _("The token does not hold a badge."))
