"""A partnership of a university with industry partners, its joint framework, and the case
studies that tell what it achieved.

The framework follows the European Commission's Code of practice on industry–academia
co-creation: a shared vision and goals, governance, a joint intellectual-assets strategy, and for
each expected result who owns it, who may use it and on what terms. Each edit is a new
:class:`FrameworkVersion` (never changed afterwards); each member's staff agree a version for
their institution (:class:`FrameworkAgreement`), and a version every signatory agreed (the
members when it was proposed, :class:`Signatory`, two at least; one person for one institution
only) is the partnership's agreed framework. A partnership is private until its members choose
what to publish.

What a partnership runs — courses, mentoring programmes, badge classes — is linked here, not
copied: the impact figures are read from those apps' own tables
(``partnerships.services.impact``).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from credentials.models import BadgeClass, Issuer
from learning.models import CoursePage
from lib.translations import InReadersLanguage
from mentoring.models import MentoringProgramme


class Partnership(ClusterableModel):
    """A university, one or more industry partners and perhaps an intermediary, co-creating.

    Clusterable so that editors add its members inline in the Wagtail admin
    (partnerships/wagtail_hooks.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(
        help_text=_("Two or three sentences on what the partners do together (public).")
    )
    started_on = models.DateField(_("started on"))
    is_public = models.BooleanField(
        _("publish a public page"),
        default=False,
        help_text=_("The name, members, summary and what it runs, for everyone to read."),
    )
    publish_framework = models.BooleanField(
        _("publish the agreed vision and goals"),
        default=False,
        help_text=_("Governance and intellectual-assets terms always stay with the members."),
    )
    publish_figures = models.BooleanField(
        _("publish headline figures"),
        default=False,
        help_text=_("Enrolments, completions, awards and mentoring hours on the public page."),
    )
    courses = models.ManyToManyField(
        CoursePage, blank=True, related_name="partnerships", verbose_name=_("co-created courses")
    )
    programmes = models.ManyToManyField(
        MentoringProgramme,
        blank=True,
        related_name="partnerships",
        verbose_name=_("mentoring programmes"),
    )
    badge_classes = models.ManyToManyField(
        BadgeClass,
        blank=True,
        related_name="partnerships",
        verbose_name=_("badges"),
        help_text=_("Badges of the members that this partnership awards or endorses."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        permissions = [("view_site_impact", _("Can see the site-wide impact dashboard"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"slug": self.slug})


class Member(models.Model):
    """One institution in a partnership, with its role."""

    class Role(models.TextChoices):
        UNIVERSITY = "university", _("University")
        INDUSTRY = "industry", _("Industry partner")
        INTERMEDIARY = "intermediary", _("Intermediary")

    partnership = ParentalKey(Partnership, on_delete=models.CASCADE, related_name="members")
    issuer = models.ForeignKey(
        Issuer,
        on_delete=models.PROTECT,
        related_name="partnership_memberships",
        verbose_name=_("institution"),
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    panels = [FieldPanel("issuer"), FieldPanel("role"), FieldPanel("joined_on")]

    class Meta:
        ordering = ["partnership", "role", "issuer__name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "issuer"], name="one_membership_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer} ({self.get_role_display()})"

    def clean(self) -> None:
        """A member's institution never changes once saved: the agreements given for it, and
        the versions it was asked to agree, name that institution. Remove the member and add
        another instead."""
        super().clean()
        if self.pk is None:
            return
        saved = Member.objects.filter(pk=self.pk).values_list("issuer_id", flat=True).first()
        if saved is not None and saved != self.issuer_id:
            raise ValidationError(
                {
                    "issuer": _(
                        "A member's institution cannot be changed. Remove this member and "
                        "add the other institution as a new member."
                    )
                }
            )


class FrameworkVersion(models.Model):
    """One version of a partnership's joint framework. Written once, never edited: a change is
    a new version, so "agreed on …" always names the words that were agreed."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="framework_versions"
    )
    number = models.PositiveIntegerField()
    vision = models.TextField(_("shared vision"))
    goals = models.TextField(
        _("goals"), help_text=_("What the partners aim to achieve, and by when.")
    )
    steering_group = models.TextField(
        _("steering group"), help_text=_("Who sits on it, for which member.")
    )
    decision_rules = models.TextField(
        _("decision rules"), help_text=_("How decisions are taken, and disputes settled.")
    )
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200)
    ip_strategy = models.TextField(
        _("intellectual-assets strategy"),
        help_text=_("How the partners handle knowledge and results they bring and create."),
    )
    change_note = models.CharField(
        _("what changed"), max_length=300, blank=True, help_text=_("One line for the history.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signatories = models.ManyToManyField(
        Issuer,
        through="Signatory",
        related_name="+",
        blank=True,
        help_text=_("The member institutions when the version was proposed; each agrees it."),
    )

    class Meta:
        ordering = ["partnership", "-number"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="one_framework_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} v{self.number}"


class Signatory(models.Model):
    """A member institution as it was when a version was proposed (and its role then). The
    version is agreed once every signatory agreed it: members added later agree the next
    version, and removing a member never makes a version agreed."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="signatory_rows"
    )
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Member.Role.choices)

    class Meta:
        ordering = ["version", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(fields=["version", "issuer"], name="one_signatory_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} ({self.get_role_display()}) for {self.version}"


class ExpectedResult(models.Model):
    """A result the partnership expects, with who owns it and who may use it on what terms."""

    class Use(models.TextChoices):
        OWNER = "owner", _("The owner only")
        MEMBERS = "members", _("Every member")
        ANYONE = "anyone", _("Anyone")

    class Licence(models.TextChoices):
        EXCLUSIVE = "exclusive", _("Exclusive licence")
        NON_EXCLUSIVE = "non_exclusive", _("Non-exclusive licence")
        ROYALTY_FREE = "royalty_free", _("Royalty-free for members")
        OPEN = "open", _("Open licence")
        TO_AGREE = "to_agree", _("To be agreed")

    class Confidentiality(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")
        CONFIDENTIAL = "confidential", _("Confidential")

    class Potential(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    may_use = models.CharField(_("who may use it"), max_length=10, choices=Use.choices)
    licence = models.CharField(max_length=16, choices=Licence.choices)
    confidentiality = models.CharField(max_length=12, choices=Confidentiality.choices)
    terms = models.TextField(_("terms"), blank=True, help_text=_("Conditions of use, if any."))
    innovation_potential = models.CharField(
        _("innovation potential"), max_length=8, choices=Potential.choices
    )

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")

    def __str__(self) -> str:
        return self.title


class FrameworkAgreement(models.Model):
    """One member's staff agreed one framework version for their institution.

    ``issuer`` records the institution agreed for, so the record outlives the member row (a
    removed member leaves ``member`` empty). One person agrees a version for one institution
    only: "agreed by every member" always means as many people as members."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="agreements"
    )
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements"
    )
    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreed_at"]
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "issuer"], name="one_agreement_per_institution"
            ),
            models.UniqueConstraint(
                fields=["version", "agreed_by"],
                condition=models.Q(agreed_by__isnull=False),
                name="one_institution_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} agreed {self.version}"


class CaseStudyPage(InReadersLanguage, Page):
    """A story of what a partnership achieved, told beside its figures."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="case_studies",
        help_text=_("The partnership this case study is about; its page and dashboard link here."),
    )
    summary = models.TextField(help_text=_("Two or three sentences for lists and search."))
    quote = models.TextField(_("featured quote"))
    quote_by = models.CharField(
        _("quote by"), max_length=200, help_text=_("Name and role of the person quoted.")
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=200,
        help_text=_("The result in one line, e.g. “Three prototypes taken up by Helix”."),
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [
        FieldPanel("partnership"),
        FieldPanel("summary"),
        FieldPanel("outcome"),
        FieldPanel("quote"),
        FieldPanel("quote_by"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("outcome"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
