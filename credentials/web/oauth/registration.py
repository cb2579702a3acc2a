"""Client metadata of a dynamic registration (RFC 7591), checked strictly.

Redirect URIs must be https, or http on a loopback host (an application on the learner's own
machine); no fragment, no user info. The application's name is only what it calls itself: it is
shown as such, never as a verified identity.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
GRANT_TYPES = {"authorization_code", "refresh_token"}
AUTH_METHODS = {"client_secret_basic", "client_secret_post"}
NAME_MAX = 200
URI_MAX = 2000
MAX_REDIRECT_URIS = 10
OPTIONAL_URIS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
# Control characters, format characters (bidi overrides and isolates, zero-width joiners, soft
# hyphens), private-use, surrogates, unassigned code points, line and paragraph separators.
REFUSED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


class Invalid(ValueError):
    def __init__(self, error: str, description: str):
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass
class ClientMetadata:
    client_name: str
    redirect_uris: list[str]
    grant_types: list[str]
    response_types: list[str]
    token_endpoint_auth_method: str
    scope: str
    uris: dict[str, str]
    software_id: str
    software_version: str

    def as_dict(self) -> dict:
        document = {
            "client_name": self.client_name,
            "redirect_uris": self.redirect_uris,
            "grant_types": self.grant_types,
            "response_types": self.response_types,
            "token_endpoint_auth_method": self.token_endpoint_auth_method,
            "scope": self.scope,
            **self.uris,
        }
        if self.software_id:
            document["software_id"] = self.software_id
        if self.software_version:
            document["software_version"] = self.software_version
        return document


def supported_scopes() -> list[str]:
    return list(settings.OAUTH2_PROVIDER["SCOPES"])


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _safe_uri(value, field: str, error: str) -> str:
    if not isinstance(value, str) or not value or len(value) > URI_MAX:
        raise Invalid(error, _("%(field)s must be a URL.") % {"field": field})
    if any(ord(c) <= 32 for c in value) or _refused_characters(value):
        raise Invalid(
            error, _("%(field)s must not contain spaces or control characters.") % {"field": field}
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise Invalid(error, _("%(field)s is not a valid URL.") % {"field": field}) from None
    if parts.fragment or "#" in value:
        raise Invalid(error, _("%(field)s must not have a fragment.") % {"field": field})
    if parts.username is not None or parts.password is not None:
        raise Invalid(error, _("%(field)s must not carry a user name.") % {"field": field})
    if not host:
        raise Invalid(error, _("%(field)s must name a host.") % {"field": field})
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host)):
        return value
    raise Invalid(
        error,
        _("%(field)s must use https (http only on 127.0.0.1, [::1] or localhost).")
        % {"field": field},
    )


def _string_list(document: dict, key: str, default: list[str]) -> list[str]:
    value = document.get(key, default)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(
            "invalid_client_metadata", _("%(field)s must be a list of strings.") % {"field": key}
        )
    return list(dict.fromkeys(value))


def _optional_string(document: dict, key: str, limit: int = 200) -> str:
    value = document.get(key, "")
    if not isinstance(value, str) or len(value) > limit or _refused_characters(value):
        raise Invalid(
            "invalid_client_metadata",
            _("%(field)s must be a string of at most %(max)s printable characters.")
            % {"field": key, "max": limit},
        )
    return value


def _refused_characters(value: str) -> bool:
    return any(c != " " and unicodedata.category(c) in REFUSED_CATEGORIES for c in value)


def _client_name(document: dict) -> str:
    name = document.get("client_name")
    if not isinstance(name, str) or not name.strip():
        raise Invalid("invalid_client_metadata", _("client_name is required."))
    if _refused_characters(name):
        raise Invalid(
            "invalid_client_metadata",
            _("client_name must not contain control, formatting or direction characters."),
        )
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        raise Invalid(
            "invalid_client_metadata",
            _("client_name is longer than %(max)s characters.") % {"max": NAME_MAX},
        )
    return name


def validate(document) -> ClientMetadata:
    """The client metadata, or :class:`Invalid` with the RFC 7591 error code."""
    if not isinstance(document, dict):
        raise Invalid("invalid_client_metadata", _("The body must be a JSON object."))
    redirect_uris = document.get("redirect_uris")
    if not isinstance(redirect_uris, list) or not redirect_uris:
        raise Invalid("invalid_redirect_uri", _("redirect_uris is required (a list of URLs)."))
    if len(redirect_uris) > MAX_REDIRECT_URIS:
        raise Invalid("invalid_redirect_uri", _("Too many redirect_uris."))
    redirect_uris = [_safe_uri(u, "redirect_uris", "invalid_redirect_uri") for u in redirect_uris]
    name = _client_name(document)
    uris = {}
    for key in OPTIONAL_URIS:
        if document.get(key) not in (None, ""):
            uris[key] = _safe_uri(document[key], key, "invalid_client_metadata")
    grant_types = _string_list(document, "grant_types", ["authorization_code"])
    if not set(grant_types) <= GRANT_TYPES or "authorization_code" not in grant_types:
        raise Invalid(
            "invalid_client_metadata",
            _("grant_types may be authorization_code and refresh_token only."),
        )
    response_types = _string_list(document, "response_types", ["code"])
    if response_types != ["code"]:
        raise Invalid("invalid_client_metadata", _('response_types must be ["code"].'))
    method = document.get("token_endpoint_auth_method", "client_secret_basic")
    if not isinstance(method, str) or method not in AUTH_METHODS:
        raise Invalid(
            "invalid_client_metadata",
            _("token_endpoint_auth_method must be client_secret_basic or client_secret_post."),
        )
    scope = document.get("scope", " ".join(supported_scopes()))
    if not isinstance(scope, str) or not set(scope.split()) <= set(supported_scopes()):
        raise Invalid("invalid_client_metadata", _("scope names a scope we do not support."))
    return ClientMetadata(
        client_name=name,
        redirect_uris=redirect_uris,
        grant_types=grant_types,
        response_types=response_types,
        token_endpoint_auth_method=method,
        scope=" ".join(dict.fromkeys(scope.split())),
        uris=uris,
        software_id=_optional_string(document, "software_id"),
        software_version=_optional_string(document, "software_version"),
    )
