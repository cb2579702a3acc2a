"""Issuers (institutions that award credentials), the people who act for them, and their
signing keys. People are referred to through ``settings.AUTH_USER_MODEL``: this app imports no
other app of the project."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Issuer(models.Model):
    """An institution that issues or endorses credentials: a university, a company…"""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University or higher-education institution")
        COMPANY = "company", _("Company or industry partner")
        INTERMEDIARY = "intermediary", _("Intermediary (technology transfer office, cluster…)")
        OTHER = "other", _("Other organisation")

    class LearnerIdentification(models.TextChoices):
        NAME_AND_EMAIL = "name_email", _("The learner's name and a hashed e-mail address")
        EMAIL = "email", _("A hashed e-mail address only")

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text=_("Stable id in public URLs.")
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(_("website"), help_text=_("The institution's public website."))
    email = models.EmailField(_("contact e-mail"))
    description = models.TextField(blank=True)
    image = models.FileField(upload_to="issuers/", blank=True, help_text=_("Logo, PNG or SVG."))
    country = CountryField(
        help_text=_("Country of the awarding body (an EU micro-credential element).")
    )
    learner_identification = models.CharField(
        _("learner identification in credentials"),
        max_length=12,
        choices=LearnerIdentification.choices,
        default=LearnerIdentification.NAME_AND_EMAIL,
        help_text=_(
            "How the credentials you award identify the learner (an EU micro-credential "
            "element). The e-mail address is always signed in as a salted hash, which only "
            "someone who knows the address can match. With the name, the learner's name is "
            "signed in as it is: anyone the learner shows the credential to can read it, "
            "and employers can see at once whose it is. Changes apply to new awards only."
        ),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="issuers",
        help_text=_("People who may act for this institution: define and award its badges."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("credentials:issuer", kwargs={"slug": self.slug})


class SecretTextField(models.TextField):
    """Text that never leaves the database through serialisation (dumpdata, fixtures)."""

    def value_to_string(self, obj) -> str:
        return ""


class IssuerKey(models.Model):
    """One signing key of an issuer. The private half is encrypted at rest
    (credentials.issuing.keystore).

    A rotated key is retired, never deleted: its public half stays published so that
    credentials signed with it keep verifying.
    """

    class Algorithm(models.TextChoices):
        ED25519 = "Ed25519", _("Ed25519 (Data Integrity eddsa-rdfc-2022, Multikey)")
        RSA = "RS256", _("RSA-2048 (RS256 JWS: OB 2.0 signed, OB 3.0 VC-JWT)")

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="keys")
    key_id = models.SlugField(max_length=80, help_text=_("Name of the key in its public URL."))
    algorithm = models.CharField(max_length=10, choices=Algorithm.choices)
    public_key = models.TextField(help_text=_("Multibase (Ed25519) or PEM (RSA) public key."))
    private_key_encrypted = SecretTextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issuer", "algorithm", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "key_id"], name="unique_key_id_per_issuer"),
            models.UniqueConstraint(
                fields=["issuer", "algorithm"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_key_per_algorithm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.key_id}"

    def __repr__(self) -> str:  # never the private key
        return f"<IssuerKey {self.issuer_id}/{self.key_id} {self.algorithm}>"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None
