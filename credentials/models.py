"""Issuers and the people who act for them.

This app is an issuer and verifier that knows nothing about courses: it imports no other
app of the project, and refers to people through ``settings.AUTH_USER_MODEL``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField


class Issuer(models.Model):
    """An institution that issues or endorses credentials: a university, a company…"""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University or higher-education institution"
        COMPANY = "company", "Company or industry partner"
        INTERMEDIARY = "intermediary", "Intermediary (technology transfer office, cluster…)"
        OTHER = "other", "Other organisation"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField("website", help_text="The institution's public website.")
    email = models.EmailField("contact e-mail")
    description = models.TextField(blank=True)
    country = CountryField(
        help_text="Country of the awarding body (an EU micro-credential element)."
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="issuers",
        help_text="People who may act for this institution: define and award its badges.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("credentials:issuer", kwargs={"slug": self.slug})


class Framework(models.Model):
    """A competence framework (EntreComp, LifeComp, DigComp…) that badges and courses align to."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=20, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField("publication", blank=True)
    uri = models.URLField(
        "URI", unique=True, help_text="Stable identifier of the framework (for example its DOI)."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class Competency(models.Model):
    """One competence of a framework, e.g. EntreComp 1.1 Spotting opportunities."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competences")
    area_code = models.CharField(max_length=10)
    area_name = models.CharField(max_length=120)
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    uri = models.URLField("URI", max_length=300, unique=True)

    class Meta:
        ordering = ["framework__name", "code"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_competency_code")
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} {self.code} {self.name}"
