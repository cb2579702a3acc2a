"""Issuer staff need a second factor in the session (credentials/web/second_factor.py).

``login_with_second_factor(client, user)`` is ``client.force_login(user)`` for tests of the
issuer pages: it gives the person a TOTP authenticator (unless they have one) and records on
the session that they authenticated with it, as allauth does when the code is entered at login.
``totp_code(secret)`` is the code an authenticator app would show now.
"""

from __future__ import annotations

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

USER_KEY = "account_authentication_methods_user"  # allauth's: whose records these are


def give_totp(user) -> tuple[Authenticator, str]:
    """A TOTP authenticator for ``user`` and its secret."""
    secret = generate_totp_secret()
    return TOTP.activate(user, secret).instance, secret


def totp_code(secret: str) -> str:
    """The code of the current window, never one about to expire: a browser journey types it
    and submits it a second or more later, and allauth accepts only the window it arrives in."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 6:
        time.sleep(left + 0.2)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def mark_session_mfa(client, user, authenticator: Authenticator) -> None:
    session = client.session
    records = list(session.get(AUTHENTICATION_METHODS_SESSION_KEY) or [])
    records.append(
        {"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": authenticator.type}
    )
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[USER_KEY] = user_id_to_str(user)
    session.save()


def login_with_second_factor(client, user) -> Authenticator:
    authenticator = Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.TOTP
    ).first()
    if authenticator is None:
        authenticator, _ = give_totp(user)
    client.force_login(user)
    mark_session_mfa(client, user, authenticator)
    return authenticator
