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

from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from credentials import services
from credentials.conf import settings as conf
from lib.redirects import is_safe_path

FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# A recovery code stands in for a lost TOTP/WebAuthn device at login; it exists only beside one.
PROOFS = (*FACTORS, Authenticator.Type.RECOVERY_CODES)
NEXT_KEY = "credentials_second_factor_next"
DEMO_NOTE = (
    "Demo: a second factor is not required for demo accounts under make run; in production it is."
)


def acts_for_an_issuer(user) -> bool:
    return services.issuers_for(user).exists()


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTORS).exists()


def used_second_factor(request) -> bool:
    """Did this session authenticate ``request.user`` with one of their own authenticators?"""
    records = get_authentication_records(request, request.user)  # [] for another user's records
    ids = {
        record.get("id")
        for record in records
        if record.get("method") == "mfa" and record.get("type") in PROOFS
    }
    ids.discard(None)
    if not ids:
        return False
    mine = Authenticator.objects.filter(user_id=request.user.pk, type__in=PROOFS)
    return mine.filter(pk__in=ids).exists()


def demo_exempt(user) -> bool:
    """Only with DEBUG on (``make run``) and only for the listed demo addresses."""
    if not django_settings.DEBUG or not conf.ISSUER_MFA_DEMO_EXEMPT:
        return False
    listed = {address.strip().lower() for address in conf.ISSUER_MFA_DEMO_EXEMPT}
    return bool(user.email) and user.email.lower() in listed


def satisfied(request) -> bool:
    return has_second_factor(request.user) and used_second_factor(request)


def _safe_next(request, candidate: str | None) -> str:
    if candidate and is_safe_path(candidate, request):  # also no newline for the header
        return candidate
    return reverse("credentials_manage:home")


def _say_demo_note(request) -> None:
    """Once per page: the note is queued unless it is already waiting to be shown."""
    if request.method != "GET" or "json" in request.headers.get("Accept", ""):
        return
    storage = messages.get_messages(request)
    waiting = [*getattr(storage, "_loaded_messages", []), *getattr(storage, "_queued_messages", [])]
    if not any(str(message) == DEMO_NOTE for message in waiting):
        messages.info(request, DEMO_NOTE)


def second_factor_required(view):
    """Put under ``@login_required`` on every view that lets a person act for an issuer."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or not acts_for_an_issuer(user):
            return view(request, *args, **kwargs)
        if demo_exempt(user):
            _say_demo_note(request)
            return view(request, *args, **kwargs)
        if satisfied(request):
            return view(request, *args, **kwargs)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('credentials_manage:second_factor')}?{query}")

    gated.second_factor_required = True
    return gated


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
