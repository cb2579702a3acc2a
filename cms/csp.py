"""The Content-Security-Policy header: the settings' strict policy, with a few additions.

The policy (``CONTENT_SECURITY_POLICY`` in settings) allows no inline script or style. Under
the two admins' prefixes, and only there, two directives differ (measured in Chromium over the
Wagtail 8 admin's pages, page editing and live preview, and Django's admin):

- ``script-src`` also allows ``'unsafe-inline'``: Wagtail's listings, reports and editor run
  inline <script> elements of their own. No inline style was needed, so styles stay strict.
- ``frame-ancestors 'self'`` instead of ``'none'``: the live preview shows the page in a frame
  of the editor. Everywhere else no one may frame us.

Signing in with a university's identity provider is a form posted to us that we answer with a
redirect to the provider, and browsers apply ``form-action`` to that redirect: the origins of
the providers configured in ``SOCIALACCOUNT_PROVIDERS`` are added to ``form-action``.

Images: our own public origin (``SITE_URL``, which credentials' absolute image URLs name) is
allowed everywhere; the verifier's page (/verify/) shows the badge image of any issuer's
credential, so there, and only there, images may come from any https: origin (they are loaded
with no referrer).

OAuth 2.0 consent (/oauth/authorize/): the learner's Allow or Deny is a form posted to us that
we answer with a redirect to the application's redirect URI, and browsers apply ``form-action``
to that redirect. On that path only, the origin of the redirect URI the view validated against
the application's registration (``request.csp_form_action_origins``) joins ``form-action``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from csp.constants import HEADER, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# Pages that show other issuers' badge images, and what they add to img-src.
REMOTE_IMAGE_PREFIXES = ("/verify/",)
REMOTE_IMAGES = ["https:"]

# Where a view may add the origin it validated to form-action (and nowhere else).
OAUTH_AUTHORIZE_PATH = "/oauth/authorize/"

# Under ADMIN_PREFIXES (and nowhere else): what is added to the site's directives, and what
# replaces them.
ADMIN_ADDITIONS = {"script-src": [UNSAFE_INLINE]}
ADMIN_REPLACEMENTS = {"frame-ancestors": [SELF]}


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
    """django-csp's middleware, plus the identity providers in ``form-action``, our public
    origin (and on /verify/ any https: origin) in ``img-src``, and the admins' framing."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # Wagtail renders a preview by passing a made-up request for the page's own URL through
        # the middleware, which gives the response the public page's policy; in the editor's
        # preview frame it needs the admin's (framing by our own admin allowed).
        if is_admin_path(request.path_info) and HEADER in response:
            del response[HEADER]
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        extra: dict[str, list[str]] = {}
        if origins := identity_provider_origins():
            extra["form-action"] = origins
        if request.path_info == OAUTH_AUTHORIZE_PATH:
            validated = getattr(request, "csp_form_action_origins", None) or []
            consent = [o for o in map(_origin, validated) if o]
            extra["form-action"] = [*extra.get("form-action", []), *consent]
        images = [origin] if (origin := _origin(getattr(settings, "SITE_URL", None))) else []
        if request.path_info.startswith(REMOTE_IMAGE_PREFIXES):
            images += REMOTE_IMAGES
        if images:
            extra["img-src"] = images
        if is_admin_path(request.path_info):
            extra.update(ADMIN_ADDITIONS)
            parts.replace = {**ADMIN_REPLACEMENTS, **(parts.replace or {})}
        if extra:
            update = {key: list(value) for key, value in (parts.update or {}).items()}
            for directive, sources in extra.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts
