"""What an OAuth 2.0 application said about itself when it registered (RFC 7591).

django-oauth-toolkit's ``Application`` keeps the name and the redirect URIs; the rest of the
registration lives here, one row per application. ``scope`` is enforced: an application may
later ask a learner for these scopes and no others (applications registered before this table
existed have no row and keep every scope). The other fields are only what the application
claims (shown as such, never as a verified identity).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OAuthClientRegistration(models.Model):
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="registration",
    )
    scope = models.TextField(
        help_text=_("The scopes the application registered with, separated by spaces.")
    )
    client_uri = models.URLField(max_length=2000, blank=True)
    software_id = models.CharField(max_length=200, blank=True)
    software_version = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("OAuth client registration")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.scope}"

    @property
    def scopes(self) -> list[str]:
        return self.scope.split()
