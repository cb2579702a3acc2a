"""Issuer staff act only after a second factor (allauth MFA) in this very session.

Issuer staff hold signing power: they award and revoke credentials signed with their
institution's keys. Every page that lets a person act for an issuer wears
``@second_factor_required`` (under ``@login_required``). It lets through a person who acts for
no issuer (the view then says 403 as before); anyone who acts for one (staff of an issuer, and
superusers, who act for all) must

* have a TOTP or WebAuthn authenticator (allauth.mfa), and
* have used one in the current session: allauth records each step of signing in on the session
  (``get_authentication_records``); a record of method ``mfa`` naming one of this person's own
  authenticators counts: at login, on re-authentication, or when adding their first
  authenticator in this session (that proves it as a login would; credentials/receivers.py
  ``count_first_authenticator_as_used`` records it).

Otherwise they are sent to ``credentials_manage:second_factor``, which says why and leads to
setting one up or using it, then back to where they were going (a local ``next`` only).

Under ``make run`` only (DEBUG on), the addresses in ``ISSUER_MFA_DEMO_EXEMPT`` are let through
without one, and the pages say so; a system check (credentials/conf.py) refuses the setting
when DEBUG is off.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from credentials.services.second_factor import (  # noqa: F401 - the views' decorator is here too
    DEMO_NOTE,
    FACTORS,
    NEXT_KEY,
    acts_for_an_issuer,
    demo_exempt,
    satisfied,
    second_factor_required,
)
from lib.redirects import is_safe_path


def _safe_next(request, candidate: str | None) -> str:
    if candidate and is_safe_path(candidate, request):  # also no newline for the header
        return candidate
    return reverse("credentials_manage:home")


@login_required
def explain(request):
    """Why issuer staff need a second factor, and the way to set one up or use it."""
    target = _safe_next(request, request.GET.get("next") or request.session.get(NEXT_KEY))
    user = request.user
    if not acts_for_an_issuer(user) or demo_exempt(user) or satisfied(request):
        request.session.pop(NEXT_KEY, None)
        return redirect(target)
    request.session[NEXT_KEY] = target  # the set-up pages lead back here when they are done
    here = reverse("credentials_manage:second_factor")
    kinds = set(
        Authenticator.objects.filter(user_id=user.pk, type__in=FACTORS).values_list(
            "type", flat=True
        )
    )
    context = {
        "has_totp": Authenticator.Type.TOTP in kinds,
        "has_webauthn": Authenticator.Type.WEBAUTHN in kinds,
        "has_factor": bool(kinds),
        "next": target,
        "back": urlencode({"next": here}),
    }
    return render(request, "credentials/second_factor.html", context)
