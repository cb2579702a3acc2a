"""allauth's OpenID Connect provider, made strict.

allauth 65 trusts an ID token that came straight from the token endpoint without checking its
signature (OpenID Connect Core allows that over TLS) and sends no nonce. We check both, always:
the token must be signed by a key from the provider's JWKS with an asymmetric algorithm, name
our client as audience and the provider as issuer, be unexpired, and carry the nonce we put in
this sign-in's state. The settings point allauth at this class (``provider_class``).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

import jwt
import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import HttpRequest

ASYMMETRIC_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
CLOCK_SKEW_SECONDS = 60


def verify_id_token(
    token: str, *, jwks: dict, issuer: str, client_id: str, nonce: str | None
) -> dict[str, Any]:
    """The ID token's claims, or OAuth2Error when anything about it is wrong."""
    try:
        header = jwt.get_unverified_header(token)
        algorithm = header.get("alg")
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            raise OAuth2Error(f"ID token signed with {algorithm!r}, not an asymmetric algorithm")
        kid = header.get("kid")
        keys = [
            key
            for key in jwt.PyJWKSet.from_dict(jwks).keys
            if (kid is None or key.key_id == kid) and key.public_key_use in (None, "sig")
        ]
        if len(keys) != 1:
            raise OAuth2Error("No single key in the provider's JWKS matches the ID token")
        claims = jwt.decode(
            token,
            key=keys[0].key,
            algorithms=[algorithm],
            audience=client_id,
            issuer=issuer,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except OAuth2Error:
        raise
    except (jwt.PyJWTError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise OAuth2Error(f"Invalid ID token: {exc}") from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OAuth2Error("ID token for several audiences is not authorised for us (azp)")
    if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OAuth2Error("ID token nonce does not match this sign-in")
    return claims


class StrictOpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):
    """Requires an ID token and checks it fully (see verify_id_token)."""

    expected_nonce: str | None = None

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        if not kwargs["response"].get("id_token"):
            raise OAuth2Error("The identity provider sent no ID token")
        return super().complete_login(request, app, token, **kwargs)

    def _decode_id_token(self, app, id_token: str) -> dict:
        with get_adapter().get_requests_session() as session:
            response = session.get(self.openid_config["jwks_uri"])
            response.raise_for_status()
            jwks = response.json()
        if not isinstance(jwks, dict):
            raise OAuth2Error("The identity provider's JWKS is not a JSON object")
        return verify_id_token(
            id_token,
            jwks=jwks,
            issuer=self.openid_config["issuer"],
            client_id=app.client_id,
            nonce=self.expected_nonce,
        )


class UniversityAccount(OpenIDConnectProviderAccount):
    pass


class UniversityProvider(OpenIDConnectProvider):
    """One university's OpenID Connect provider, configured in OIDC_PROVIDERS."""

    account_class = UniversityAccount
    oauth2_adapter_class = StrictOpenIDConnectAdapter
    # Its URLs (cms/sso/urls.py) are allauth's, routed to our views and adapter.
    package = "cms.sso"

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        try:
            return super().redirect(
                request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
            )
        except requests.RequestException as exc:
            # The provider's discovery document could not be read: it is down or unreachable.
            response = render_authentication_error(request, self, exception=exc)
            response.status_code = 503
            return response

    def extract_email_addresses(self, data) -> list:
        """The address, verified only if the signed ID token says so for that address.

        cms.sso.adapter then keeps it verified only inside the provider's email_domains.
        """
        addresses = super().extract_email_addresses(data)
        id_token = data.get("id_token") or {}
        for address in addresses:
            address.verified = bool(
                id_token.get("email_verified") is True
                and str(id_token.get("email", "")).lower() == address.email.lower()
            )
        return addresses


provider_classes = [UniversityProvider]
