"""Credentials from other issuers that a learner keeps in their backpack.

An application the learner authorised puts them here through the Open Badges 3.0 API
(``upsertCredential``). The body is kept exactly as it arrived, byte for byte: it is what was
signed, and what we hand back. Everything else on the row is read from it, or is our own
verifier's verdict on it; nothing the document says about itself is taken as true.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credentials.conf import settings as conf


class ImportedCredential(models.Model):
    class Format(models.TextChoices):
        JSON = "json", _("Open Badges 3.0 JSON")
        JWT = "jwt", _("Open Badges 3.0 VC-JWT")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_credentials"
    )
    # The upsert key: the sha256 of the credential's `id` (its body's when it has none), so the
    # same credential sent twice replaces itself instead of appearing twice.
    key = models.CharField(max_length=64, editable=False)
    credential_id = models.CharField(max_length=1000, blank=True)
    format = models.CharField(max_length=8, choices=Format.choices)
    body = models.TextField(help_text=_("The credential exactly as it was received."))
    # What the document claims, for listing only; pages say who vouches for it (the verdict).
    claimed_issuer_id = models.CharField(max_length=1000, blank=True)
    claimed_issuer_name = models.CharField(max_length=300, blank=True)
    achievement_name = models.CharField(max_length=300, blank=True)
    claimed_valid_from = models.DateTimeField(null=True, blank=True)
    application = models.ForeignKey(
        "oauth2_provider.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The application that put it in the backpack."),
    )
    # Our verifier's verdict: checked in the background after every change, and on request.
    verdict = models.CharField(max_length=40, blank=True)
    verdict_detail = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    on_profile = models.BooleanField(
        _("show on my public profile"),
        default=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="imported_credential_once"),
        ]

    def __str__(self) -> str:
        return self.achievement_name or self.credential_id or str(self.public_id)

    @property
    def verdict_is_stale(self) -> bool:
        """Our verdict is older than ``IMPORT_VERDICT_MAX_AGE_SECONDS``: the issuer may have
        revoked it since, so it is not shown as current (and is checked again)."""
        if self.checked_at is None:
            return False  # never checked: "not checked yet", not stale
        age = timedelta(seconds=conf.IMPORT_VERDICT_MAX_AGE_SECONDS)
        return self.checked_at < timezone.now() - age

    @property
    def holder_confirmed(self) -> bool:
        """Valid, and issued to an e-mail address the owner verified with us (our verifier
        matched it): only then is it shown as theirs."""
        matched = (self.verdict_detail or {}).get("recipient_matched")
        return self.verdict == "valid" and matched is True

    @property
    def issuer_is_ours(self) -> bool:
        """Our verifier identified the issuer as one of our institutions AND its signature
        verified: a forgery merely naming one of ours is not."""
        detail = self.verdict_detail or {}
        if (detail.get("issuer_trust") or {}).get("kind") != "platform":
            return False
        checks = detail.get("checks") or []
        return any(c.get("name") == "proof" and c.get("passed") is True for c in checks)


class PublicProfile(models.Model):
    """A learner's public page at /people/<public_id>/, off until they switch it on.

    It shows the name they call themselves by (never as a verified identity), their public
    awards here and the imported credentials they chose, each with our verifier's verdict.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_profile"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_public = models.BooleanField(_("public profile"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.public_id)
