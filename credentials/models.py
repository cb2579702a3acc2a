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


class BadgeClass(models.Model):
    """What is achieved: the Open Badges 2.0 BadgeClass, the 3.0 Achievement.

    Carries the EU micro-credential elements (Council Recommendation of 16 June 2022, Annex I).
    """

    class AchievementType(models.TextChoices):
        BADGE = "Badge", "Badge"
        MICRO_CREDENTIAL = "MicroCredential", "Micro-credential"
        CERTIFICATE = "Certificate", "Certificate"
        COURSE = "Course", "Course"
        COMPETENCY = "Competency", "Competency"
        ACHIEVEMENT = "Achievement", "Achievement"
        COMMUNITY_SERVICE = "CommunityService", "Community service"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Participation(models.TextChoices):
        ONLINE = "online", "Online"
        ONSITE = "onsite", "On-site"
        BLENDED = "blended", "Blended"

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="badge_classes")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField()
    image = models.FileField(upload_to="badges/", blank=True)
    criteria_narrative = models.TextField("criteria", help_text="What a person must do to earn it.")
    criteria_url = models.URLField("criteria URL", blank=True)
    alignments = models.ManyToManyField(Competency, blank=True, related_name="badge_classes")
    tags = models.JSONField(default=list, blank=True)
    achievement_type = models.CharField(
        max_length=30, choices=AchievementType.choices, default=AchievementType.BADGE
    )
    validity_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days an award stays valid; empty for no expiry."
    )
    allow_reaward = models.BooleanField(
        default=False, help_text="May the same person receive this badge more than once?"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)

    # EU micro-credential elements (Annex I). Learner, title, issuer country, awarding body and
    # date of issue come from the award, the name and the issuer.
    is_micro_credential = models.BooleanField("micro-credential", default=False)
    learning_outcomes = models.TextField(blank=True, help_text="One learning outcome per line.")
    workload_hours = models.PositiveIntegerField("notional workload (hours)", null=True, blank=True)
    ects_credits = models.DecimalField(
        "ECTS credits", max_digits=5, decimal_places=1, null=True, blank=True
    )
    eqf_level = models.PositiveSmallIntegerField(
        "EQF level", null=True, blank=True, choices=[(n, f"EQF {n}") for n in range(1, 9)]
    )
    assessment_type = models.CharField(max_length=200, blank=True)
    participation_form = models.CharField(
        "form of participation", max_length=12, choices=Participation.choices, blank=True
    )
    quality_assurance = models.CharField("type of quality assurance", max_length=300, blank=True)
    prerequisites = models.TextField(blank=True)
    supervision_and_identity = models.CharField(
        "supervision and identity verification during assessment", max_length=300, blank=True
    )
    grade_scheme = models.CharField("grade", max_length=200, blank=True)
    integration = models.CharField("integration / stackability", max_length=300, blank=True)
    further_information = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["issuer__name", "name"]
        verbose_name = "badge class"
        verbose_name_plural = "badge classes"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "slug"], name="unique_badge_slug_per_issuer")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]


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
    recipient_email = models.EmailField(help_text="The address at the time of the award.")
    recipient_name = models.CharField(max_length=200, blank=True)
    salt = models.CharField(max_length=64)
    identity_hash = models.CharField(max_length=80, help_text="sha256$… of e-mail + salt")
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
    idempotency_key = models.CharField(max_length=200, unique=True)
    status_index = models.PositiveIntegerField(
        help_text="This award's position in its issuer's status list."
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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "status_index"], name="unique_status_index_per_badge"
            )
        ]

    def __str__(self) -> str:
        return f"{self.badge_class} → {self.recipient_email}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
