"""Issuer staff act only after a second factor (allauth MFA) in this very session: the rule.

The rule and the ``@second_factor_required`` decorator live here, behind the door other apps
use (``credentials.services``), so a course report or a mentoring programme's report (which
show learners' data to institution staff) wear the same gate as the issuer pages;
credentials/web/second_factor.py holds the page that explains it. See that module's docstring
for what counts as having used a second factor.
"""

from __future__ import annotations

from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from credentials.conf import settings as conf
from credentials.services.issuers import issuers_for

FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# A recovery code stands in for a lost TOTP/WebAuthn device at login; it exists only beside one.
PROOFS = (*FACTORS, Authenticator.Type.RECOVERY_CODES)
NEXT_KEY = "credentials_second_factor_next"
DEMO_NOTE = gettext_noop(  # translated where it is shown (a constant the tests compare)
    "Demo: a second factor is not required for demo accounts under make run; in production it is."
)


def acts_for_an_issuer(user) -> bool:
    return issuers_for(user).exists()


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


def cleared(request) -> bool:
    """Whether this session may see or do what acting for an issuer allows: a person who acts
    for none needs nothing more; issuer staff need a second factor used in this session (or the
    demo exemption). Pages that show staff more than the public (a private credential, a course
    or programme report) ask this before showing it."""
    user = request.user
    if not user.is_authenticated or not acts_for_an_issuer(user):
        return True
    return demo_exempt(user) or satisfied(request)


def _say_demo_note(request) -> None:
    """Once per page: the note is queued unless it is already waiting to be shown."""
    if request.method != "GET" or "json" in request.headers.get("Accept", ""):
        return
    storage = messages.get_messages(request)
    waiting = [*getattr(storage, "_loaded_messages", []), *getattr(storage, "_queued_messages", [])]
    note = _(DEMO_NOTE)
    if not any(str(message) == note for message in waiting):
        messages.info(request, note)


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
