"""How allauth handles our accounts: the sign-up's extra fields, roles, and safe redirects.

Settings point here (``ACCOUNT_ADAPTER``); the sign-up form is ``cms.forms.SignUpForm``.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from . import services

# Characters no local path we redirect to contains: control characters and backslashes are
# read by some browsers as "//", which leaves the site.
_UNSAFE = {chr(c) for c in range(0x20)} | {"\\", chr(0x7F)}


def is_local_path(url: str) -> bool:
    """Whether ``url`` is a path on this site ("/…"), not a bare word, scheme or other host."""
    return (
        bool(url)
        and url.startswith("/")
        and not url.startswith("//")
        and not _UNSAFE.intersection(url)
    )


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "That e-mail address and password do not match an account. "
        "Check both, or reset your password.",
        "too_many_login_attempts": "Too many failed attempts to log in to this account. "
        "Wait five minutes before you try again, or reset your password.",
    }

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        """Store the name, time zone and language the person gave, and make them a learner."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.email = (user.email or "").lower()
        user.display_name = data.get("display_name", "") or ""
        user.time_zone = data.get("time_zone") or user.time_zone
        user.language = data.get("language") or user.language
        if commit:
            user.save()
            services.make_learner(user)
        return user

    def is_safe_url(self, url: str | None) -> bool:
        """Only a path on this site: ``next=foo``, ``//evil.example``, ``javascript:…`` and
        absolute URLs (even to our own host) fall back to the default page."""
        return bool(url) and is_local_path(url) and super().is_safe_url(url)
