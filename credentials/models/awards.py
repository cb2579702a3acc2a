"""Awards (a credential given to a person) and the status lists that say whether they stand.
An award's baked images are not stored: they are baked from its signed documents when
downloaded (credentials.issuing.baking). Who checked them is in
:mod:`credentials.models.verifications`."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.models.badges import BadgeClass
from credentials.models.issuers import Issuer


def new_subject_id() -> str:
    """A fresh ``credentialSubject.id`` for an award: a random ``urn:uuid:``."""
    return f"urn:uuid:{uuid.uuid4()}"


class StatusList(models.Model):
    """One W3C Bitstring Status List of an issuer, for one purpose (revocation).

    Every award the issuer makes gets a random, unused position in it (``credentials.services``),
    so the list reveals neither how many credentials the issuer gave nor which position
    belongs to whom (herd privacy). Awards made before per-issuer lists keep their badge
    class's list (``Award.status_list`` empty), which stays served for them.
    """

    class Purpose(models.TextChoices):
        REVOCATION = "revocation", _("Revocation")

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.REVOCATION)
    length = models.PositiveIntegerField(
        default=131_072, help_text=_("Entries in the list; doubled when it is half full.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "purpose"], name="one_status_list_per_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.purpose} list"


class Award(models.Model):
    """One credential given to one person (the OB 2.0 Assertion, the OB 3.0 credential)."""

    public_id = models.UUIDField(unique=True, editable=False)
    badge_class = models.ForeignKey(BadgeClass, on_delete=models.PROTECT, related_name="awards")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
    )
    recipient_email = models.EmailField(help_text=_("The address at the time of the award."))
    recipient_name = models.CharField(max_length=200, blank=True)
    subject_id = models.CharField(
        _("credential subject id"),
        max_length=300,
        default=new_subject_id,
        help_text=_(
            "credentialSubject.id: a urn:uuid of this award (a wallet's DID may replace it)."
        ),
    )
    salt = models.CharField(max_length=64)
    identity_hash = models.CharField(max_length=80, help_text=_("sha256$… of e-mail + salt"))
    issued_on = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards_given",
    )
    idempotency_key = models.CharField(max_length=300, unique=True)
    status_list = models.ForeignKey(
        StatusList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        help_text=_(
            "The issuer's status list; empty for awards in their badge's own (older) list."
        ),
    )
    status_index = models.PositiveIntegerField(
        help_text=_("This award's position in its status list.")
    )
    is_public = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards_revoked",
    )
    revocation_reason = models.TextField(blank=True)
    bulk_award = models.ForeignKey(
        "BulkAward",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        help_text=_("The CSV upload that made this award, if one did."),
    )
    # What was signed at issuance (credentials.issuing.baking.sign_award): stored so that the proofs
    # stay verifiable after key rotation or later edits to the badge or issuer.
    ob2_signed = models.TextField(_("OB 2.0 signed assertion (JWS)"), blank=True, editable=False)
    ob3_credential = models.JSONField(
        _("OB 3.0 credential with Data Integrity proof"), null=True, blank=True, editable=False
    )
    ob3_jwt = models.TextField(_("OB 3.0 VC-JWT"), blank=True, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("When the award e-mail went out.")
    )
    # Delivery of the award e-mail (credentials.services.emails): a sender claims the award
    # before it talks to the mail server (another delivery of the same task then skips it), and
    # the last retry that still fails records why, for the issuer's staff to see and resend.
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_failed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("When the award e-mail finally failed.")
    )
    email_error = models.CharField(max_length=500, blank=True, editable=False)
    revocation_notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the recipient was e-mailed that the credential was revoked."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                condition=models.Q(status_list__isnull=False),
                name="unique_status_index_per_list",
            ),
            models.UniqueConstraint(
                fields=["badge_class", "status_index"],
                condition=models.Q(status_list__isnull=True),
                name="unique_legacy_status_index_per_badge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.badge_class} → {self.recipient_email}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def names_learner(self) -> bool:
        """Whether the signed OB 3.0 credential identifies the learner by name too."""
        subject = (self.ob3_credential or {}).get("credentialSubject") or {}
        identifiers = subject.get("identifier") if isinstance(subject, dict) else None
        return any(
            isinstance(entry, dict) and entry.get("identityType") == "name"
            for entry in identifiers or []
        )
