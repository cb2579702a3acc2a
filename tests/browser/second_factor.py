"""Issuer staff log in with their second factor (credentials/web/second_factor.py): a TOTP
authenticator is made for them in the database, and allauth's login asks for its code."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.browser.helpers import PASSWORD, address_verified, logged_in_menu
from tests.credentials.second_factor_support import give_totp, totp_code

_secrets: dict[str, str] = {}
_used: set[tuple[str, str]] = set()


def fresh_code(secret: str) -> str:
    """The code shown now; a code is accepted once, so wait for the next one if it was used."""
    while (secret, code := totp_code(secret)) in _used:
        time.sleep(1 + mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD)
    _used.add((secret, code))
    return code


def log_in_with_second_factor(page: Page, base: str, email: str) -> None:
    user = get_user_model().objects.get(email__iexact=email)
    if email not in _secrets or not Authenticator.objects.filter(user=user, type="totp").exists():
        Authenticator.objects.filter(user=user, type="totp").delete()
        _secrets[email] = give_totp(user)[1]
    address_verified(email)
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    code = totp_code(_secrets[email])
    # allauth takes each code once; a journey that logs the same person in twice within the
    # same 30 seconds would otherwise wait for the next one (replay is allauth's, not ours).
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Log in").click()
    expect(logged_in_menu(page)).to_be_attached()
