"""/.well-known/oauth-authorization-server (RFC 8414)."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from credentials.web.oauth import discovery
from credentials.web.oauth.registration import AUTH_METHODS, supported_scopes
from credentials.web.oauth.views_oauth import PRE_AUTHORIZED_GRANT

app_name = "oauth_wellknown"


@require_GET
def authorization_server(request: HttpRequest) -> JsonResponse:
    document = {
        "issuer": settings.SITE_URL,
        "authorization_endpoint": discovery.url("oauth:authorize"),
        "token_endpoint": discovery.url("oauth:token"),
        "registration_endpoint": discovery.url("oauth:register"),
        "revocation_endpoint": discovery.url("oauth:revoke"),
        "scopes_supported": supported_scopes(),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", PRE_AUTHORIZED_GRANT],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": sorted(AUTH_METHODS),
        "revocation_endpoint_auth_methods_supported": sorted(AUTH_METHODS),
        "pre-authorized_grant_anonymous_access_supported": True,
        # RFC 9207: authorization responses carry iss (this issuer).
        "authorization_response_iss_parameter_supported": True,
    }
    response = JsonResponse(document)
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path("oauth-authorization-server", authorization_server, name="authorization_server"),
]
