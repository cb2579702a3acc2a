"""OpenID for Verifiable Credential Issuance 1.0: a learner's award offered to a wallet.

A learner asks for an offer on their credential page; the offer carries a pre-authorised code
(in the QR code and deep link) and needs a transaction code we e-mail to the learner. Only
hashes of the codes and tokens are stored. A wallet trades both for an access token once, asks
for a nonce, and receives the credential bound to the key it proves it holds.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.models.awards import Award


class WalletOffer(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="wallet_offers")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    tx_code_hash = models.CharField(max_length=128, editable=False)
    tx_code_attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    redeemed_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"offer {self.public_id} of {self.award_id}"


class WalletNonce(models.Model):
    """A ``c_nonce`` from the nonce endpoint: a proof of possession may use it once."""

    nonce_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"nonce until {self.expires_at:%Y-%m-%d %H:%M}"


class WalletCredential(models.Model):
    """One credential a wallet received: which offer, which format, bound to which key."""

    offer = models.ForeignKey(WalletOffer, on_delete=models.CASCADE, related_name="issued")
    format = models.CharField(max_length=20)
    holder_id = models.CharField(max_length=2000, help_text=_("The wallet's DID."))
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "format"], name="wallet_credential_once"),
        ]

    def __str__(self) -> str:
        return f"{self.format} for {self.holder_id}"
