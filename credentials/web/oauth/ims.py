"""What the 1EdTech APIs (OB 3.0, CLR 2.0) share: Imsx_StatusInfo errors and bearer tokens.

Every error is an ``Imsx_StatusInfo`` document (the specifications' shape) with the HTTP status
they name. The APIs take an OAuth 2.0 bearer token in the Authorization header only: never a
session cookie (a page open in the learner's browser cannot call them for another site) and
never a token in the query string. The token is checked by django-oauth-toolkit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_backends import get_oauthlib_core

MAX_BODY_BYTES = 1024 * 1024  # an upserted credential, a profile

# The codeMinor values the specifications define for each status we answer with.
DEFAULT_MINOR = {
    400: "invaliddata",
    401: "unauthorisedrequest",
    403: "forbidden",
    404: "unknownobject",
    405: "invaliddata",
    413: "invaliddata",
    415: "invaliddata",
    500: "internal_server_error",
    503: "server_busy",
}


def imsx_error(status: int, description: str, minor: str | None = None) -> JsonResponse:
    """An Imsx_StatusInfo error document with ``status``."""
    body = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {
                    "imsx_codeMinorFieldName": "TargetEndSystem",
                    "imsx_codeMinorFieldValue": minor or DEFAULT_MINOR.get(status, "invaliddata"),
                }
            ]
        },
    }
    response = JsonResponse(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = (
            'Bearer error="invalid_token", error_description="The access token is missing, '
            'expired or revoked"'
        )
    return response


def json_response(document: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(document, ensure_ascii=False), status=status, content_type="application/json"
    )


def body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_BODY_BYTES


def media_type(request: HttpRequest) -> str:
    return (request.META.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()


def protected(scopes_by_method: dict[str, str]) -> Callable:
    """A view of the API: the methods it answers, each with the scope its token needs.

    401 (with WWW-Authenticate) without a valid bearer token, 403 when the token lacks the
    method's scope, 405 for another method. The token's user is ``request.api_user``, its
    application ``request.api_application``; ``request.user`` (the session) is never used.
    """

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            scope = scopes_by_method.get(request.method or "")
            if scope is None:
                response = imsx_error(405, _("This method is not allowed here."))
                response["Allow"] = ", ".join(scopes_by_method)
                return response
            if body_too_large(request):
                return imsx_error(413, _("The request body is too large."))
            header = request.META.get("HTTP_AUTHORIZATION", "")
            if not header.lower().startswith("bearer "):
                return imsx_error(401, _("An OAuth 2.0 bearer token is required."))
            valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
            token = getattr(oauth_request, "access_token", None) if valid else None
            if token is None or token.user is None or not token.user.is_active:
                return imsx_error(401, _("The access token is missing, expired or revoked."))
            if not token.allow_scopes([scope]):
                return imsx_error(
                    403, _("The access token lacks the scope %(scope)s.") % {"scope": scope}
                )
            request.api_user = token.user
            request.api_application = token.application
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
