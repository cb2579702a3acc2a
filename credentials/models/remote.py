"""Other Open Badges 3.0 hosts a learner brings credentials from (we are their Service Consumer).

A :class:`RemoteHost` is another backpack we registered with once (RFC 7591 dynamic client
registration, at the address its discovery document gives); a :class:`RemoteConnection` is one
learner's authorisation at that host. The client secret and the refresh tokens are encrypted
at rest (``credentials.services.remote_hosts``) and never serialised.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.models.issuers import SecretTextField


class RemoteHost(models.Model):
    base_url = models.URLField(_("address"), max_length=500, unique=True)
    discovery_url = models.URLField(max_length=500)
    authorization_url = models.URLField(max_length=500)
    token_url = models.URLField(max_length=500)
    api_base_url = models.URLField(max_length=500)
    # What the host answered to our registration, minus the secret (kept encrypted below).
    registration = models.JSONField(default=dict, blank=True)
    client_id = models.CharField(max_length=500)
    client_secret_encrypted = SecretTextField(blank=True, editable=False)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["base_url"]

    def __str__(self) -> str:
        return self.base_url


class RemoteConnection(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="remote_connections"
    )
    host = models.ForeignKey(RemoteHost, on_delete=models.CASCADE, related_name="connections")
    refresh_token_encrypted = SecretTextField(blank=True, editable=False)
    scopes = models.CharField(max_length=500, blank=True)
    connected_at = models.DateTimeField(auto_now_add=True)
    last_pulled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["host__base_url"]
        constraints = [
            models.UniqueConstraint(fields=["user", "host"], name="remote_connection_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.host_id}"
