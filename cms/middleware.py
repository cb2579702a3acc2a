import zoneinfo

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from credentials.services.second_factor import FACTORS, acts_for_an_issuer, demo_exempt, satisfied


class UserTimezoneMiddleware:
    """Show times in the signed-in person's own IANA time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


# The admins' own sign-in and sign-out pages (cms/urls.py sends sign-in to allauth's page).
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_OPEN = ("/admin/login/", "/admin/logout/", "/django-admin/login/", "/django-admin/logout/")
# allauth.mfa's pages that add, change or reveal a person's authenticators: open to a person who
# has none (the first is set up with the password), else only after using one in this session.
MFA_CHANGES = {
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_deactivate_totp",
    "mfa_remove_webauthn",
    "mfa_edit_webauthn",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
}
CONFIRM_FIRST = "To change your authenticators, first confirm it is you with one you have."
SET_UP_FIRST = "The admin needs a second factor: set one up, then open the admin again."


class SecondFactorMiddleware:
    """Two doors the issuer pages' ``@second_factor_required`` does not cover.

    * The Wagtail and Django admins: a superuser, or anyone who acts for an issuer, uses them
      only after a second factor in this session (the rule and demo exemption of
      credentials/services/second_factor.py); there they could add staff to an issuer or mark
      an address verified. Editors who act for no issuer are not asked.
    * allauth's pages that change authenticators: a person who has one may change them only
      from a session that used one. allauth lets a recent password re-authentication suffice,
      so whoever knows only the password could otherwise swap in their own authenticator.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path_info
        if path.startswith(ADMIN_PREFIXES) and not path.startswith(ADMIN_OPEN):
            return _admin_gate(request)
        match = request.resolver_match
        name = match.url_name if match else None
        if name in MFA_CHANGES:
            return _authenticator_change_gate(request)
        return None


def _factors(user):
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTORS)


def _prove_with_factor(request, factors):
    """allauth's MFA re-authentication for this person's kind of authenticator, then back."""
    kinds = set(factors.values_list("type", flat=True))
    name = "mfa_reauthenticate"
    if Authenticator.Type.TOTP not in kinds:
        name = "mfa_reauthenticate_webauthn"
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse(name)}?{query}")


def _admin_gate(request):
    user = request.user
    issuer_staff = acts_for_an_issuer(user)
    if not (user.is_superuser or issuer_staff) or demo_exempt(user) or satisfied(request):
        return None
    if issuer_staff:  # as @second_factor_required does; that page leads back (a local next)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('credentials_manage:second_factor')}?{query}")
    # A superuser while no issuer exists yet: that page would send them straight back.
    factors = _factors(user)
    if factors.exists():
        return _prove_with_factor(request, factors)
    messages.info(request, SET_UP_FIRST)
    return redirect("mfa_index")


def _authenticator_change_gate(request):
    factors = _factors(request.user)
    if not factors.exists() or satisfied(request):
        return None  # the first one is set up with the password
    messages.warning(request, CONFIRM_FIRST)
    return _prove_with_factor(request, factors)
