"""How allauth handles our accounts: the sign-up's extra fields, roles, and safe redirects.

Settings point here (``ACCOUNT_ADAPTER``); the sign-up form is ``cms.forms.SignUpForm``.

Where a person lands after logging in, signing up or confirming their address (when no safe
``next`` names a page): :func:`home_for` — learners on their learning, staff on their desk.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from credentials.services import issuers_for
from lib.i18n import in_language_of

from . import roles, services

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


def home_for(user) -> str:
    """The page a person starts from: a learner's learning dashboard; staff who are not
    learners their own desk (issuer staff the institution's, mentors theirs, editors the
    Wagtail admin); anyone else the learning dashboard, which says how to begin."""
    held = set(roles.roles_of(user))
    if roles.LEARNERS in held or user.enrolments.exists():
        return reverse("learning:dashboard")
    if roles.ISSUER_STAFF in held and issuers_for(user):
        return reverse("credentials_manage:home")
    if roles.MENTORS in held:
        return reverse("mentoring:dashboard")
    if user.is_staff and (user.is_superuser or roles.EDITORS in held):
        return reverse("wagtailadmin_home")
    return reverse("learning:dashboard")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "That e-mail address and password do not match an account. "
            "Check both, or reset your password."
        ),
        "too_many_login_attempts": _(
            "Too many failed attempts to log in to this account. "
            "Wait five minutes before you try again, or reset your password."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account e-mail in its recipient's language: the account's (the one in the
        context, else the one with that address), else the language of the page that sent it
        (an address with no account)."""
        recipient = context.get("user")
        if recipient is None or not getattr(recipient, "pk", None):
            recipient = get_user_model().objects.filter(email__iexact=email).first()
        with in_language_of(recipient, fallback=get_language()):
            super().send_mail(template_prefix, email, context)

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

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """After logging in (and after confirming the address, which logs in): the person's
        start page. A safe ``next`` still wins (allauth checks it with :meth:`is_safe_url`)."""
        return home_for(request.user)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        if request.user.is_authenticated:
            return home_for(request.user)
        return super().get_signup_redirect_url(request)

    def is_safe_url(self, url: str | None) -> bool:
        """Only a path on this site: ``next=foo``, ``//evil.example``, ``javascript:…`` and
        absolute URLs (even to our own host) fall back to the default page."""
        return bool(url) and is_local_path(url) and super().is_safe_url(url)
