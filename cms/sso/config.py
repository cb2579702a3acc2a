"""Read the universities' identity providers from the environment.

``OIDC_PROVIDERS`` and ``SAML_PROVIDERS`` each hold a JSON list; this module turns them into
django-allauth's ``SOCIALACCOUNT_PROVIDERS[...]["APPS"]`` entries, and stops start-up with
ImproperlyConfigured on anything it cannot use. It imports nothing of Django's but the
exception, so cms/settings/base.py can call it before the apps load.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

OIDC_FIELDS = {"id", "name", "server_url", "client_id", "secret", "email_domains"}
SAML_FIELDS = {
    "id",
    "name",
    "entity_id",
    "metadata_url",
    "sso_url",
    "x509cert",
    "email_domains",
    "attribute_mapping",
}


def _fail(variable: str, where: str, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{variable}: {where}{message}")


def _load(variable: str, raw: str | None) -> list[dict[str, Any]]:
    if raw is None or not raw.strip():
        return []
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise _fail(variable, "", f"is not valid JSON ({exc})") from None
    if not isinstance(value, list):
        raise _fail(variable, "", "must be a JSON list of providers, e.g. [{...}]")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise _fail(variable, f"entry {index}: ", "must be a JSON object")
    return value


def _text(variable: str, where: str, entry: dict, key: str, required: bool = True) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(variable, where, f"{key!r} must be a non-empty string")
    return value.strip()


def _url(variable: str, where: str, entry: dict, key: str, required: bool = True) -> str:
    value = _text(variable, where, entry, key, required)
    if not value:
        return ""
    parts = urlsplit(value)
    loopback = parts.hostname in _LOOPBACK
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise _fail(variable, where, f"{key!r} must be an https:// URL, not {value!r}")
    if not parts.hostname:
        raise _fail(variable, where, f"{key!r} has no host: {value!r}")
    return value


def _domains(variable: str, where: str, entry: dict) -> list[str]:
    value = entry.get("email_domains", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(variable, where, "'email_domains' must be a list of domain names")
    domains = []
    for item in value:
        domain = item.strip().lower().lstrip("@")
        if not _DOMAIN.match(domain):
            raise _fail(variable, where, f"{item!r} in 'email_domains' is not a domain name")
        domains.append(domain)
    return domains


def _common(variable: str, index: int, entry: dict, fields: set[str], seen: set[str]) -> str:
    unknown = sorted(set(entry) - fields)
    if unknown:
        known = ", ".join(sorted(fields))
        raise _fail(variable, f"entry {index}: ", f"unknown key(s) {unknown} (known: {known})")
    provider_id = entry.get("id")
    if not isinstance(provider_id, str) or not _ID.match(provider_id):
        raise _fail(
            variable,
            f"entry {index}: ",
            "'id' must be lowercase letters, digits and hyphens (it appears in URLs)",
        )
    if provider_id in seen:
        raise _fail(variable, f"entry {index}: ", f"'id' {provider_id!r} appears twice")
    seen.add(provider_id)
    return provider_id


def oidc_apps(raw: str | None, variable: str = "OIDC_PROVIDERS") -> list[dict[str, Any]]:
    """allauth ``APPS`` entries for the OpenID Connect providers described in ``raw``."""
    apps, seen = [], set()
    for index, entry in enumerate(_load(variable, raw)):
        provider_id = _common(variable, index, entry, OIDC_FIELDS, seen)
        where = f"provider {provider_id!r}: "
        apps.append(
            {
                "provider_id": provider_id,
                "name": _text(variable, where, entry, "name"),
                "client_id": _text(variable, where, entry, "client_id"),
                "secret": _text(variable, where, entry, "secret", required=False),
                "settings": {
                    "server_url": _url(variable, where, entry, "server_url"),
                    "email_domains": _domains(variable, where, entry),
                    # PKCE on top of the client secret: a stolen code is useless alone.
                    "oauth_pkce_enabled": True,
                    # Never log a user into an existing account by a matching address.
                    "email_authentication": False,
                },
            }
        )
    return apps


def saml_apps(raw: str | None, variable: str = "SAML_PROVIDERS") -> list[dict[str, Any]]:
    """allauth ``APPS`` entries for the SAML identity providers described in ``raw``."""
    apps, seen = [], set()
    for index, entry in enumerate(_load(variable, raw)):
        provider_id = _common(variable, index, entry, SAML_FIELDS, seen)
        where = f"provider {provider_id!r}: "
        idp: dict[str, Any] = {"entity_id": _text(variable, where, entry, "entity_id")}
        metadata_url = _url(variable, where, entry, "metadata_url", required=False)
        if metadata_url:
            idp["metadata_url"] = metadata_url
        else:
            if not entry.get("sso_url") or not entry.get("x509cert"):
                raise _fail(
                    variable, where, "give either 'metadata_url' or both 'sso_url' and 'x509cert'"
                )
            idp["sso_url"] = _url(variable, where, entry, "sso_url")
            idp["x509cert"] = _text(variable, where, entry, "x509cert")
        mapping = entry.get("attribute_mapping")
        if mapping is not None and not (
            isinstance(mapping, dict)
            and all(
                isinstance(value, str | list) and isinstance(key, str)
                for key, value in mapping.items()
            )
        ):
            raise _fail(variable, where, "'attribute_mapping' must map names to attribute(s)")
        app_settings: dict[str, Any] = {
            "idp": idp,
            "email_domains": _domains(variable, where, entry),
            # A SAML IdP has no email_verified claim: a signed assertion from the
            # university vouches for addresses in its own domains only (cms.sso.adapter).
            "idp_vouches_for_email": True,
            "email_authentication": False,
            "advanced": {
                "strict": True,
                "want_assertion_signed": True,
                "reject_deprecated_algorithm": True,
            },
        }
        if mapping:
            app_settings["attribute_mapping"] = mapping
        apps.append(
            {
                # allauth names a SAML app by its client_id: it is the slug in the URLs.
                "client_id": provider_id,
                "provider_id": provider_id,
                "name": _text(variable, where, entry, "name"),
                "settings": app_settings,
            }
        )
    return apps


def provider_apps(oidc_raw: str | None, saml_raw: str | None) -> tuple[list, list]:
    """Both lists, with every id distinct across them: allauth keys accounts by that id."""
    oidc, saml = oidc_apps(oidc_raw), saml_apps(saml_raw)
    both = {app["provider_id"] for app in oidc} & {app["provider_id"] for app in saml}
    if both:
        raise ImproperlyConfigured(
            f"SAML_PROVIDERS: id(s) {sorted(both)} already name an OIDC_PROVIDERS entry; "
            "give each identity provider its own id"
        )
    return oidc, saml


def sign_in_origins(oidc: list[dict], saml: list[dict]) -> list[str]:
    """The providers' origins, for the CSP's form-action: sign-in POSTs to us, and we redirect
    the browser to the provider, a redirect browsers hold to form-action."""
    urls = [app["settings"]["server_url"] for app in oidc]
    for app in saml:
        idp = app["settings"]["idp"]
        urls.append(idp.get("sso_url") or idp["metadata_url"])
    origins = []
    for url in urls:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins
