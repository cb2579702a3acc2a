"""The verification API (django-ninja), mounted at /api/v1/.

``POST /api/v1/verify`` takes a multipart upload (``file``, optional ``email``) or a JSON body
with exactly one of ``url``, ``credential`` (object or text), ``jwt`` or ``id`` (an award UUID or
URL from a QR code), plus an optional ``email``. Every verification answers 200 with the same
result shape whatever the verdict, except a body too large to read (413, still a result).
Malformed requests get 400 with a field and a reason; too many requests from one address 429.
OpenAPI: /api/v1/openapi.json, docs: /api/v1/docs (Swagger UI) and /api/v1/redoc (ReDoc), both
served from our static files (credentials/web/api_docs.py).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema, Status

from credentials.verify.engine import VERDICTS
from credentials.web import api_docs, views_verify

api = NinjaAPI(
    title="Co-Create Academy: credential verification",
    version="1",
    description=(
        "Verify any Open Badge (2.0 hosted or signed, 3.0 with a Data Integrity proof or as a "
        "VC-JWT, baked in a PNG or SVG or not) and CLR 2.0 learner records with every "
        "credential in them: our own and other issuers'. No account needed."
    ),
    urls_namespace="api-v1",
    docs=api_docs.swagger,
    docs_url="/docs",
)

Verdict = Literal[VERDICTS]  # type: ignore[valid-type]


class CheckOut(Schema):
    name: Literal[
        "schema", "proof", "issuer_key", "issuer", "status", "dates", "recipient", "embedded"
    ]
    label: str
    passed: bool | None
    detail: str


class EmbeddedOut(Schema):
    """One credential inside a CLR 2.0 learner record, verified on its own."""

    number: int
    id: str
    name: str
    issuer: str
    status: Verdict
    headline: str
    problem: str | None
    valid: bool
    checks: list[CheckOut]


class RecordOut(Schema):
    """A CLR 2.0 learner record (a ClrCredential): what it holds and each credential's verdict.

    The record's ``status`` is ``valid`` only when its own proof holds and every embedded
    credential verifies; otherwise it is the worst of their verdicts (problem
    ``embedded_fails``, the message naming the credential). ``failing`` counts the embedded
    credentials that do not verify (tampered, revoked, not about the record's learner…),
    ``unchecked`` those left unchecked because the record is too large to check at once.
    """

    achievements: int
    associations: int
    failing: int
    unchecked: int = 0
    credentials: list[EmbeddedOut]


class CredentialOut(Schema):
    learner: str
    badge: dict[str, Any]
    issuer: dict[str, Any]
    endorsers: list[dict[str, Any]]
    issued_on: str
    valid_until: str
    competences: list[dict[str, str]]
    eu_elements: list[dict[str, str]]
    evidence: list[dict[str, str]]
    credential_id: str
    # OB 3.0: the language the achievement is written in, and the other language editions
    # the credential links (related achievements with a language; only http(s) addresses).
    language: str = ""
    editions: list[dict[str, str]] = []


class IssuerTrustOut(Schema):
    """Who vouches for the issuer: never its name alone."""

    kind: Literal["platform", "domain", "self_asserted", "unknown"]
    id: str
    domain: str
    name: str
    page: str
    label: str


class VerifyOut(Schema):
    status: Verdict
    headline: str
    problem: str | None
    message: str
    version: Literal["2.0", "3.0"] | None
    proof_format: Literal["hosted", "signed", "data-integrity", "vc-jwt"] | None
    source: str | None
    revocation: dict[str, str] | None
    recipient_matched: bool | None
    issuer_trust: IssuerTrustOut | None
    notes: list[str]
    checks: list[CheckOut]
    credential: CredentialOut | None
    record: RecordOut | None = None


class VerifyIn(Schema):
    url: str | None = None
    credential: dict[str, Any] | str | None = None
    jwt: str | None = None
    id: str | None = None
    email: str | None = None


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    retry_after: int | None = None


_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": VerifyIn.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "email": {"type": "string", "format": "email"},
                },
                "required": ["file"],
            }
        },
    },
}


def _error(status: int, detail: str, field: str | None = None, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, "field": field, **extra}, status=status)


def _json_input(request: HttpRequest) -> tuple[Any, str | None] | JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):
        return _error(400, _("The request body is not valid JSON."), "body")
    if not isinstance(body, dict):
        return _error(400, _("The request body must be a JSON object."), "body")
    given = [name for name in ("url", "credential", "jwt", "id") if body.get(name)]
    if len(given) != 1:
        return _error(
            400, _("Give exactly one of url, credential, jwt or id (or upload a file)."), "body"
        )
    name = given[0]
    value = body[name]
    if name == "credential" and isinstance(value, dict | list):
        value = json.dumps(value)
    if not isinstance(value, str):
        return _error(400, _("%(field)s must be a string.") % {"field": name}, name)
    email = body.get("email")
    if email is not None and not isinstance(email, str):
        return _error(400, _("%(field)s must be a string.") % {"field": "email"}, "email")
    return value, email


@api.post(
    "/verify",
    response={200: VerifyOut, 400: ErrorOut, 413: VerifyOut, 429: ErrorOut},
    summary="Verify an Open Badge",
    description=(
        "Upload a file (multipart field `file`) or send JSON with one of `url`, `credential`, "
        "`jwt`, `id`. Optional `email`: compared with the credential's hashed recipient "
        "identity, never stored; if it does not match, `status` is `not_recipient`. `status` "
        "is one of: " + ", ".join(VERDICTS) + ". `issuer_trust.kind` says who vouches for the "
        "issuer: `platform` (an institution of this site), `domain` (the web domain that "
        "publishes its keys; the name is its own claim) or `self_asserted` (nobody). "
        "A CLR 2.0 learner record (`ClrCredential`) is checked as a whole and each credential "
        "it embeds on its own, and must be about the record's learner: `record.credentials` "
        "lists each one's verdict, `record.failing` counts those that do not verify, and "
        "`status` is `valid` only if none fails (else the worst of their verdicts, with "
        "`problem` `embedded_fails`). A record has one time and fetch budget: credentials "
        "beyond it are `unchecked` (problem `record_too_large`)."
    ),
    openapi_extra={"requestBody": _REQUEST_BODY},
    operation_id="verify",
)
def verify(request: HttpRequest):
    if views_verify.body_too_large(request):
        result = views_verify.too_large_result()  # not a check of any credential: not counted
        return Status(413, result.as_dict())
    wait = views_verify.rate_limited(request)
    if wait is not None:
        response = _error(
            429,
            ngettext(
                "Too many verifications from your address. Try again in %(n)s second.",
                "Too many verifications from your address. Try again in %(n)s seconds.",
                wait,
            )
            % {"n": wait},
            retry_after=wait,
        )
        response["Retry-After"] = str(wait)
        return response
    content_type = request.content_type or ""
    if content_type.startswith("multipart/form-data"):
        try:
            upload = request.FILES.get("file")
        except MultiPartParserError:  # no or a broken boundary: Django would answer in HTML
            return _error(400, _("The multipart body could not be read."), "file")
        if upload is None:
            return _error(400, _("Upload the badge as the multipart field 'file'."), "file")
        if upload.size > views_verify.MAX_INPUT_BYTES:
            result = views_verify.too_large_result()
            return Status(413, result.as_dict())
        if upload.size == 0:
            return _error(400, _("The uploaded file is empty."), "file")
        source: bytes | str = upload.read()
        email = request.POST.get("email") or None
    else:
        parsed = _json_input(request)
        if isinstance(parsed, JsonResponse):
            return parsed
        source, email = parsed
    if not source.strip():
        return _error(400, _("Nothing to verify: the value is empty."), "body")
    result = views_verify.run_verification(source, email, request)
    return Status(200, result.as_dict())


# ``include("credentials.web.api")`` from cms/urls.py: the API's URLs under its own namespace.
urlpatterns = [
    *api.urls[0],
    path(
        "redoc",
        api_docs.redoc,
        {"namespace": api.urls_namespace, "title": api.title},
        name="redoc",
    ),
]
app_name = api.urls_namespace
