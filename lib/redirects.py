"""Where to send the browser after a form: a ``next`` the request names, if it stays on-site.

A redirect target read from the request (``next``) is attacker-controlled: a link can carry
``//evil.example`` or ``javascript:…``, and a bare word (``next=foo``) made ``redirect()``
look it up as a URL name and fail with a 500. :func:`safe_next` accepts only a path on this
site (``/…``) without control characters, and otherwise gives the fallback.
"""

import unicodedata

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_path(target: str, request: HttpRequest) -> bool:
    """``target`` is a path on this site that is safe to put into a Location header."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(unicodedata.category(ch)[0] == "C" for ch in target) or "\\" in target:
        return False  # newlines would break the header; tabs and backslashes fool browsers
    return url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, fallback: str, field: str = "next") -> str:
    """The on-site path in ``field`` (POST, then GET), else ``fallback`` (a URL or URL name)."""
    for source in (request.POST, request.GET):
        target = source.get(field) or ""
        if target:
            return target if is_safe_path(target, request) else resolve_url(fallback)
    return resolve_url(fallback)
