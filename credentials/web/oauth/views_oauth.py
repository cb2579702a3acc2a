"""The OAuth 2.0 endpoints at /oauth/ (django-oauth-toolkit does the OAuth).

- ``POST register``: dynamic client registration (RFC 7591), JSON only, rate-limited per client
  address (an IPv6 client by its /64 network); creates a confidential authorization-code
  application whose secret is stored hashed and returned once, in the 201 answer, and keeps
  the scopes it registered with (it may ask for no others). A name that reads as ours or an
  institution's is refused.
- ``authorize/``: the consent page (login required; PKCE S256 required, "plain" refused; always
  shown: a client's ``approval_prompt=auto`` is ignored). Every answer sent back to the
  application names us as ``iss`` (RFC 9207).
- ``token/``: codes and refresh tokens (rotated); the OpenID4VCI pre-authorised code grant is
  handed to the wallet's view.
- ``revoke/``: token revocation (RFC 7009).
"""

from __future__ import annotations

import ipaddress
import json
import logging
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as dot_views

from credentials.services import connected_apps
from credentials.services.connected_apps import scope_words
from credentials.web.oauth import registration
from credentials.web.views_verify import client_address
from lib import ratelimit

log = logging.getLogger(__name__)

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
MAX_REGISTRATION_BYTES = 16 * 1024


def _error(status: int, error: str, description: str) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _client_network(request: HttpRequest) -> str:
    """The client's address; for IPv6, its /64 network (one site's hosts share one)."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _registration_rate_limited(request: HttpRequest) -> int | None:
    """Count one registration for the client's address or /64 (the verifier's counting, its own
    key); seconds to wait when over the limit."""
    limit, window = settings.OAUTH_REGISTRATION_RATE_LIMIT
    key = f"oauth-register-rate:{_client_network(request)}"
    return ratelimit.hit(cache, key, limit, window)


@csrf_exempt
def register(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = _error(405, "invalid_request", _("Register with POST."))
        response["Allow"] = "POST"
        return response
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_REGISTRATION_BYTES + 1
    if length > MAX_REGISTRATION_BYTES:
        return _error(413, "invalid_client_metadata", _("The registration is too large."))
    kind = (request.META.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if kind != "application/json":
        return _error(415, "invalid_client_metadata", _("Send the metadata as application/json."))
    wait = _registration_rate_limited(request)
    if wait is not None:
        response = _error(429, "invalid_request", _("Too many registrations. Try again later."))
        response["Retry-After"] = str(wait)
        return response
    try:
        document = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _error(400, "invalid_client_metadata", _("The body is not JSON."))
    try:
        metadata = registration.validate(document)
    except registration.Invalid as invalid:
        return _error(400, invalid.error, invalid.description)
    if connected_apps.impersonates(metadata.client_name):
        return _error(
            400,
            "invalid_client_metadata",
            _("client_name reads as the name of this site or of one of its institutions."),
        )
    application, secret = connected_apps.register_application(
        name=metadata.client_name,
        redirect_uris=metadata.redirect_uris,
        scope=metadata.scope,
        client_uri=metadata.uris.get("client_uri", ""),
        software_id=metadata.software_id,
        software_version=metadata.software_version,
    )
    log.info(
        "OAuth client registered: client_id=%s client_uri=%s software_id=%s address=%s",
        application.client_id,
        metadata.uris.get("client_uri", ""),
        metadata.software_id,
        client_address(request),
    )
    body = {
        "client_id": application.client_id,
        "client_secret": secret,
        "client_id_issued_at": int(application.created.timestamp()),
        "client_secret_expires_at": 0,
        **metadata.as_dict(),
    }
    response = JsonResponse(body, status=201)
    response["Cache-Control"] = "no-store"
    return response


def with_issuer(uri: str) -> str:
    """``uri`` with ``iss`` (RFC 9207) set to us, replacing any the URI carried."""
    parts = urlsplit(uri)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "iss"]
    query.append(("iss", settings.SITE_URL))
    return urlunsplit(parts._replace(query=urlencode(query)))


class AuthorizationView(dot_views.AuthorizationView):
    """DOT's consent page, with what the learner needs to decide: the name the application
    gives itself (not verified), the host it sends them back to, when it registered, and each
    scope in plain words. The validated redirect's origin is allowed in form-action
    (cms/csp.py): browsers apply form-action to the redirect after the consent form."""

    template_name = "oauth2_provider/authorize.html"

    def get(self, request, *args, **kwargs):
        # Always ask: a client's approval_prompt=auto would skip this page while it holds a
        # live token (REQUEST_APPROVAL_PROMPT is "force").
        if "approval_prompt" in request.GET:
            request.GET = request.GET.copy()
            del request.GET["approval_prompt"]
        # A challenge without a method is "plain" (RFC 7636 §4.3): refused here, before the
        # learner is asked anything (DOT would refuse it only when the code is made).
        if request.GET.get("code_challenge") and request.GET.get("code_challenge_method") != (
            "S256"
        ):
            error = {
                "error": "invalid_request",
                "description": _("Only the S256 code challenge method is supported."),
            }
            return self.render_to_response({"error": error}, status=400)
        return super().get(request, *args, **kwargs)

    def redirect(self, redirect_to, application):
        # RFC 9207: every answer to the client (a code, or an error) names us, as the issuer
        # our RFC 8414 metadata publishes (DOT would derive it from the request's host).
        return super().redirect(with_issuer(redirect_to), application)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        redirect_uri = kwargs.get("redirect_uri") or ""
        application = kwargs.get("application")
        if application is not None and redirect_uri:
            parts = urlsplit(redirect_uri)
            context["redirect_host"] = parts.netloc
            context["scope_words"] = scope_words(kwargs.get("scopes") or [])
            if parts.scheme in ("http", "https") and application.redirect_uri_allowed(redirect_uri):
                self.request.csp_form_action_origins = [f"{parts.scheme}://{parts.netloc}"]
        return context


class TokenView(dot_views.TokenView):
    """DOT's token endpoint; the pre-authorised code grant (OpenID4VCI) goes to the wallet."""

    def post(self, request, *args, **kwargs):
        try:
            grant_type = request.POST.get("grant_type")
        except (RequestDataTooBig, TooManyFieldsSent):
            # Django refuses the form before OAuth reads it: answer as OAuth does, not with
            # Django's HTML 400 page.
            return JsonResponse(
                {"error": "invalid_request", "error_description": "The request is too large."},
                status=400,
                headers={"Cache-Control": "no-store"},
            )
        if grant_type == PRE_AUTHORIZED_GRANT:
            from credentials.web.wallet import views as wallet_views

            return wallet_views.pre_authorized_token(request)
        return super().post(request, *args, **kwargs)


class RevokeTokenView(dot_views.RevokeTokenView):
    pass
