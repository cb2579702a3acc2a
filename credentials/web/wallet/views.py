"""OpenID4VCI protocol endpoints: metadata, the offer by reference, token, nonce, credential.

Thin: every rule is in ``credentials.services.wallet``. The JSON endpoints are called by
wallets, not browsers: no session, no CSRF token, never cached.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from credentials.models.wallets import WalletOffer
from credentials.services import wallet
from credentials.web.views_verify import client_address
from lib import ratelimit

NO_STORE = "no-store"
# Each nonce is a row: a client may ask for this many per window (a wallet needs one per
# credential). A constant, not a setting: no deployment has needed another value.
NONCE_RATE_LIMIT = (120, 600)
MAX_REQUEST = 64_000  # bytes of a credential request (one proof JWT is at most 8,000)


def _nonce_rate_limited(request: HttpRequest) -> int | None:
    """Count one nonce for the client; seconds to wait if over the limit, else None."""
    limit, window = NONCE_RATE_LIMIT
    return ratelimit.hit(cache, f"wallet-nonce-rate:{client_address(request)}", limit, window)


def _json(data: dict, status: int = 200, cache: str = NO_STORE) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = cache
    if cache == NO_STORE:
        response["Pragma"] = "no-cache"
    response["Access-Control-Allow-Origin"] = "*"  # wallets may run in a browser
    return response


def _error(error: wallet.WalletError) -> JsonResponse:
    response = _json({"error": error.code, "error_description": error.description}, error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = f'Bearer error="{error.code}"'
    return response


@require_GET
def issuer_metadata(request: HttpRequest, suffix: str = "") -> JsonResponse:
    """The metadata; under a path-inserted URL only for the issuer id's own path."""
    if suffix and suffix.rstrip("/") != urlsplit(wallet.issuer_id()).path.rstrip("/"):
        raise Http404
    return _json(wallet.metadata(), cache="public, max-age=300")


@require_GET
def offer(request: HttpRequest, public_id) -> JsonResponse:
    found = WalletOffer.objects.select_related("award__recipient").filter(public_id=public_id)
    document = wallet.offer_document(found.first()) if found.exists() else None
    if document is None:
        raise Http404
    return _json(document)


def pre_authorized_token(request: HttpRequest) -> HttpResponse:
    """The token endpoint for the pre-authorised code grant (dispatched by /oauth/token/)."""
    if request.method != "POST":
        return _error(wallet.WalletError("invalid_request", "use POST", 405))
    if request.content_type != "application/x-www-form-urlencoded":
        return _error(wallet.WalletError("invalid_request", "send a form-encoded body"))
    # RFC 6749 §3.2: no parameter more than once (a list would be ambiguous).
    if any(len(request.POST.getlist(name)) > 1 for name in request.POST):
        return _error(wallet.WalletError("invalid_request", "a parameter is repeated"))
    code = request.POST.get("pre-authorized_code", "")
    tx_code = request.POST.get("tx_code") or request.POST.get("user_pin") or ""
    try:
        token = wallet.redeem(code, tx_code)
    except wallet.WalletError as error:
        return _error(error)
    return _json(
        {"access_token": token.token, "token_type": "Bearer", "expires_in": token.expires_in}
    )


@csrf_exempt
@require_POST
def nonce(request: HttpRequest) -> JsonResponse:
    wait = _nonce_rate_limited(request)
    if wait is not None:
        response = _json({"error": "rate_limited", "error_description": "slow down"}, 429)
        response["Retry-After"] = str(wait)
        return response
    return _json({"c_nonce": wallet.new_nonce()})


def _json_body(request: HttpRequest) -> dict | None:
    """The request's JSON object, or None for anything else (never an exception)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if request.content_type != "application/json" or not 0 < length <= MAX_REQUEST:
        return None
    try:
        raw = request.body
        if len(raw) > MAX_REQUEST:
            return None
        body = json.loads(raw)
    except (ValueError, RecursionError, RequestDataTooBig):  # UnicodeDecodeError is a ValueError
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def credential(request: HttpRequest) -> JsonResponse:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error(wallet.WalletError("invalid_token", "a Bearer access token is needed", 401))
    body = _json_body(request)
    if body is None:
        return _error(wallet.WalletError("invalid_credential_request", "send a JSON object"))
    try:
        return _json(wallet.issue(token.strip(), body))
    except wallet.WalletError as error:
        return _error(error)
