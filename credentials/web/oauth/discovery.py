"""The discovery documents of the OB 3.0 and CLR 2.0 APIs (OpenAPI 3.0, 1EdTech's x-imssf-*).

A client reads where to register (``x-imssf-registrationUrl``), authorise and get tokens
(``components.securitySchemes.OAuth2ACG``); every URL is absolute, under ``SITE_URL``.
"""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

IMSX_SCHEMA = {
    "type": "object",
    "required": ["imsx_codeMajor", "imsx_severity"],
    "properties": {
        "imsx_codeMajor": {"type": "string", "enum": ["success", "processing", "failure"]},
        "imsx_severity": {"type": "string", "enum": ["status", "warning", "error"]},
        "imsx_description": {"type": "string"},
        "imsx_codeMinor": {"type": "object"},
    },
}


def url(name: str) -> str:
    return settings.SITE_URL + reverse(name)


def oauth_scheme(scopes: dict[str, str]) -> dict:
    return {
        "type": "oauth2",
        "description": "OAuth 2.0 authorization code grant with PKCE (S256)",
        "x-imssf-registrationUrl": url("oauth:register"),
        "flows": {
            "authorizationCode": {
                "authorizationUrl": url("oauth:authorize"),
                "tokenUrl": url("oauth:token"),
                "refreshUrl": url("oauth:token"),
                "scopes": scopes,
            }
        },
    }


def _info(title: str, version: str) -> dict:
    image = static("img/logo.svg")
    return {
        "title": title,
        "version": version,
        "description": "Co-Create Academy's " + title,
        "termsOfService": settings.SITE_URL + "/",
        "x-imssf-privacyPolicyUrl": settings.OB3_PRIVACY_POLICY_URL or url("ims:privacy"),
        "x-imssf-image": image if image.startswith("http") else settings.SITE_URL + image,
    }


def _error_responses(*statuses: int) -> dict:
    imsx = {"application/json": {"schema": {"$ref": "#/components/schemas/Imsx_StatusInfo"}}}
    return {str(s): {"description": "Imsx_StatusInfo", "content": imsx} for s in statuses}


def _operation(operation_id: str, scope: str | None, ok: dict, **extra) -> dict:
    operation = {"operationId": operation_id, "tags": ["OpenBadgeCredentials"], **extra}
    operation["responses"] = {**ok, **_error_responses(400, 401, 403, 404, 405, 500)}
    if scope:
        operation["security"] = [{"OAuth2ACG": [scope]}]
    else:
        operation["security"] = []
    return operation


def _json(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {}}}}


def ob3_document() -> dict:
    ob3 = settings.OB3_SCOPE_PREFIX
    scopes = {
        ob3 + "credential.readonly": "Permission to read AchievementCredentials for the user",
        ob3 + "credential.upsert": "Permission to create or update AchievementCredentials",
        ob3 + "profile.readonly": "Permission to read the profile for the user",
        ob3 + "profile.update": "Permission to update the profile for the user",
    }
    paging = [
        {"name": n, "in": "query", "required": False, "schema": s}
        for n, s in (
            ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
            ("offset", {"type": "integer", "minimum": 0}),
            ("since", {"type": "string", "format": "date-time"}),
        )
    ]
    upsert_body = {
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/plain": {"schema": {"type": "string"}},
        },
        "required": True,
    }
    return {
        "openapi": "3.0.1",
        "info": _info("Open Badges API", "3.0"),
        "servers": [{"url": settings.SITE_URL + "/ims/ob/v3p0"}],
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": _operation(
                    "getCredentials",
                    ob3 + "credential.readonly",
                    {"200": _json("GetOpenBadgeCredentialsResponse")},
                    parameters=paging,
                ),
                "post": _operation(
                    "upsertCredential",
                    ob3 + "credential.upsert",
                    {"200": _json("Replaced"), "201": _json("Created")},
                    requestBody=upsert_body,
                ),
            },
            "/profile": {
                "get": _operation(
                    "getProfile", ob3 + "profile.readonly", {"200": _json("Profile")}
                ),
                "put": _operation(
                    "putProfile",
                    ob3 + "profile.update",
                    {"200": _json("Profile")},
                    requestBody={"content": {"application/json": {"schema": {}}}},
                ),
            },
            "/discovery": {
                "get": {
                    "operationId": "getServiceDescription",
                    "tags": ["Discovery"],
                    "security": [],
                    "responses": {"200": _json("ServiceDescriptionDocument")},
                }
            },
        },
        "components": {
            "securitySchemes": {"OAuth2ACG": oauth_scheme(scopes)},
            "schemas": {"Imsx_StatusInfo": IMSX_SCHEMA},
        },
    }


def clr_document() -> dict:
    clr = settings.CLR_SCOPE_PREFIX
    scopes = {clr + "credential.readonly": "Permission to read ClrCredentials for the user"}
    return {
        "openapi": "3.0.1",
        "info": _info("Comprehensive Learner Record Standard API", "2.0"),
        "servers": [{"url": settings.SITE_URL + "/ims/clr/v2p0"}],
        "tags": [{"name": "ClrCredentials"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": {
                    **_operation(
                        "getCredentials",
                        clr + "credential.readonly",
                        {"200": _json("GetClrCredentialsResponse")},
                    ),
                    "tags": ["ClrCredentials"],
                }
            },
            "/discovery": {
                "get": {
                    "operationId": "getServiceDescription",
                    "tags": ["Discovery"],
                    "security": [],
                    "responses": {"200": _json("ServiceDescriptionDocument")},
                }
            },
        },
        "components": {
            "securitySchemes": {"OAuth2ACG": oauth_scheme(scopes)},
            "schemas": {"Imsx_StatusInfo": IMSX_SCHEMA},
        },
    }
