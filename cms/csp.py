"""The Content-Security-Policy header: strict everywhere, relaxed only inside the two admins.

The public site's policy (``CONTENT_SECURITY_POLICY`` in settings) allows no inline script or
style. Wagtail's admin and Django's admin ship inline scripts and style attributes of their
own (measured in Chromium: see docs/architecture.md), so under their URL prefixes, and only
there, the policy also allows ``'unsafe-inline'`` for scripts and styles.

Signing in with a university's identity provider is a form posted to us that we answer with a
redirect to the provider, and browsers apply ``form-action`` to that redirect: the origins of
the providers configured in ``SOCIALACCOUNT_PROVIDERS`` are added to ``form-action``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# Added to the site's policy under ADMIN_PREFIXES (and nowhere else).
ADMIN_RELAXATION = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
}


def is_admin_path(path: str) -> bool:
    return path.startswith(ADMIN_PREFIXES)


def _origin(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def identity_provider_origins() -> list[str]:
    """The origins sign-in may be redirected to: each OpenID Connect provider's server and
    each SAML identity provider's sign-on (or metadata) address."""
    origins: list[str] = []
    providers = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}) or {}
    for provider in providers.values():
        for app in provider.get("APPS", []) or []:
            app_settings = app.get("settings", {}) or {}
            idp = app_settings.get("idp", {}) or {}
            urls = (app_settings.get("server_url"), idp.get("sso_url"), idp.get("metadata_url"))
            for url in urls:
                origin = _origin(url)
                if origin and origin not in origins:
                    origins.append(origin)
    return origins


class PathCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the identity providers in ``form-action`` and the admin
    relaxation under the admins' paths."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        extra: dict[str, list[str]] = {}
        if origins := identity_provider_origins():
            extra["form-action"] = origins
        if is_admin_path(request.path_info):
            extra.update(ADMIN_RELAXATION)
        if extra:
            update = {key: list(value) for key, value in (parts.update or {}).items()}
            for directive, sources in extra.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts
