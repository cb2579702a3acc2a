"""Verifying any Open Badge: ours or another issuer's, 2.0 or 3.0, baked or not.

Plain Python, no views. :func:`verify` takes what an employer has -- the bytes of
a baked PNG or SVG, JSON text, a compact JWS / VC-JWT, a URL or one of our award
UUIDs -- and returns a :class:`VerificationResult`:

* ``verdict``: one of :data:`VERDICTS`;
* ``checks``: what was checked (schema, proof, issuer key, status, dates,
  recipient), each passed / failed / not applicable, with why;
* ``summary``: what the credential says (learner, badge, issuer and endorsers,
  dates, competences, EU micro-credential elements, evidence);
* ``version`` ("2.0" / "3.0") and ``proof_format`` detected, and ``problem``, a
  stable machine code for what went wrong (see :data:`PROBLEMS`).

Everything is verified from the documents, exactly as an outsider would: every
document is fetched through :func:`credentials.verify.fetch.fetch` (which serves our
own ``SITE_URL`` in-process).  Keys must belong to the issuer: a verification
method or JOSE ``kid`` / ``jwk`` is accepted only when the issuer's own document
(its ``did:key``, its ``did:web`` DID document or its HTTPS profile) lists that
key -- an embedded ``jwk`` proves nothing by itself.

The recipient e-mail, when given, is only hashed and compared in memory; it is
never stored, logged or returned.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.conf import settings

from credentials.standards import bakery, dataintegrity, eu_terms, jws, keys, statuslist
from credentials.standards.jws import id_of as _id_of
from credentials.verify.fetch import FetchError, FetchResult, did_web_host, fetch, origin_of
from credentials.verify.site import SiteRecords, normalise_name

__all__ = [
    "PROBLEMS",
    "VERDICTS",
    "Check",
    "VerificationResult",
    "record_verification",
    "verification_counts",
    "verify",
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
_PRECEDENCE = (
    "not_a_badge",
    "tampered",
    "unknown_issuer",
    "not_recipient",
    "revoked",
    "expired",
    "not_yet_valid",
    "status_unknown",
)

# How the issuer is known: who vouches that the name is the issuer's.
ISSUER_TRUST = {
    "platform": "An institution of this platform: Co-Create Academy vouches for its name.",
    "domain": "Known by its web domain: the domain serves the issuer's profile and keys; "
    "nobody else confirms the name.",
    "self_asserted": "Self-asserted: the issuer is only a key, and nobody confirms its name.",
}

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

CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"

MAX_INPUT_BYTES = bakery.DEFAULT_MAX_BYTES
_JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")
_URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_JSON_ACCEPT = "application/ld+json, application/json;q=0.9, */*;q=0.1"
_VC_ACCEPT = (
    "application/vc+ld+json, application/ld+json;q=0.9, application/json;q=0.9, "
    "application/vc+jwt;q=0.8, application/jwt;q=0.8, */*;q=0.1"
)
_NO_LEEWAY_LIMIT = 10**11  # dates are checked here, not inside jws.decode_vc_jwt

CHECK_LABELS = {
    "schema": "Open Badge format",
    "proof": "Signature",
    "issuer_key": "Issuer and key",
    "status": "Revocation status",
    "dates": "Validity dates",
    "recipient": "Recipient",
    "issuer": "Who vouches for the issuer",
}


# --- results ----------------------------------------------------------------------


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


class _Stop(Exception):
    """Ends a verification early with a verdict."""

    def __init__(self, verdict: str, problem: str | None = None, message: str = "") -> None:
        super().__init__(message)
        self.verdict = verdict
        self.problem = problem
        self.message = message or PROBLEMS.get(problem or "", "")


class _KeyError(Exception):
    def __init__(self, verdict: str, problem: str, message: str) -> None:
        super().__init__(message)
        self.verdict = verdict
        self.problem = problem


# --- small helpers ----------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):  # language maps and the like
        for key in ("@value", "en", "narrative", "name"):
            if isinstance(value.get(key), str):
                return str(value[key])
    if value is None:
        return ""
    return str(value)


def _types(document: Mapping[str, Any]) -> list[str]:
    return [str(t) for t in _as_list(document.get("type") or document.get("@type"))]


def _contexts(document: Mapping[str, Any]) -> list[Any]:
    return _as_list(document.get("@context"))


def _parse_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _same_key(a: Any, b: Any) -> bool:
    if isinstance(a, ed25519.Ed25519PublicKey) and isinstance(b, ed25519.Ed25519PublicKey):
        raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
        return a.public_bytes(*raw) == b.public_bytes(*raw)
    if isinstance(a, rsa.RSAPublicKey) and isinstance(b, rsa.RSAPublicKey):
        return a.public_numbers() == b.public_numbers()
    return False


def _key_from_method(method: Mapping[str, Any]) -> keys.PublicKey | None:
    """Key material of a verification method / CryptographicKey / bare JWK, if any."""
    material = {
        k: method.get(k)
        for k in ("publicKeyMultibase", "publicKeyJwk", "publicKeyPem", "kty", "crv", "x", "n", "e")
        if method.get(k) is not None
    }
    try:
        return _parse_key(json.dumps(material, sort_keys=True))
    except (TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=256)
def _parse_key(material_json: str) -> keys.PublicKey | None:
    """Parsing an RSA JWK costs about a millisecond: parse each published key once."""
    method = json.loads(material_json)
    try:
        if isinstance(method.get("publicKeyMultibase"), str):
            return keys.public_key_from_multibase(method["publicKeyMultibase"])
        if isinstance(method.get("publicKeyJwk"), Mapping):
            return keys.public_key_from_jwk(method["publicKeyJwk"])
        if isinstance(method.get("publicKeyPem"), str):
            key = serialization.load_pem_public_key(method["publicKeyPem"].encode("ascii"))
            return key if isinstance(key, rsa.RSAPublicKey | ed25519.Ed25519PublicKey) else None
        if isinstance(method.get("kty"), str):
            return keys.public_key_from_jwk(method)
    except (ValueError, TypeError, keys.KeyFormatError):
        return None
    return None


def _identity_matches(email: str, identity: str, hashed: bool, salt: str) -> bool:
    identity = (identity or "").strip()
    email = email.strip()
    if not hashed:
        value = identity.removeprefix("mailto:")
        return value.lower() == email.lower()
    algorithm, _, digest = identity.partition("$")
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


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _loads(data: str | bytes) -> Any:
    """JSON from a stranger: ValueError for anything that is not valid JSON text.

    Python's parser accepts ``"\\ud800"`` escapes of lone surrogates, which are no
    characters at all and cannot be stored or shown: refused here, once, for every input.
    """
    document = json.loads(data)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if _SURROGATE_ESCAPE.search(raw):
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("the JSON holds an unpaired surrogate escape") from exc
    return document


def _decode_segment(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    return _loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def _award_url(public_id: str) -> str:
    """The public URL of one of our awards' OB 3.0 credential, from its UUID."""
    from credentials.issuing import links

    return links.absolute("award_ob3", public_id=public_id)


def safe_url(value: Any) -> str:
    """``value`` if it is an absolute http(s) URL with a host, else "" (never a link)."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if not _URL_RE.match(text) or any(ord(c) < 32 for c in text):
        return ""
    return text if urlsplit(text).netloc else ""


def known_by(issuer_id: str) -> tuple[str, str]:
    """How an issuer not of this platform is known: ("domain", its web domain) for a did:web
    or an http(s) id, else ("self_asserted", "") -- a bare key, or an id nobody serves."""
    if issuer_id.startswith("did:web:"):
        return "domain", did_web_host(issuer_id)
    if _URL_RE.match(issuer_id):
        return "domain", urlsplit(issuer_id).netloc.lower()
    return "self_asserted", ""


# --- the engine -------------------------------------------------------------------


class _Verifier:
    def __init__(
        self,
        email: str | None,
        now: datetime,
        fetcher: Callable[..., FetchResult],
        records: SiteRecords,
    ) -> None:
        self.email = (email or "").strip() or None
        self.now = now
        self.fetcher = fetcher
        self.records = records
        self.result = VerificationResult(verdict="valid")
        self.checks: dict[str, Check] = {}
        self.flags: dict[str, tuple[str | None, str]] = {}  # verdict -> (problem, message)
        self._documents: dict[str, Any] = {}
        self._key_sets: dict[str, dict[str, keys.PublicKey]] = {}
        self._key_error: _KeyError | None = None
        self._ob2_key: Mapping[str, Any] = {}

    # bookkeeping

    def check(self, name: str, passed: bool | None, detail: str) -> None:
        self.checks[name] = Check(name=name, passed=passed, detail=detail)

    def flag(self, verdict: str, problem: str | None = None, message: str = "") -> None:
        self.flags.setdefault(verdict, (problem, message or PROBLEMS.get(problem or "", "")))

    def finish(self) -> VerificationResult:
        order = ["schema", "proof", "issuer_key", "issuer", "status", "dates", "recipient"]
        self.result.checks = [self.checks[n] for n in order if n in self.checks]
        for verdict in _PRECEDENCE:
            if verdict in self.flags:
                self.result.verdict = verdict
                self.result.problem, self.result.message = self.flags[verdict]
                break
        else:
            self.result.verdict = "valid"
        if self.result.verdict == "not_a_badge" and "schema" not in self.checks:
            self.result.checks.insert(0, Check("schema", False, self.result.message))
        return self.result

    # fetching

    def get(self, url: str, accept: str = _JSON_ACCEPT, **options: Any) -> FetchResult:
        try:
            return self.fetcher(url, accept=accept, **options)
        except FetchError as exc:
            problem = {
                "blocked": "address_not_allowed",
                "redirect": "redirect_loop",
                "timeout": "timeout",
                "too_large": "too_large",
                "busy": "busy",
            }.get(exc.kind, "unreachable")
            host = urlsplit(exc.url or url).netloc or url[:100]
            if exc.kind in ("network", "dns"):  # a socket error's class name helps nobody
                reason = f"{host} could not be reached"
            else:
                reason = exc.reason
            raise _Stop("unknown_issuer", problem, f"{PROBLEMS[problem]} ({reason})") from exc

    def get_json(self, url: str, what: str, *, allow_gone: bool = False) -> tuple[int, Any]:
        if url in self._documents:
            return 200, self._documents[url]
        if not isinstance(url, str) or not _URL_RE.match(url):
            raise _Stop("unknown_issuer", "unreachable", f"The {what} has no web address.")
        response = self.get(url)
        if not (response.ok or (allow_gone and response.status == 410)):
            raise _Stop(
                "unknown_issuer",
                "unreachable",
                f"The {what} at {url} answered HTTP {response.status}.",
            )
        try:
            document = _loads(response.body)
        except (ValueError, RecursionError) as exc:
            raise _Stop(
                "unknown_issuer", "unreachable", f"The {what} at {url} is not JSON."
            ) from exc
        if response.ok:
            self._documents[url] = document
        return response.status, document

    # --- entry points ------------------------------------------------------------

    def run(self, source: bytes | str) -> VerificationResult:
        try:
            self._dispatch(source)
        except _Stop as stop:
            self.flag(stop.verdict, stop.problem, stop.message)
        return self.finish()

    def _dispatch(self, source: bytes | str) -> None:
        if isinstance(source, bytes | bytearray):
            data = bytes(source)
            if not data.strip():
                raise _Stop("not_a_badge", "empty")
            if len(data) > MAX_INPUT_BYTES:
                raise _Stop("not_a_badge", "too_large")
            kind = None
            with contextlib.suppress(bakery.BakeryError):
                kind = bakery.image_type(data)
            if kind is not None:
                self.result.source = kind
                self._baked(data)
                return
            try:
                source = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise _Stop("not_a_badge", "unreadable") from exc
        self._text(source)

    def _baked(self, data: bytes) -> None:
        try:
            baked = bakery.extract(data)
        except bakery.BakeryError as exc:
            reason = exc.reason
            if reason.startswith("no Open Badges data"):
                raise _Stop("not_a_badge", "no_badge_in_image") from exc
            if "larger than" in reason:
                raise _Stop("not_a_badge", "too_large") from exc
            if "baked" in reason:  # the payload itself is not JSON / JWS / URL
                raise _Stop(
                    "not_a_badge", "not_a_credential", f"The image's badge data: {reason}."
                ) from exc
            raise _Stop("not_a_badge", "corrupt_image") from exc  # its words, not a parser's
        self.result.version = baked.version
        if baked.kind == "json":
            self._json_text(baked.text, baked=True)
        elif baked.kind == "jws":
            self._jwt(baked.text)
        else:
            self._url(baked.text)

    def _text(self, text: str) -> None:
        text = text.strip()
        if not text:
            raise _Stop("not_a_badge", "empty")
        self.result.source = self.result.source or "text"
        if text.startswith(("{", "[")):
            self.result.source = "json"
            self._json_text(text)
        elif _JWS_RE.match(text):
            self.result.source = "jwt"
            self._jwt(text)
        elif _URL_RE.match(text):
            self.result.source = "url"
            self._url(text)
        elif _UUID_RE.fullmatch(text):
            self.result.source = "url"
            self._url(_award_url(text.lower()))
        else:
            raise _Stop("not_a_badge", "unreadable")

    def _json_text(self, text: str, baked: bool = False) -> None:
        try:
            document = _loads(text)
        except (ValueError, RecursionError) as exc:
            raise _Stop("not_a_badge", "invalid_json") from exc
        if not isinstance(document, dict):
            raise _Stop("not_a_badge", "not_a_credential")
        self._document(document, supplied=True)

    def _document(self, document: dict[str, Any], supplied: bool) -> None:
        if _is_ob3(document):
            self.result.version = "3.0"
            self._ob3(document, "data-integrity")
        elif _is_ob2(document):
            self.result.version = "2.0"
            self._ob2(document, supplied=supplied)
        elif "VerifiableCredential" in _types(document):
            raise _Stop(
                "not_a_badge",
                "not_a_credential",
                "This is a verifiable credential, but not an Open Badge.",
            )
        else:
            raise _Stop("not_a_badge", "not_a_credential")

    def _url(self, url: str) -> None:
        response = self.get(url, accept=_JSON_ACCEPT)
        if response.status == 410:
            try:
                document = _loads(response.body)
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
                raise _Stop(
                    "unknown_issuer",
                    "unreachable",
                    "The address answered that it is gone, with a document about another address.",
                )
            self.result.version = "2.0"
            self.result.proof_format = "hosted"
            if document.get("badge") and document.get("recipient"):
                self._documents[url] = document
                self._ob2(document, supplied=False, gone=True)
                return
            self._ob2_revoked(document)
            raise _Stop(
                "revoked",
                None,
                "The address says this credential was revoked; it names no issuer we could check.",
            )
        if not response.ok:
            raise _Stop(
                "unknown_issuer", "unreachable", f"The address answered HTTP {response.status}."
            )
        body = response.body
        if response.content_type in ("image/png", "image/svg+xml") or body.startswith(b"\x89PNG"):
            self._baked(body)
            return
        text = response.text().strip()
        if text.startswith("{"):
            try:
                document = _loads(text)
            except ValueError as exc:
                raise _Stop("not_a_badge", "invalid_json") from exc
            if isinstance(document, dict):
                if _is_ob2(document) and not _is_ob3(document):
                    self._documents[url] = document
                self._document(document, supplied=False)
                return
            raise _Stop("not_a_badge", "not_a_credential")
        if _JWS_RE.match(text):
            self._jwt(text)
            return
        raise _Stop("not_a_badge", "not_a_credential", "The address does not serve an Open Badge.")

    def _jwt(self, token: str) -> None:
        token = token.strip()
        head, _, rest = token.partition(".")
        try:
            header = _decode_segment(head)
            payload = _decode_segment(rest.partition(".")[0])
        except (ValueError, UnicodeError, RecursionError) as exc:
            raise _Stop("not_a_badge", "invalid_token") from exc
        if not isinstance(header, dict) or not isinstance(payload, dict):
            raise _Stop("not_a_badge", "invalid_token")
        alg = header.get("alg")
        if not isinstance(alg, str) or alg.lower() == "none":
            self.check("proof", False, "The token is unsigned (alg none): it proves nothing.")
            raise _Stop("tampered", "unsigned_token")
        if isinstance(payload.get("vc"), dict) or "credentialSubject" in payload:
            credential = dict(payload["vc"]) if isinstance(payload.get("vc"), dict) else payload
            credential = {k: v for k, v in credential.items() if k not in jws._JWT_CLAIMS}
            self.result.version = "3.0"
            self._ob3(credential, "vc-jwt", token=token)
        elif _is_ob2(payload):
            self.result.version = "2.0"
            self._ob2(payload, supplied=True, token=token)
        else:
            raise _Stop("not_a_badge", "not_a_credential", "The token does not hold a badge.")

    # --- keys -----------------------------------------------------------------------

    def issuer_keys(self, issuer_id: str) -> dict[str, keys.PublicKey]:
        """The keys the issuer authorises to sign credentials, by verification method id.

        Only what the issuer itself publishes counts (OB 3.0 §9.1, VC Data Integrity §4.2):
        a ``did:key`` issuer is its own key; a ``did:web`` or https issuer's fetched DID
        document or Profile must list the method under ``assertionMethod`` (or, for JOSE,
        in its own ``jwks``), and the method's ``controller`` must be the issuer.
        """
        if issuer_id in self._key_sets:
            return self._key_sets[issuer_id]
        found: dict[str, keys.PublicKey] = {}
        if issuer_id.startswith("did:key:"):
            try:
                key = keys.public_key_from_did_key(issuer_id)
            except keys.KeyFormatError as exc:
                raise _KeyError("tampered", "key_not_issuers", str(exc)) from exc
            multibase = issuer_id[len("did:key:") :]
            found = {issuer_id: key, f"{issuer_id}#{multibase}": key}
        elif issuer_id.startswith("did:web:"):
            document = self._did_web_document(issuer_id)
            found = self._authorised_keys(document, issuer_id)
        elif (ours := self.records.published_profile(issuer_id)) is not None:
            self._documents[issuer_id] = ours
            found = self._authorised_keys(ours, issuer_id)
        elif _URL_RE.match(issuer_id):
            try:
                _status, document = self.get_json(issuer_id, "issuer profile")
            except _Stop as stop:
                raise _KeyError(
                    "unknown_issuer", stop.problem or "unreachable", stop.message
                ) from stop
            if not isinstance(document, dict):
                raise _KeyError("unknown_issuer", "unreachable", "The issuer profile is not JSON.")
            if document.get("id") != issuer_id:
                raise _KeyError(
                    "unknown_issuer",
                    "unreachable",
                    "The issuer's address does not serve a profile with that id.",
                )
            found = self._authorised_keys(document, issuer_id)
        else:
            raise _KeyError("unknown_issuer", "unreachable", f"Cannot resolve issuer {issuer_id}.")
        self._key_sets[issuer_id] = found
        return found

    def _did_web_document(self, did: str) -> dict[str, Any]:
        parts = [unquote(p) for p in did[len("did:web:") :].split("#", 1)[0].split(":")]
        host, path = parts[0], parts[1:]
        local = host.split(":", 1)[0] in ("localhost", "127.0.0.1")
        scheme = (
            "http" if local and getattr(settings, "VERIFY_ALLOW_PRIVATE_FETCH", False) else "https"
        )
        url = f"{scheme}://{host}/" + (
            "/".join(path) + "/did.json" if path else ".well-known/did.json"
        )
        try:
            _status, document = self.get_json(url, "DID document")
        except _Stop as stop:
            raise _KeyError("unknown_issuer", stop.problem or "unreachable", stop.message) from stop
        if not isinstance(document, dict) or document.get("id") != did.split("#", 1)[0]:
            raise _KeyError("unknown_issuer", "unreachable", "The DID document names another DID.")
        return document

    @staticmethod
    def _absolute(reference: str, base: str) -> str:
        return base + reference if reference.startswith("#") else reference

    def _authorised_keys(
        self, document: Mapping[str, Any], controller: str
    ) -> dict[str, keys.PublicKey]:
        """Keys ``document`` (the issuer's own) lists under ``assertionMethod`` or ``jwks``."""
        embedded: dict[str, Mapping[str, Any]] = {}
        for entry in _as_list(document.get("verificationMethod")):
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                embedded[self._absolute(entry["id"], controller)] = entry
        found: dict[str, keys.PublicKey] = {}
        for entry in _as_list(document.get("assertionMethod")):
            if isinstance(entry, Mapping):
                method_id = entry.get("id")
                if not isinstance(method_id, str):
                    continue
                method_id, method = self._absolute(method_id, controller), entry
            elif isinstance(entry, str):
                method_id = self._absolute(entry, controller)
                method = embedded.get(method_id)
            else:
                continue
            if method is not None:
                key = _key_from_method(method) if method.get("controller") == controller else None
            elif method_id.startswith("did:key:"):
                try:  # the issuer names a did:key as its own assertion method
                    key = keys.public_key_from_did_key(method_id)
                except keys.KeyFormatError:
                    key = None
            elif _URL_RE.match(method_id):
                key = self._fetch_method(method_id, controller)
            else:
                key = None
            if key is not None:
                found[method_id] = key
        # JOSE keys the profile itself carries (a JWK Set): inline, so the issuer's own.
        jwks = document.get("jwks")
        for jwk in _as_list(jwks.get("keys") if isinstance(jwks, Mapping) else None):
            if isinstance(jwk, Mapping) and isinstance(jwk.get("kid"), str):
                key = _key_from_method({k: v for k, v in jwk.items() if k != "kid"})
                if key is not None:
                    found.setdefault(jwk["kid"], key)
        return found

    def _fetch_method(self, url: str, controller: str) -> keys.PublicKey | None:
        """A key document the issuer lists by address: it must name itself and the issuer."""
        try:
            _status, method = self.get_json(url.split("#", 1)[0], "public key")
        except _Stop:
            return None
        if not isinstance(method, Mapping):
            return None
        if method.get("id") != url:  # a fragment inside a bigger document
            entries = _as_list(method.get("verificationMethod"))
            base = str(method.get("id") or "")
            method = next(
                (
                    entry
                    for entry in entries
                    if isinstance(entry, Mapping)
                    and isinstance(entry.get("id"), str)
                    and self._absolute(entry["id"], base) == url
                ),
                None,
            )
            if method is None:
                return None
        if method.get("controller") != controller:
            return None
        return _key_from_method(method)

    def resolve_key(self, method: str, issuer_id: str) -> keys.PublicKey:
        """The key named by ``method``, only if the issuer authorises it."""
        try:
            listed = self.issuer_keys(issuer_id)
        except _KeyError as error:
            self._key_error = error
            raise
        if method in listed:
            return listed[method]
        if method.startswith("did:key:"):
            try:
                key = keys.public_key_from_did_key(method)
            except keys.KeyFormatError as exc:
                self._key_error = _KeyError("tampered", "key_not_issuers", str(exc))
                raise self._key_error from exc
            if any(_same_key(key, other) for other in listed.values()):
                return key
        self._key_error = _KeyError(
            "tampered",
            "key_not_issuers",
            f"The key {method} is not one the issuer lists as its own for signing credentials.",
        )
        raise self._key_error

    def jose_key(self, header: Mapping[str, Any], issuer_id: str) -> keys.PublicKey:
        kid = header.get("kid")
        if isinstance(kid, str) and kid:
            key = self.resolve_key(kid, issuer_id)
            if isinstance(header.get("jwk"), Mapping):
                embedded = keys.public_key_from_jwk(header["jwk"])
                if not _same_key(embedded, key):
                    self._key_error = _KeyError(
                        "tampered", "key_not_issuers", "The embedded key does not match the kid."
                    )
                    raise self._key_error
            return key
        try:
            embedded = keys.public_key_from_jwk(header.get("jwk") or {})
        except keys.KeyFormatError as exc:
            self._key_error = _KeyError("tampered", "key_not_issuers", str(exc))
            raise self._key_error from exc
        try:
            listed = self.issuer_keys(issuer_id)
        except _KeyError as error:
            self._key_error = error
            raise
        if any(_same_key(embedded, other) for other in listed.values()):
            return embedded
        self._key_error = _KeyError(
            "tampered",
            "key_not_issuers",
            "The token's embedded key is not one the issuer publishes.",
        )
        raise self._key_error

    def _key_detail(self, issuer_id: str) -> str:
        if issuer_id.startswith("did:key:"):
            return f"Signed with the key that is the issuer's own identifier ({issuer_id})."
        return f"Signed with a key that the issuer ({issuer_id}) lists as its own."

    # --- who the issuer is --------------------------------------------------------------

    def _vouch(self, issuer_id: str, claimed: Mapping[str, Any] | None) -> None:
        """Say who vouches for the issuer, and refuse a stranger passing as one of ours.

        The issuer's name is shown as the issuer's own claim unless this platform knows the
        issuer: a name is never an identity. A stranger who uses one of our institutions'
        names, or an address on this platform that is no institution of ours, is refused.
        """
        summary = self.result.summary
        claimed_name = _text((claimed or {}).get("name"))
        published = self._documents.get(issuer_id)
        published_name = _text(published.get("name")) if isinstance(published, Mapping) else ""
        known = self.records.issuer(issuer_id)
        if known is not None:
            site = urlsplit(issuer_id).netloc
            trust = {
                "kind": "platform",
                "id": issuer_id,
                "domain": site,
                "name": known.name,
                "page": safe_url(known.page),
                "label": ISSUER_TRUST["platform"],
            }
            if claimed_name and normalise_name(claimed_name) != normalise_name(known.name):
                self.result.notes.append(
                    f"The credential calls its issuer “{claimed_name}”; this platform knows "
                    f"that institution as “{known.name}”."
                )
            self.check("issuer", True, f"{known.name} is an institution of this platform ({site}).")
            name = known.name
        elif self.records.is_site_address(issuer_id):
            trust = {
                "kind": "unknown",
                "id": issuer_id,
                "domain": known_by(issuer_id)[1],
                "name": claimed_name,
                "page": "",
                "label": PROBLEMS["not_platform_issuer"],
            }
            self.check("issuer", False, PROBLEMS["not_platform_issuer"])
            self.flag("unknown_issuer", "not_platform_issuer")
            name = claimed_name
        else:
            kind, domain = known_by(issuer_id)
            name = published_name or claimed_name
            if published_name and claimed_name and published_name != claimed_name:
                self.result.notes.append(
                    f"The credential calls its issuer “{claimed_name}”; the issuer's published "
                    f"profile says “{published_name}”. We show the published name."
                )
            trust = {
                "kind": kind,
                "id": issuer_id,
                "domain": domain,
                "name": name,
                "page": "",
                "label": ISSUER_TRUST[kind],
            }
            impersonated = self.records.issuer_named(name)
            if impersonated is not None:
                by = f"the web domain {domain}" if domain else "a key that nobody vouches for"
                message = (
                    f"It calls itself “{name}”, the name of an institution of this platform, "
                    f"but it was issued by {by}, not by that institution."
                )
                self.check("issuer", False, message)
                self.flag("unknown_issuer", "impersonation", message)
            elif kind == "domain":
                self.check(
                    "issuer",
                    True,
                    f"Known by its web domain {domain}, which publishes the issuer's profile "
                    f"and keys. The name “{name}” is the issuer's own claim."
                    if name
                    else f"Known by its web domain {domain}, which publishes the issuer's keys.",
                )
            else:
                self.check(
                    "issuer",
                    None,
                    f"Self-asserted: the issuer is the key {issuer_id} and nobody confirms "
                    f"its name" + (f" “{name}”." if name else "."),
                )
        self.result.issuer_trust = trust
        if summary is not None and known is None:
            # The awarding body (an EU element) is the issuer's own claim unless we know it.
            where = trust["domain"] or "self-asserted"
            for element in summary.eu_elements:
                if element["label"] == eu_terms.AWARDING_BODY:
                    element["value"] = f"“{element['value']}”, as the issuer calls itself ({where})"
        if summary is not None:
            if isinstance(published, Mapping) and known is None:
                profile = _profile(published)
                summary.issuer.update({k: v for k, v in profile.items() if v})
            summary.issuer["id"] = issuer_id
            summary.issuer["name"] = name
            summary.issuer["domain"] = trust["domain"]
            summary.issuer["trust"] = trust["kind"]
            if known is not None:
                summary.issuer["url"] = safe_url(known.url)

    def _endorser(self, endorser: Any, endorser_id: str, verified: bool) -> dict[str, str]:
        """Name, domain and standing of an endorser, told the same way as the issuer's.

        An endorser is "an institution of this platform" only when its signature verified
        and it stands: naming one of our institutions in an unsigned endorsement proves nothing.
        """
        claimed = _text(endorser.get("name")) if isinstance(endorser, Mapping) else ""
        known = self.records.issuer(endorser_id) if endorser_id else None
        if known is not None and verified:
            return {"name": known.name, "domain": urlsplit(endorser_id).netloc, "trust": "platform"}
        if known is not None:
            return {"name": claimed, "domain": urlsplit(endorser_id).netloc, "trust": "unverified"}
        trust, domain = known_by(endorser_id)
        if self.records.is_site_address(endorser_id) or self.records.issuer_named(claimed):
            trust = "impersonation"
        return {"name": claimed, "domain": domain, "trust": trust}

    def _key_failure(self, fallback: str) -> None:
        error = self._key_error
        if error is None:
            self.check("issuer_key", True, "The signing key is one the issuer publishes.")
            self.check("proof", False, fallback)
            self.flag("tampered", "bad_signature")
            return
        self.check("issuer_key", False, str(error))
        if error.verdict == "unknown_issuer":
            self.check("proof", None, "Not checked: the issuer's keys could not be read.")
        else:
            self.check("proof", False, "Not made with a key of the issuer.")
        self.flag(error.verdict, error.problem, str(error))

    # --- Open Badges 3.0 -----------------------------------------------------------

    def _ob3(self, credential: dict[str, Any], proof_format: str, token: str | None = None) -> None:
        self.result.proof_format = proof_format
        issuer_id = _id_of(credential.get("issuer"))
        self.result.summary = _summary_ob3(credential)
        missing = _ob3_missing(credential)
        if missing:
            self.check("schema", False, "Missing or wrong: " + ", ".join(missing) + ".")
            raise _Stop(
                "not_a_badge",
                "not_a_credential",
                "The credential lacks " + ", ".join(missing) + ".",
            )
        self.check(
            "schema", True, "An Open Badges 3.0 OpenBadgeCredential with every required part."
        )
        assert issuer_id is not None  # noqa: S101 - checked by _ob3_missing
        proof_ok = False
        self._key_error = None
        if token is not None:
            try:
                decoded = jws.decode_vc_jwt(
                    token,
                    lambda header: self.jose_key(header, issuer_id),
                    now=self.now,
                    leeway=_NO_LEEWAY_LIMIT,
                )
            except jws.JWSError as exc:
                self._key_failure(f"The VC-JWT signature does not verify: {exc}.")
            else:
                credential = decoded.credential
                self.check("issuer_key", True, self._key_detail(issuer_id))
                alg = decoded.header.get("alg")
                self.check("proof", True, f"The VC-JWT signature ({alg}) verifies.")
                proof_ok = True
        elif credential.get("proof") is None:
            self.check("proof", False, "The credential carries no proof.")
            self.flag("tampered", "no_proof")
        else:
            ok, reason = dataintegrity.verify_eddsa_rdfc_2022(
                credential, lambda method: self.resolve_key(method, issuer_id), now=self.now
            )
            if ok:
                self.check("issuer_key", True, self._key_detail(issuer_id))
                self.check("proof", True, "The Data Integrity proof (eddsa-rdfc-2022) verifies.")
                proof_ok = True
            else:
                self._key_failure(f"The Data Integrity proof does not verify: {reason}.")
        self._vouch(issuer_id, credential.get("issuer"))
        if proof_ok:
            self._endorsements(credential)
            if not self._platform_status(credential.get("id")):
                self._ob3_status(credential, issuer_id)
        else:
            self.check("status", None, "Not checked: the signature did not verify.")
        self._dates(
            credential.get("validFrom", credential.get("issuanceDate")),
            credential.get("validUntil", credential.get("expirationDate")),
        )
        subject = credential.get("credentialSubject")
        identities = []
        if isinstance(subject, Mapping):
            for identity in _as_list(subject.get("identifier")):
                if isinstance(identity, Mapping) and identity.get("identityType") in (
                    "emailAddress",
                    None,
                ):
                    identities.append(
                        (
                            _text(identity.get("identityHash")),
                            bool(identity.get("hashed")),
                            _text(identity.get("salt")),
                        )
                    )
            if isinstance(subject.get("id"), str) and subject["id"].startswith("mailto:"):
                identities.append((subject["id"], False, ""))
        self._recipient(identities)

    def _is_platform(self) -> bool:
        return (self.result.issuer_trust or {}).get("kind") == "platform"

    def _platform_status(self, credential_id: Any) -> bool:
        """Revocation of one of our own credentials, read from our records: True if ours.

        Only for a credential of an issuer this platform knows, whose address is one of our
        awards of that same issuer; everything else is checked from the issuer's documents.
        """
        trust = self.result.issuer_trust or {}
        if trust.get("kind") != "platform" or not isinstance(credential_id, str):
            return False
        status = self.records.award_status(credential_id)
        known = self.records.issuer(trust["id"])
        if status is None or known is None or status.issuer_public_id != known.public_id:
            return False
        if status.revoked:
            self.result.revocation = {"reason": status.reason, "date": status.date}
            self.check("status", False, "The issuer's records on this platform say: revoked.")
            self.flag("revoked", None, "The issuer revoked this credential.")
        else:
            self.check(
                "status", True, "Not revoked: checked just now in the issuer's records here."
            )
        return True

    def _owns_achievement(self, achievement_id: Any) -> bool:
        """Whether this credential's issuer can be shown to own the achievement it names.

        Anyone may copy a badge's id into their own credential, and with it a genuine
        endorsement of that badge: an endorsement of the achievement counts only when the
        achievement is one of this issuer's own (ours by our records; others by origin).
        """
        trust = self.result.issuer_trust or {}
        if not isinstance(achievement_id, str) or not trust:
            return False
        owner = self.records.badge_issuer(achievement_id)
        if trust.get("kind") == "platform":
            known = self.records.issuer(trust["id"])
            return owner is not None and known is not None and owner == known.public_id
        if owner is not None or self.records.is_site_address(achievement_id):
            self.result.notes.append(
                "The credential names a badge of an institution of this platform as its "
                "achievement, but that institution did not issue it."
            )
            return False
        if trust.get("kind") == "domain" and _URL_RE.match(achievement_id):
            return urlsplit(achievement_id).netloc.lower() == trust.get("domain")
        return False

    def _endorsements(self, credential: Mapping[str, Any]) -> None:
        summary = self.result.summary
        if summary is None:
            return
        achievement = (credential.get("credentialSubject") or {}).get("achievement") or {}
        if not isinstance(achievement, Mapping):
            achievement = {}
        # An endorsement counts only for what it endorses: this credential, or its achievement
        # when the achievement is the issuer's own (a genuine endorsement of another badge,
        # copied in with that badge's id, is not "verified").
        endorsements = _as_list(credential.get("endorsement")) + _as_list(
            achievement.get("endorsement")
        )
        if not endorsements:
            return
        subjects = {credential.get("id")} - {None}
        if self._owns_achievement(achievement.get("id")):
            subjects.add(achievement.get("id"))
        for endorsement in endorsements:
            if not isinstance(endorsement, Mapping):
                continue
            endorser = endorsement.get("issuer")
            endorser_id = _id_of(endorser) or ""
            verified = False
            subject = endorsement.get("credentialSubject")
            about = subject.get("id") if isinstance(subject, Mapping) else None
            if endorser_id and about in subjects and endorsement.get("proof") is not None:
                try:
                    ok, _reason = dataintegrity.verify_eddsa_rdfc_2022(
                        endorsement,
                        lambda method, eid=endorser_id: self.resolve_key(method, eid),
                        now=self.now,
                    )
                    verified = ok
                except Exception:  # noqa: BLE001 - an endorsement never breaks a verdict
                    verified = False
            self._key_error = None
            withdrawn = self.records.endorsement_withdrawn(_text(endorsement.get("id")))
            comment = subject.get("endorsementComment") if isinstance(subject, Mapping) else ""
            standing = self._endorser(endorser, endorser_id, verified and not withdrawn)
            summary.endorsers.append(
                {
                    **standing,
                    "id": endorser_id,
                    "comment": _text(comment),
                    "verified": verified and not withdrawn and standing["trust"] != "impersonation",
                    "withdrawn": bool(withdrawn),
                }
            )

    def _ob3_status(self, credential: Mapping[str, Any], issuer_id: str) -> None:
        entries = [
            e for e in _as_list(credential.get("credentialStatus")) if isinstance(e, Mapping)
        ]
        if not entries:
            self.check("status", None, "The issuer publishes no revocation list for it.")
            return
        details = []
        for entry in entries:
            kind = _as_list(entry.get("type"))
            try:
                if "BitstringStatusListEntry" in kind or "StatusList2021Entry" in kind:
                    details.append(self._bitstring_status(entry, issuer_id, credential))
                elif "1EdTechRevocationList" in kind:
                    details.append(self._revocation_list_status(entry, credential))
                else:
                    details.append(f"status method {kind} is not supported, so not checked")
            except _Stop as stop:
                self.check("status", False, f"The status list could not be checked: {stop.message}")
                self.flag("status_unknown", "status_unavailable", stop.message)
                return
        if self.flags.get("revoked"):
            self.check("status", False, "; ".join(details).capitalize() + ".")
        else:
            self.check("status", True, "; ".join(details).capitalize() + ".")

    def _bitstring_status(
        self, entry: Mapping[str, Any], issuer_id: str, credential: Mapping[str, Any]
    ) -> str:
        url = entry.get("statusListCredential")
        purpose = entry.get("statusPurpose", "revocation")
        try:
            index = int(entry.get("statusListIndex"))
            size = int(entry.get("statusSize", 1))
        except (TypeError, ValueError) as exc:
            raise _Stop(
                "unknown_issuer", "status_unavailable", "the status index is not a number"
            ) from exc
        if not isinstance(url, str):
            raise _Stop("unknown_issuer", "status_unavailable", "no status list address")
        response, remember = self._status_fetch(url, _VC_ACCEPT)
        text = response.text().strip()
        if _JWS_RE.match(text):
            try:
                decoded = jws.decode_vc_jwt(
                    text,
                    lambda header: self.jose_key(header, issuer_id),
                    now=self.now,
                    leeway=_NO_LEEWAY_LIMIT,
                )
            except jws.JWSError as exc:
                raise _Stop(
                    "unknown_issuer", "status_unavailable", f"its signature fails: {exc}"
                ) from exc
            status_credential = decoded.credential
        else:
            try:
                status_credential = _loads(text)
            except ValueError as exc:
                raise _Stop("unknown_issuer", "status_unavailable", "it is not JSON") from exc
            if not isinstance(status_credential, dict):
                raise _Stop("unknown_issuer", "status_unavailable", "it is not a credential")
            if status_credential.get("proof") is None:
                raise _Stop("unknown_issuer", "status_unavailable", "the status list is not signed")
            self._verify_status_proof(status_credential, response.body, issuer_id)
        if _id_of(status_credential.get("issuer")) != issuer_id:
            raise _Stop(
                "unknown_issuer", "status_unavailable", "the status list has another issuer"
            )
        subject = status_credential.get("credentialSubject") or {}
        if not isinstance(subject, Mapping):
            raise _Stop("unknown_issuer", "status_unavailable", "the status list is malformed")
        remember(subject.get("ttl"))
        purposes = _as_list(subject.get("statusPurpose"))
        if purpose not in purposes:
            raise _Stop("unknown_issuer", "status_unavailable", f"the list is not for {purpose}")
        try:
            bits = statuslist.BitstringStatusList.decode(subject.get("encodedList", ""), size)
            value = bits.get(index)
        except statuslist.StatusListError as exc:
            raise _Stop("unknown_issuer", "status_unavailable", str(exc)) from exc
        if value and purpose in ("revocation", "suspension"):
            self.result.revocation = self._revocation_details(credential, purpose)
            self.flag("revoked", None, "The issuer revoked this credential.")
            word = "revoked" if purpose == "revocation" else "suspended"
            return f"the issuer's signed status list marks it {word}"
        word = "revoked" if purpose == "revocation" else "suspended"
        return f"not {word} in the issuer's signed status list"

    def _status_fetch(self, url: str, accept: str) -> tuple[FetchResult, Callable[[Any], None]]:
        """A status list, cached no longer than its ``ttl`` (and never ours: always fresh).

        Returns the answer and ``remember(ttl)``, to call once the list has been checked:
        only a list that verified is cached, for the shorter of its ``ttl`` (milliseconds)
        and ``VERIFY_STATUS_CACHE_SECONDS``.
        """
        from django.core.cache import cache

        key = "verify-status:" + hashlib.sha256(f"{accept}\n{url}".encode()).hexdigest()
        cached = cache.get(key)
        if isinstance(cached, dict):
            return FetchResult(**cached), lambda ttl: None
        try:
            response = self.get(url, accept=accept, use_cache=False)
        except _Stop as stop:
            raise _Stop("status_unknown", "status_unavailable", stop.message) from stop
        if not response.ok:
            raise _Stop(
                "status_unknown", "status_unavailable", f"HTTP {response.status} from {url}"
            )

        def remember(ttl: Any) -> None:
            if self.records.is_site_address(url):
                return
            seconds = float(settings.VERIFY_STATUS_CACHE_SECONDS)
            if isinstance(ttl, int | float) and not isinstance(ttl, bool) and ttl >= 0:
                seconds = min(seconds, ttl / 1000)
            if seconds >= 1:
                cache.set(key, dict(response.__dict__), int(seconds))

        return response, remember

    def _verify_status_proof(self, document: dict[str, Any], body: bytes, issuer_id: str) -> None:
        """Verify the status list's proof once per (issuer, exact bytes) per cache period.

        A status list is a large credential and canonicalising it costs most of a
        verification; the same bytes signed by the same issuer need checking only once.
        """
        from django.core.cache import cache

        digest = hashlib.sha256(issuer_id.encode() + b"\n" + body).hexdigest()
        key = f"verify-statuslist-ok:{digest}"
        if cache.get(key):
            return
        ok, reason = dataintegrity.verify_eddsa_rdfc_2022(
            document, lambda method: self.resolve_key(method, issuer_id), now=self.now
        )
        if not ok:
            raise _Stop("unknown_issuer", "status_unavailable", f"its proof fails: {reason}")
        seconds = getattr(settings, "VERIFY_FETCH_CACHE_SECONDS", 60)
        cache.set(key, True, seconds)

    def _revocation_list_status(
        self, entry: Mapping[str, Any], credential: Mapping[str, Any]
    ) -> str:
        url = entry.get("id") or entry.get("statusListCredential")
        if not isinstance(url, str) or not _URL_RE.match(url):
            raise _Stop("unknown_issuer", "status_unavailable", "no revocation list address")
        response, remember = self._status_fetch(url.split("#", 1)[0], _JSON_ACCEPT)
        try:
            document = _loads(response.body)
        except (ValueError, RecursionError) as exc:
            raise _Stop("status_unknown", "status_unavailable", "it is not JSON") from exc
        if not isinstance(document, Mapping):
            raise _Stop("status_unknown", "status_unavailable", "it is not a revocation list")
        remember(None)
        revoked = _as_list(document.get("revokedCredentials"))
        for item in revoked:
            if _id_of(item) == credential.get("id"):
                reason = _text(item.get("revocationReason")) if isinstance(item, Mapping) else ""
                self.result.revocation = {"reason": reason, "date": ""}
                self.flag("revoked", None, "The issuer revoked this credential.")
                return "the issuer's revocation list lists it"
        return "not in the issuer's revocation list"

    def _revocation_details(self, credential: Mapping[str, Any], purpose: str) -> dict[str, str]:
        """Reason and date, when the issuer publishes them (a revoked hosted assertion does)."""
        details = {
            "reason": "" if purpose == "revocation" else "suspended by the issuer",
            "date": "",
        }
        credential_id = credential.get("id")
        issuer_id = _id_of(credential.get("issuer")) or ""
        same_origin = (
            isinstance(credential_id, str)
            and _URL_RE.match(credential_id) is not None
            and _URL_RE.match(issuer_id) is not None
            and urlsplit(credential_id).netloc == urlsplit(issuer_id).netloc
        )
        if same_origin:  # only the issuer's own server may tell why it revoked
            try:
                response = self.get(credential_id, accept="application/ld+json")
                document = _loads(response.body)
            except (_Stop, ValueError):
                document = None
            if isinstance(document, Mapping) and document.get("revoked"):
                details["reason"] = _text(document.get("revocationReason")) or details["reason"]
                details["date"] = _text(document.get("revokedOn") or document.get("revocationDate"))
        return details

    # --- Open Badges 2.0 -----------------------------------------------------------

    def _ob2(
        self,
        assertion: dict[str, Any],
        *,
        supplied: bool,
        token: str | None = None,
        gone: bool = False,
    ) -> None:
        verify = assertion.get("verify") or assertion.get("verification") or {}
        method = _text(verify.get("type") if isinstance(verify, Mapping) else "").lower()
        hosted = method in ("hosted", "hostedbadge")
        self.result.proof_format = (
            "signed" if token or method in ("signed", "signedbadge") else "hosted"
        )
        self.result.summary = _summary_ob2(assertion, {}, {})
        missing = [
            name
            for name in ("id", "recipient", "badge", "verify", "issuedOn")
            if not assertion.get(name) and not (name == "verify" and assertion.get("verification"))
        ]
        if missing:
            self.check("schema", False, "Missing: " + ", ".join(missing) + ".")
            raise _Stop(
                "not_a_badge", "not_a_credential", "The assertion lacks " + ", ".join(missing) + "."
            )
        if gone or assertion.get("revoked"):
            self._ob2_revoked(assertion)
        if token is None and hosted:
            assertion = self._ob2_hosted(assertion, supplied)
        elif token is not None:
            assertion = self._ob2_signed(assertion, token)
        else:
            self.check("proof", False, "A signed assertion was given without its signature.")
            raise _Stop("tampered", "no_proof")
        badge = self._ob2_published(assertion.get("badge"), "badge class")
        issuer = self._ob2_published(badge.get("issuer"), "issuer profile")
        self.result.summary = _summary_ob2(assertion, badge, issuer)
        missing = [n for n in ("name", "description", "criteria", "issuer") if not badge.get(n)]
        if missing or not issuer.get("name"):
            self.check("schema", False, "The badge class or issuer lacks required fields.")
            raise _Stop("not_a_badge", "not_a_credential", "The badge class is incomplete.")
        self.check("schema", True, "An Open Badges 2.0 Assertion with its BadgeClass and Issuer.")
        issuer_id = _id_of(issuer) or ""
        if hosted and token is None:
            self._ob2_scope(assertion, issuer, issuer_id)
        else:
            self._ob2_key_owner(issuer, issuer_id)
        self._vouch(issuer_id, issuer)
        platform = self._platform_status(assertion.get("id"))
        if hosted and token is None and not platform and self._is_platform():
            # Our institutions' hosted assertions are our awards, nothing else on the site.
            self.check("issuer_key", False, "This platform holds no such credential of the issuer.")
            self.flag("tampered", "key_not_issuers", "The issuer never issued this assertion.")
        if not platform and not self.flags.get("revoked"):
            self._ob2_revocation_list(assertion, issuer, required=token is not None)
        self._dates(assertion.get("issuedOn"), assertion.get("expires"))
        recipient = assertion.get("recipient") or {}
        identities = []
        if isinstance(recipient, Mapping) and recipient.get("type", "email") == "email":
            identities.append(
                (
                    _text(recipient.get("identity")),
                    bool(recipient.get("hashed")),
                    _text(recipient.get("salt")),
                )
            )
        self._recipient(identities)

    def _ob2_revoked(self, assertion: Mapping[str, Any]) -> None:
        self.result.revocation = {
            "reason": _text(assertion.get("revocationReason")),
            "date": _text(assertion.get("revokedOn") or assertion.get("revocationDate")),
        }
        self.check("status", False, "The issuer's hosted assertion says it is revoked.")
        self.flag("revoked", None, "The issuer revoked this credential.")

    def _ob2_hosted(self, assertion: dict[str, Any], supplied: bool) -> dict[str, Any]:
        url = assertion.get("id")
        if not isinstance(url, str) or not _URL_RE.match(url):
            self.check("proof", False, "A hosted assertion must have a web address as its id.")
            raise _Stop("not_a_badge", "not_a_credential", "The hosted assertion has no address.")
        status, hosted = self.get_json(url, "hosted assertion", allow_gone=True)
        if not isinstance(hosted, dict):
            raise _Stop("unknown_issuer", "unreachable", "The hosted assertion is not JSON.")
        if status == 410 or hosted.get("revoked"):
            self.check("proof", True, f"The issuer hosts this assertion at {url}.")
            if not self.flags.get("revoked"):
                self._ob2_revoked(hosted)
            return hosted if hosted.get("badge") else assertion
        if supplied and _strip_revocation(hosted) != _strip_revocation(assertion):
            self.check(
                "proof",
                False,
                "The copy you gave differs from the assertion the issuer hosts at its address.",
            )
            raise _Stop("tampered", "copy_differs")
        self.check("proof", True, f"Hosted by the issuer at {url}, and it matches.")
        return hosted

    def _ob2_signed(self, assertion: dict[str, Any], token: str) -> dict[str, Any]:
        verify = assertion.get("verify") or assertion.get("verification") or {}
        creator = verify.get("creator") if isinstance(verify, Mapping) else None
        if not isinstance(creator, str):
            self.check(
                "proof", False, "The signed assertion does not name its key (verify.creator)."
            )
            raise _Stop("tampered", "bad_signature")
        _status, key_document = self.get_json(creator, "public key")
        if not isinstance(key_document, Mapping) or key_document.get("id") != creator:
            # The document must be the one at its own address: a copy that names another
            # key's address (the issuer's real key, say) proves nothing about it.
            self.check("issuer_key", False, "The key document is not the key at its address.")
            raise _Stop("tampered", "key_not_issuers", "The signing key is not the issuer's.")
        key = _key_from_method(key_document)
        if not isinstance(key, rsa.RSAPublicKey):
            raise _Stop("unknown_issuer", "unreachable", "The public key could not be read.")
        try:
            verified = jws.verify_ob2_assertion(token, key)
        except jws.JWSError as exc:
            self.check("proof", False, f"The signature does not verify: {exc}.")
            raise _Stop("tampered", "bad_signature") from exc
        self._ob2_key = key_document
        self.check("proof", True, "The RS256 signature verifies.")
        return verified

    def _ob2_key_owner(self, issuer: Mapping[str, Any], issuer_id: str) -> None:
        """A signed assertion's key must be listed by the fetched issuer *and* owned by it."""
        key_document = self._ob2_key
        creator = key_document.get("id")  # the address it was fetched from (checked)
        owner = key_document.get("owner")
        listed = [_id_of(k) for k in _as_list(issuer.get("publicKey"))]
        if owner != issuer_id:
            self.check("issuer_key", False, "The key's owner is not the badge's issuer.")
            self.flag("tampered", "key_not_issuers")
        elif creator not in listed:
            self.check(
                "issuer_key", False, "The issuer's published profile does not list this key."
            )
            self.flag("tampered", "key_not_issuers")
        else:
            self.check(
                "issuer_key", True, f"The key is listed and owned by the issuer {issuer_id}."
            )

    def _ob2_published(self, value: Any, what: str) -> dict[str, Any]:
        """The issuer's own copy of a BadgeClass or Issuer, fetched from its id.

        An embedded copy is never trusted (anyone can write one): it is compared with the
        published document, and a difference is told, not believed.
        """
        address = _id_of(value)
        if not isinstance(address, str) or not _URL_RE.match(address):
            if isinstance(value, Mapping) or value:
                raise _Stop(
                    "unknown_issuer",
                    "unreachable",
                    f"The {what} has no web address, so the issuer's own copy cannot be checked.",
                )
            raise _Stop("not_a_badge", "not_a_credential", f"The {what} is missing.")
        _status, document = self.get_json(address, what)
        if not isinstance(document, dict):
            raise _Stop("unknown_issuer", "unreachable", f"The {what} at {address} is not JSON.")
        if document.get("id") != address:
            raise _Stop(
                "unknown_issuer",
                "unreachable",
                f"The {what} at {address} names another address as its id.",
            )
        if isinstance(value, Mapping):
            embedded = {k: v for k, v in value.items() if k != "@context"}
            published = {k: v for k, v in document.items() if k != "@context"}
            if embedded != published:
                self.result.notes.append(
                    f"The {what} embedded in the credential differs from the one its issuer "
                    f"publishes at {address}; we checked and show the published one."
                )
        return document

    def _ob2_scope(
        self, assertion: Mapping[str, Any], issuer: Mapping[str, Any], issuer_id: str
    ) -> None:
        url = str(assertion.get("id"))
        policy = issuer.get("verification") or {}
        starts = [
            str(s)
            for s in _as_list(policy.get("startsWith") if isinstance(policy, Mapping) else None)
        ]
        origins = [
            str(s)
            for s in _as_list(policy.get("allowedOrigins") if isinstance(policy, Mapping) else None)
        ]
        host = urlsplit(url).netloc.lower()
        if starts:
            allowed = any(url.startswith(s) for s in starts)
        elif origins:
            allowed = host in [o.lower() for o in origins]
        else:
            allowed = host == urlsplit(issuer_id).netloc.lower()
        if allowed:
            self.check("issuer_key", True, f"Hosted on the issuer's own domain ({host}).")
        else:
            self.check("issuer_key", False, f"Hosted at {host}, which the issuer does not allow.")
            self.flag(
                "tampered",
                "key_not_issuers",
                "The assertion is hosted outside the issuer's domain.",
            )

    def _ob2_revocation_list(
        self, assertion: Mapping[str, Any], issuer: Mapping[str, Any], required: bool
    ) -> None:
        url = issuer.get("revocationList")
        if not isinstance(url, str):
            if "status" not in self.checks:
                self.check(
                    "status",
                    None if required else True,
                    "The issuer publishes no revocation list; the hosted assertion is not revoked."
                    if not required
                    else "The issuer publishes no revocation list.",
                )
            return
        try:
            _status, document = self.get_json(url, "revocation list")
        except _Stop as stop:
            if required:
                self.check(
                    "status", False, f"The revocation list could not be read: {stop.message}"
                )
                self.flag("status_unknown", "status_unavailable")
            else:
                self.check("status", True, "The hosted assertion is not revoked.")
            return
        assertion_id = assertion.get("id")
        uid = assertion.get("uid")
        for item in _as_list((document or {}).get("revokedAssertions")):
            item_id = _id_of(item)
            item_uid = item.get("uid") if isinstance(item, Mapping) else None
            if (item_id and item_id == assertion_id) or (uid and item_uid == uid):
                self.result.revocation = {
                    "reason": _text(item.get("revocationReason"))
                    if isinstance(item, Mapping)
                    else "",
                    "date": "",
                }
                self.check("status", False, "The issuer's revocation list lists it.")
                self.flag("revoked", None, "The issuer revoked this credential.")
                return
        self.check("status", True, "Not in the issuer's revocation list.")

    # --- shared checks ------------------------------------------------------------

    def _dates(self, valid_from: Any, valid_until: Any) -> None:
        start = _parse_date(valid_from)
        end = _parse_date(valid_until)
        if start is None:
            self.check("dates", False, "The date of issue is missing or not a date.")
            self.flag(
                "not_a_badge", "not_a_credential", "The credential has no valid date of issue."
            )
            return
        if start > self.now:
            self.check("dates", False, f"Valid only from {start.date().isoformat()}.")
            self.flag("not_yet_valid")
        elif end is not None and end < self.now:
            self.check("dates", False, f"Expired on {end.date().isoformat()}.")
            self.flag("expired")
        elif end is not None:
            self.check(
                "dates",
                True,
                f"Issued {start.date().isoformat()}, valid until {end.date().isoformat()}.",
            )
        else:
            self.check("dates", True, f"Issued {start.date().isoformat()}, does not expire.")

    def _recipient(self, identities: list[tuple[str, bool, str]]) -> None:
        if self.email is None:
            self.check("recipient", None, "Not checked: enter the e-mail the candidate gave you.")
            return
        if not identities:
            self.check("recipient", False, "The credential names no e-mail identity to compare.")
            self.result.recipient_matched = False
            self.flag("not_recipient", "no_recipient_identity")
            return
        matched = any(_identity_matches(self.email, *identity) for identity in identities)
        self.result.recipient_matched = matched
        if matched:
            self.check("recipient", True, "Issued to the e-mail address you entered.")
        else:
            self.check("recipient", False, "Not issued to the e-mail address you entered.")
            self.flag("not_recipient", "recipient_mismatch")


# --- detection and summaries --------------------------------------------------------


def _is_ob3(document: Mapping[str, Any]) -> bool:
    contexts = [c for c in _contexts(document) if isinstance(c, str)]
    types = _types(document)
    return (CREDENTIALS_V2 in contexts or CREDENTIALS_V1 in contexts) and bool(
        {"OpenBadgeCredential", "AchievementCredential"} & set(types)
    )


def _is_ob2(document: Mapping[str, Any]) -> bool:
    contexts = [c for c in _contexts(document) if isinstance(c, str)]
    types = _types(document)
    if any(
        c.rstrip("/") in (OB2_CONTEXT, "https://openbadgespec.org/v2/context.json")
        for c in contexts
    ):
        return "Assertion" in types or not types
    return "Assertion" in types and "badge" in document


def _ob3_missing(credential: Mapping[str, Any]) -> list[str]:
    missing = []
    contexts = [c for c in _contexts(credential) if isinstance(c, str)]
    if not contexts or contexts[0] not in (CREDENTIALS_V2, CREDENTIALS_V1):
        missing.append("the VC @context first")
    if not any(c.startswith(OB3_CONTEXT_PREFIX) for c in contexts):
        missing.append("the Open Badges 3.0 @context")
    if "VerifiableCredential" not in _types(credential):
        missing.append("type VerifiableCredential")
    if not _id_of(credential.get("issuer")):
        missing.append("issuer.id")
    if not (credential.get("validFrom") or credential.get("issuanceDate")):
        missing.append("validFrom")
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if not isinstance(achievement, Mapping):
        missing.append("credentialSubject.achievement")
    else:
        for name in ("name", "criteria"):
            if not achievement.get(name):
                missing.append(f"achievement.{name}")
    return missing


def _strip_revocation(document: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in ("revoked", "revocationReason")}


def _image(value: Any) -> str:
    return safe_url(_id_of(value))


def _profile(issuer: Any) -> dict[str, str]:
    if not isinstance(issuer, Mapping):
        return {"id": _id_of(issuer) or "", "name": ""}
    return {
        "id": _id_of(issuer) or "",
        "name": _text(issuer.get("name")),
        "url": safe_url(_id_of(issuer.get("url"))),
        "email": _text(issuer.get("email")),
        "description": _text(issuer.get("description")),
        "image": _image(issuer.get("image")),
    }


def _alignments(values: Any) -> list[dict[str, str]]:
    out = []
    for item in _as_list(values):
        if isinstance(item, Mapping):
            out.append(
                {
                    "name": _text(item.get("targetName")),
                    "url": safe_url(item.get("targetUrl")),
                    "code": _text(item.get("targetCode")),
                    "framework": _text(item.get("targetFramework")),
                    "description": _text(item.get("targetDescription")),
                }
            )
    return out


def _evidence(values: Any) -> list[dict[str, str]]:
    out = []
    for item in _as_list(values):
        if isinstance(item, str):
            url = safe_url(item)
            out.append({"name": "" if url else item, "narrative": "", "url": url})
        elif isinstance(item, Mapping):
            out.append(
                {
                    "name": _text(item.get("name")),
                    "narrative": _text(item.get("narrative") or item.get("description")),
                    "url": safe_url(item.get("id") or item.get("url")),
                }
            )
    return out


# Keys under which EU micro-credential elements may travel in others' documents (OB 2.0
# badge classes, OB 3.0 extensions of other issuers): ours (credentials.standards.eu_terms) and a
# few common spellings. Our OB 3.0 credentials are read by eu_terms.elements itself.
_EU_LABELS = {
    **{
        key: label
        for key, label in eu_terms.ELEMENT_LABELS.items()
        if "." not in key and key not in ("alignment", "address", "creator", "mode")
    },
    "learningOutcomes": eu_terms.OUTCOMES,
    "workload": eu_terms.WORKLOAD,
    "notionalWorkload": eu_terms.WORKLOAD,
    "typeOfAssessment": eu_terms.ASSESSMENT,
    "formOfParticipation": eu_terms.PARTICIPATION,
    "supervisionAndIdentity": eu_terms.SUPERVISION,
    "stackability": eu_terms.INTEGRATION,
    "country": eu_terms.COUNTRY,
}


def _eu_elements(*sources: Any) -> list[dict[str, str]]:
    found: dict[str, str] = {}

    def visit(node: Any, depth: int) -> None:
        if depth > 3 or not isinstance(node, Mapping):
            return
        for key, value in node.items():
            short = str(key).rsplit(":", 1)[-1].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if short in _EU_LABELS and _EU_LABELS[short] not in found:
                if isinstance(value, list):
                    text = "; ".join(_text(v) for v in value if _text(v))
                elif isinstance(value, Mapping):
                    text = ", ".join(f"{_text(v)}" for v in value.values() if _text(v))
                else:
                    text = _text(value)
                if text:
                    found[_EU_LABELS[short]] = text
            elif isinstance(value, Mapping) and (
                "micro" in str(key).lower()
                or "eu" in str(key).lower()
                or "extension" in str(key).lower()
            ):
                visit(value, depth + 1)

    for source in sources:
        visit(source, 0)
    return [{"label": label, "value": value} for label, value in found.items()]


def _summary_ob3(credential: Mapping[str, Any]) -> Summary:
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, Mapping) else {}
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, Mapping) else {}
    learner = _text(subject.get("name"))
    for identity in _as_list(subject.get("identifier")):
        if (
            not learner
            and isinstance(identity, Mapping)
            and identity.get("identityType") == "name"
            and not identity.get("hashed")
        ):
            learner = _text(identity.get("identityHash"))
    criteria = achievement.get("criteria")
    return Summary(
        learner=learner,
        badge={
            "id": _id_of(achievement) or "",
            "name": _text(achievement.get("name")),
            "description": _text(achievement.get("description")),
            "image": _image(achievement.get("image")),
            "criteria": _text(criteria.get("narrative")) if isinstance(criteria, Mapping) else "",
            "criteria_url": safe_url(_id_of(criteria)),
            "type": _text(achievement.get("achievementType")),
        },
        issuer=_profile(credential.get("issuer")),
        issued_on=_text(credential.get("validFrom") or credential.get("issuanceDate")),
        valid_until=_text(credential.get("validUntil") or credential.get("expirationDate")),
        competences=_alignments(achievement.get("alignment")),
        eu_elements=[
            {"label": element.label, "value": element.value}
            for element in eu_terms.elements(credential)
        ]
        or _eu_elements(achievement, credential),
        evidence=_evidence(credential.get("evidence")),
        credential_id=_text(credential.get("id")),
    )


def _summary_ob2(
    assertion: Mapping[str, Any], badge: Mapping[str, Any], issuer: Mapping[str, Any]
) -> Summary:
    criteria = badge.get("criteria")
    endorsers = []
    for endorsement in _as_list(badge.get("endorsement")) + _as_list(issuer.get("endorsement")):
        if isinstance(endorsement, Mapping):
            endorser = endorsement.get("issuer")
            endorsers.append(
                {
                    "name": _text(endorser.get("name")) if isinstance(endorser, Mapping) else "",
                    "id": _id_of(endorser) or "",
                    "comment": _text((endorsement.get("claim") or {}).get("endorsementComment")),
                    "verified": False,
                }
            )
    recipient = assertion.get("recipient")
    return Summary(
        learner=_text(
            assertion.get("recipientName")
            or (recipient.get("name") if isinstance(recipient, Mapping) else "")
        ),
        badge={
            "id": _id_of(badge) or _id_of(assertion.get("badge")) or "",
            "name": _text(badge.get("name")),
            "description": _text(badge.get("description")),
            "image": _image(badge.get("image")) or _image(assertion.get("image")),
            "criteria": _text(criteria.get("narrative")) if isinstance(criteria, Mapping) else "",
            "criteria_url": safe_url(_id_of(criteria)),
            "type": "",
        },
        issuer=_profile(issuer) if issuer else {"id": "", "name": ""},
        endorsers=endorsers,
        issued_on=_text(assertion.get("issuedOn")),
        valid_until=_text(assertion.get("expires")),
        competences=_alignments(badge.get("alignment")),
        eu_elements=_eu_elements(badge, assertion),
        evidence=_evidence(assertion.get("evidence")),
        credential_id=_text(assertion.get("id")),
    )


# --- public API --------------------------------------------------------------------


def verify(
    source: bytes | str,
    *,
    email: str | None = None,
    now: datetime | None = None,
    fetcher: Callable[..., FetchResult] | None = None,
    records: SiteRecords | None = None,
) -> VerificationResult:
    """Verify ``source`` (image bytes, JSON / JWT text, a URL or an award UUID).

    ``fetcher`` reaches documents (default :func:`credentials.verify.fetch.fetch`); ``records``
    answers who this platform's institutions are and whether one of our own awards is
    revoked (default :class:`credentials.verify.site.SiteRecords`).
    Never raises for bad input: every problem becomes a verdict.
    """
    verifier = _Verifier(
        email, now or datetime.now(UTC), fetcher or fetch, records or SiteRecords()
    )
    try:
        return verifier.run(source)
    except Exception:  # noqa: BLE001 - a verifier must answer, whatever it is given
        import logging

        logging.getLogger(__name__).exception("verification failed unexpectedly")
        verifier.flag("not_a_badge", "not_a_credential", "This could not be read as an Open Badge.")
        return verifier.finish()


# --- counting (no personal data) ---------------------------------------------------


def record_verification(badge_class_id: str, issuer_id: str, verdict: str) -> None:
    """Count one verification by badge class and issuer (their public ids) and verdict."""
    from credentials.models import VerificationCount

    VerificationCount.record((badge_class_id or "")[:500], (issuer_id or "")[:500], verdict)


def verification_counts() -> list[dict[str, Any]]:
    """Every counted (badge class, issuer, verdict) with its count, largest first."""
    from credentials.models import VerificationCount

    return VerificationCount.totals()
