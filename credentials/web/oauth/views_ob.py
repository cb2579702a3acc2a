"""The Open Badges 3.0 API (1EdTech Service Provider / Host), at /ims/ob/v3p0/.

- ``GET discovery``: the OpenAPI document (no token).
- ``GET credentials`` (credential.readonly): the learner's own signed awards and the credentials
  they imported, ``limit`` / ``offset`` / ``since``, X-Total-Count and a Link header.
- ``POST credentials`` (credential.upsert): a credential from another issuer, JSON or a compact
  JWS, kept byte for byte (credentials.services.imports); 201 created, 200 replaced.
- ``GET profile`` (profile.readonly), ``PUT profile`` (profile.update: the display name only).
"""

from __future__ import annotations

import json
from datetime import UTC
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from credentials.web.oauth import discovery, ob_data
from credentials.web.oauth.ims import imsx_error, json_response, media_type, protected

OB3 = settings.OB3_SCOPE_PREFIX
DEFAULT_LIMIT = 10
MAX_LIMIT = 100


def discovery_document(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = imsx_error(405, _("This method is not allowed here."))
        response["Allow"] = "GET"
        return response
    return JsonResponse(discovery.ob3_document())


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int | None):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default, None
    # ASCII digits only ("²" and "١٢" are digits to Python, and not numbers to a client).
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return None, _("%(name)s must be a whole number.") % {"name": name}
    value = int(raw)
    if value < low or (high is not None and value > high):
        if high is None:
            message = _("%(name)s must be at least %(low)s.")
        else:
            message = _("%(name)s must be between %(low)s and %(high)s.")
        return None, message % {"name": name, "low": low, "high": high}
    return value, None


def _since(request: HttpRequest):
    raw = request.GET.get("since")
    if not raw:
        return None, None
    moment = None
    if raw.isascii() and len(raw) <= 40:
        try:
            moment = parse_datetime(raw)
            if moment is not None:
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=UTC)
                moment = moment.astimezone(UTC)  # overflows past year 9999
        except (ValueError, OverflowError):
            moment = None
    if moment is None:
        return None, _("since must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z.")
    return moment, None


def _link_header(request: HttpRequest, total: int, limit: int, offset: int) -> str:
    base = settings.SITE_URL + request.path
    keep = {k: v for k, v in request.GET.items() if k == "since"}

    def url(at: int) -> str:
        return base + "?" + urlencode({**keep, "limit": limit, "offset": at})

    last = max(0, ((total - 1) // limit) * limit) if total else 0
    links = [f'<{url(0)}>; rel="first"', f'<{url(last)}>; rel="last"']
    if offset + limit < total:
        links.append(f'<{url(offset + limit)}>; rel="next"')
    if offset > 0:
        links.append(f'<{url(max(0, min(offset - limit, last)))}>; rel="prev"')
    return ", ".join(links)


def _get_credentials(request: HttpRequest) -> HttpResponse:
    limit, problem = _int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    if problem:
        return imsx_error(400, problem)
    offset, problem = _int_param(request, "offset", 0, 0, None)
    if problem:
        return imsx_error(400, problem)
    since, problem = _since(request)
    if problem:
        return imsx_error(400, problem)
    page, total = ob_data.credentials_page(request.api_user, since, limit, offset)
    response = json_response(page)
    response["X-Total-Count"] = str(total)
    response["Link"] = _link_header(request, total, limit, offset)
    return response


# What the imports service's refusals mean in HTTP (anything else is a 400).
REJECTED_STATUS = {"unsupported_media_type": 415, "too_large": 413}


def _upsert(request: HttpRequest) -> HttpResponse:
    from credentials.services import imports

    try:
        imported, created = imports.upsert(
            request.api_user,
            request.body,
            request.META.get("CONTENT_TYPE") or "",
            request.api_application,
        )
    except imports.Rejected as rejected:
        status = REJECTED_STATUS.get(rejected.code, 400)
        return imsx_error(status, str(rejected.description), rejected.code)
    content_type = "application/json" if imported.format == "json" else "text/plain"
    return HttpResponse(
        imported.body.encode("utf-8"),
        status=201 if created else 200,
        content_type=content_type + "; charset=utf-8",
    )


@protected({"GET": OB3 + "credential.readonly", "POST": OB3 + "credential.upsert"})
def credentials(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _upsert(request)
    return _get_credentials(request)


def _put_profile(request: HttpRequest) -> HttpResponse:
    if media_type(request) != "application/json":
        return imsx_error(415, _("Send the profile as application/json."))
    try:
        document = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return imsx_error(400, _("The body is not JSON."))
    if not isinstance(document, dict):
        return imsx_error(400, _("The body must be a JSON object (an OB 3.0 Profile)."))
    try:
        ob_data.update_profile(request.api_user, document)
    except ob_data.ProfileRefused as refused:
        return imsx_error(400, refused.message, "invaliddata")
    return json_response(ob_data.profile(request.api_user))


@protected({"GET": OB3 + "profile.readonly", "PUT": OB3 + "profile.update"})
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "PUT":
        return _put_profile(request)
    return json_response(ob_data.profile(request.api_user))
