"""Which addresses a university's identity provider may vouch for.

A provider's word makes an address verified only for the domains configured for it
(``email_domains``) and only when it asserts the address (OpenID Connect: the signed ID token
says email_verified; SAML: the signed assertion, see cms.sso.config). Any other address is
kept unverified, so it is confirmed by e-mail like any sign-up, and awards do not attach to it.
Signing in never joins an existing account by a matching address (email authentication stays
off): a provider reaches only the accounts it created or that their owner connected.
"""

from __future__ import annotations

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest

from cms import services
from credentials.services import attach_awards_of_verified_email


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def provider_vouches_for(app_settings: dict, email: str, claimed_verified: bool) -> bool:
    """Whether a provider with these app settings makes ``email`` a verified address."""
    domains = {domain.lower() for domain in app_settings.get("email_domains", [])}
    if email_domain(email) not in domains:
        return False
    return bool(claimed_verified or app_settings.get("idp_vouches_for_email") is True)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        app = sociallogin.provider.app
        app_settings = (app.settings if app is not None else None) or {}
        for address in sociallogin.email_addresses:
            address.verified = provider_vouches_for(app_settings, address.email, address.verified)
        super().pre_social_login(request, sociallogin)

    def can_authenticate_by_email(self, login: SocialLogin, email: str) -> bool:
        return False

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None):
        """A new account from a provider is a learner, named as the provider names them."""
        user = sociallogin.user
        if not user.display_name:
            user.display_name = " ".join(
                part for part in (user.first_name, user.last_name) if part
            )[:100]
        user = super().save_user(request, sociallogin, form)
        services.make_learner(user)
        # An address the provider vouched for is verified now, with no e-mail confirmation to
        # fire allauth's email_confirmed: awards made to it earlier join the account here.
        for address in sociallogin.email_addresses:
            if address.verified:
                attach_awards_of_verified_email(user, address.email)
        return user
