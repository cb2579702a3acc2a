"""Issuers and the people who act for them.

This app is an issuer and verifier that knows nothing about courses: it imports no other
app of the project, and refers to people through ``settings.AUTH_USER_MODEL``.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField


class Issuer(models.Model):
    """An institution that issues or endorses credentials: a university, a company…"""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University or higher-education institution"
        COMPANY = "company", "Company or industry partner"
        INTERMEDIARY = "intermediary", "Intermediary (technology transfer office, cluster…)"
        OTHER = "other", "Other organisation"

    class LearnerIdentification(models.TextChoices):
        NAME_AND_EMAIL = "name_email", "The learner's name and a hashed e-mail address"
        EMAIL = "email", "A hashed e-mail address only"

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Stable id in public URLs."
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField("website", help_text="The institution's public website.")
    email = models.EmailField("contact e-mail")
    description = models.TextField(blank=True)
    image = models.FileField(upload_to="issuers/", blank=True, help_text="Logo, PNG or SVG.")
    country = CountryField(
        help_text="Country of the awarding body (an EU micro-credential element)."
    )
    learner_identification = models.CharField(
        "learner identification in credentials",
        max_length=12,
        choices=LearnerIdentification.choices,
        default=LearnerIdentification.NAME_AND_EMAIL,
        help_text=(
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
        ED25519 = "Ed25519", "Ed25519 (Data Integrity eddsa-rdfc-2022, Multikey)"
        RSA = "RS256", "RSA-2048 (RS256 JWS: OB 2.0 signed, OB 3.0 VC-JWT)"

    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="keys")
    key_id = models.SlugField(max_length=80, help_text="Name of the key in its public URL.")
    algorithm = models.CharField(max_length=10, choices=Algorithm.choices)
    public_key = models.TextField(help_text="Multibase (Ed25519) or PEM (RSA) public key.")
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

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Stable id in public URLs."
    )
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
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language the badge is taught and assessed in, and its texts are written in.",
    )
    validity_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days an award stays valid; empty for no expiry."
    )
    allow_reaward = models.BooleanField(
        default=False, help_text="May the same person receive this badge more than once?"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badges_published",
    )

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

    def competences(self) -> list["Competency"]:
        """The competences it aligns to, with their frameworks: one query per badge object
        (signing a chunk of awards asks for them once per award)."""
        cached = self.__dict__.get("_cocreate_competences")
        if cached is None:
            cached = list(self.alignments.select_related("framework"))
            self.__dict__["_cocreate_competences"] = cached
        return cached


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
        REVOCATION = "revocation", "Revocation"

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.REVOCATION)
    length = models.PositiveIntegerField(
        default=131_072, help_text="Entries in the list; doubled when it is half full."
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
    recipient_email = models.EmailField(help_text="The address at the time of the award.")
    recipient_name = models.CharField(max_length=200, blank=True)
    subject_id = models.CharField(
        "credential subject id",
        max_length=300,
        default=new_subject_id,
        help_text="credentialSubject.id: a urn:uuid of this award (a wallet's DID may replace it).",
    )
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
    idempotency_key = models.CharField(max_length=300, unique=True)
    status_list = models.ForeignKey(
        StatusList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        help_text="The issuer's status list; empty for awards in their badge's own (older) list.",
    )
    status_index = models.PositiveIntegerField(
        help_text="This award's position in its status list."
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
        help_text="The CSV upload that made this award, if one did.",
    )
    # What was signed at issuance (credentials.issuing.baking.sign_award): stored so that the proofs
    # stay verifiable after key rotation or later edits to the badge or issuer.
    ob2_signed = models.TextField("OB 2.0 signed assertion (JWS)", blank=True, editable=False)
    ob3_credential = models.JSONField(
        "OB 3.0 credential with Data Integrity proof", null=True, blank=True, editable=False
    )
    ob3_jwt = models.TextField("OB 3.0 VC-JWT", blank=True, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the award e-mail went out."
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


class EndorsementQuerySet(models.QuerySet):
    def standing(self) -> "EndorsementQuerySet":
        """Signed and not withdrawn, with their endorsers."""
        return self.filter(withdrawn_at=None).exclude(credential=None).select_related("endorser")


class Endorsement(models.Model):
    """One institution vouching for another's badge class: the co-creation signal.

    Published as an Open Badges 2.0 Endorsement and a signed OB 3.0 ``EndorsementCredential``
    (``credentials.services.endorsements``); credentials awarded while it stands carry it in their
    achievement. One per endorser and badge class; a withdrawn one can be given again.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.CASCADE, related_name="endorsements"
    )
    endorser = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="endorsements_given"
    )
    comment = models.TextField(help_text="Why the endorser vouches for this badge (public).")
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="endorsements_given",
    )
    issued_on = models.DateTimeField()
    credential = models.JSONField(
        "signed OB 3.0 EndorsementCredential", null=True, blank=True, editable=False
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "endorser"], name="one_endorsement_per_endorser"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endorser} endorses {self.badge_class}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class BulkAward(models.Model):
    """One CSV of recipients for one badge class: checked on upload, then awarded in chunks.

    ``credentials.services.bulk`` owns the rules; the checked rows are kept here so that a job that
    stopped halfway resumes where it stopped.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, waiting for your go"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Awarding"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped by an error"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.CASCADE, related_name="bulk_awards"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bulk_awards",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who pressed start (or resume): the awards are given in their name.",
    )
    filename = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(default=list, help_text="Checked rows: line, email, name, evidence.")
    total = models.PositiveIntegerField(default=0)
    chunk_size = models.PositiveIntegerField(default=250)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    error = models.TextField(blank=True, help_text="Why the job stopped, if it did.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.badge_class} × {self.total} ({self.filename or 'CSV'})"

    @property
    def chunk_count(self) -> int:
        return -(-self.total // self.chunk_size) if self.total else 0


class BulkAwardChunk(models.Model):
    """A finished chunk of a bulk award: rows [start, stop) are awarded, signed and baked."""

    job = models.ForeignKey(BulkAward, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    rows = models.PositiveIntegerField()
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="unique_bulk_chunk")]

    def __str__(self) -> str:
        return f"{self.job_id} chunk {self.index}"


class BakedImage(models.Model):
    """A baked badge image of one award in one format (credentials.issuing.baking makes them)."""

    class Format(models.TextChoices):
        PNG2 = "png2", "PNG, Open Badges 2.0"
        SVG2 = "svg2", "SVG, Open Badges 2.0"
        PNG3 = "png3", "PNG, Open Badges 3.0"
        SVG3 = "svg3", "SVG, Open Badges 3.0"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="baked_images")
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(upload_to="baked/")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["award", "format"], name="unique_baked_format")
        ]

    def __str__(self) -> str:
        return f"{self.award.public_id} {self.format}"


class VerificationCount(models.Model):
    """How often employers check each badge: one row per badge class, issuer, verdict and day.

    No personal data: only the public ids (IRIs) of the badge class and the issuer.
    """

    badge_class_iri = models.CharField("badge class id", max_length=500, blank=True)
    issuer_iri = models.CharField("issuer id", max_length=500, blank=True)
    verdict = models.CharField(max_length=20)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-count"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class_iri", "issuer_iri", "verdict", "day"],
                name="unique_verification_count_per_day",
            )
        ]
        indexes = [models.Index(fields=["issuer_iri", "day"], name="verification_issuer_day")]

    def __str__(self) -> str:
        return f"{self.badge_class_iri} {self.verdict} {self.day}: {self.count}"

    @classmethod
    def record(cls, badge_class_iri: str, issuer_iri: str, verdict: str) -> None:
        """Add one to today's row (created on first use); safe under concurrency."""
        key = {
            "badge_class_iri": badge_class_iri,
            "issuer_iri": issuer_iri,
            "verdict": verdict,
            "day": timezone.now().date(),
        }
        if cls.objects.filter(**key).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(**key, count=1)
        except IntegrityError:
            cls.objects.filter(**key).update(count=F("count") + 1)

    @classmethod
    def totals(cls) -> list[dict[str, Any]]:
        rows = (
            cls.objects.values("badge_class_iri", "issuer_iri", "verdict")
            .annotate(total=Sum("count"))
            .order_by("-total")
        )
        return [
            {
                "badge_class": row["badge_class_iri"],
                "issuer": row["issuer_iri"],
                "verdict": row["verdict"],
                "count": row["total"],
            }
            for row in rows
        ]
