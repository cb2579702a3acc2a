"""Badge classes (what can be earned, with the EU micro-credential elements) and the
endorsements other institutions give them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.models.frameworks import Competency
from credentials.models.issuers import Issuer

# What an empty list looked like in the old tags field: never a keyword.
EMPTY_TAGS = frozenset({"[]", "[ ]", "''", '""'})


class BadgeClass(models.Model):
    """What is achieved: the Open Badges 2.0 BadgeClass, the 3.0 Achievement.

    Carries the EU micro-credential elements (Council Recommendation of 16 June 2022, Annex I).
    """

    class AchievementType(models.TextChoices):
        BADGE = "Badge", _("Badge")
        MICRO_CREDENTIAL = "MicroCredential", _("Micro-credential")
        CERTIFICATE = "Certificate", _("Certificate")
        COURSE = "Course", _("Course")
        COMPETENCY = "Competency", _("Competency")
        ACHIEVEMENT = "Achievement", _("Achievement")
        COMMUNITY_SERVICE = "CommunityService", _("Community service")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Participation(models.TextChoices):
        ONLINE = "online", _("Online")
        ONSITE = "onsite", _("On-site")
        BLENDED = "blended", _("Blended")

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text=_("Stable id in public URLs.")
    )
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="badge_classes")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField()
    image = models.FileField(upload_to="badges/", blank=True)
    criteria_narrative = models.TextField(
        _("criteria"), help_text=_("What a person must do to earn it.")
    )
    criteria_url = models.URLField(_("criteria URL"), blank=True)
    alignments = models.ManyToManyField(Competency, blank=True, related_name="badge_classes")
    tags = models.JSONField(default=list, blank=True)
    achievement_type = models.CharField(
        max_length=30, choices=AchievementType.choices, default=AchievementType.BADGE
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language the badge is taught and assessed in, and its texts are written in."
        ),
    )
    validity_days = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Days an award stays valid; empty for no expiry.")
    )
    allow_reaward = models.BooleanField(
        default=False, help_text=_("May the same person receive this badge more than once?")
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
    is_micro_credential = models.BooleanField(_("micro-credential"), default=False)
    learning_outcomes = models.TextField(blank=True, help_text=_("One learning outcome per line."))
    workload_hours = models.PositiveIntegerField(
        _("notional workload (hours)"), null=True, blank=True
    )
    ects_credits = models.DecimalField(
        _("ECTS credits"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), null=True, blank=True, choices=[(n, f"EQF {n}") for n in range(1, 9)]
    )
    assessment_type = models.CharField(max_length=200, blank=True)
    participation_form = models.CharField(
        _("form of participation"), max_length=12, choices=Participation.choices, blank=True
    )
    quality_assurance = models.CharField(_("type of quality assurance"), max_length=300, blank=True)
    prerequisites = models.TextField(blank=True)
    supervision_and_identity = models.CharField(
        _("supervision and identity verification during assessment"), max_length=300, blank=True
    )
    grade_scheme = models.CharField(_("grade"), max_length=200, blank=True)
    integration = models.CharField(_("integration / stackability"), max_length=300, blank=True)
    further_information = models.TextField(blank=True)
    # Stacking: this badge counts toward bigger ones of the same institution (a course badge is
    # part of a programme badge). A learner's CLR 2.0 record states it as an "isPartOf"
    # association between the two achievements.
    part_of = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
        help_text=_("Bigger badges of the same institution that this badge counts toward."),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["issuer__name", "name"]
        verbose_name = _("badge class")
        verbose_name_plural = _("badge classes")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "slug"], name="unique_badge_slug_per_issuer")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_tags(self) -> list[str]:
        """The badge's keywords as text, without the literal "[]" an old form saved as one."""
        return [str(tag) for tag in self.tags or [] if str(tag).strip() not in EMPTY_TAGS]

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

    def editions_by_language(self) -> dict[str, "BadgeEdition"]:  # noqa: F821
        """Its language editions by language code: one query per badge object (signing a
        chunk of awards asks for them once per award)."""
        cached = self.__dict__.get("_cocreate_editions")
        if cached is None:
            cached = {e.language: e for e in self.editions.all()} if self.pk else {}
            self.__dict__["_cocreate_editions"] = cached
        return cached


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
    comment = models.TextField(help_text=_("Why the endorser vouches for this badge (public)."))
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="endorsements_given",
    )
    issued_on = models.DateTimeField()
    credential = models.JSONField(
        _("signed OB 3.0 EndorsementCredential"), null=True, blank=True, editable=False
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
