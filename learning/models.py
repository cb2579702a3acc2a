"""Courses as Wagtail pages, and what learners do in them.

``CourseCatalogPage`` → ``CoursePage`` → ``LessonPage``: editors build courses in the Wagtail
admin. ``Enrolment``, ``LessonProgress``, ``QuizAttempt`` and ``ReflectionAnswer`` record what a
learner did; ``learning.services`` holds the rules that change them. Each page type is served
by a function of ``learning.views`` that ``LearningConfig.ready`` hands it as ``page_view``.
"""

from collections.abc import Callable
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from credentials.models import ApprovalRequest
from credentials.services import approvals
from lib.translations import InReadersLanguage, route_in_source

from .blocks import LessonBodyBlock


class Format(models.TextChoices):
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")
    ONSITE = "onsite", _("On-site")


def _eqf(level: int) -> str:
    return _("EQF %(level)s") % {"level": level}


EQF_LEVELS = [(n, lazy(_eqf, str)(n)) for n in range(1, 9)]

# ``view(request, page) -> response``: how a page type is served (see ``LearningConfig.ready``).
PageView = Callable[[HttpRequest, Page], HttpResponse]


class CourseCatalogPage(InReadersLanguage, Page):
    """The catalogue: every published course, with filters and search."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro", heading=_("Introduction"))]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["learning.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    # ``learning.views.serve_catalogue``, handed over by ``LearningConfig.ready``.
    page_view: ClassVar[PageView]

    def serve(self, request, *args, **kwargs):
        return self.page_view(request, self)

    def route(self, request, path_components):
        """A live course or lesson in one query by its URL path, in the default language's tree
        whatever the address's language (the view shows it in the reader's: lib/translations)."""
        found = route_in_source(self, path_components, {1: CoursePage, 2: LessonPage})
        return RouteResult(found) if found else super().route(request, path_components)


class CoursePageForm(WagtailAdminPageForm):
    """Checks that need the many-to-many values the editor chose."""

    def clean(self):
        cleaned = super().clean()
        badge = cleaned.get("badge_class")
        institutions = cleaned.get("institutions")
        if badge is not None and institutions is not None and badge.issuer not in institutions:
            self.add_error(
                "badge_class",
                _(
                    "“%(badge)s” is issued by %(issuer)s, which does not co-create this course. "
                    "Add the institution or choose another badge."
                )
                % {"badge": badge.name, "issuer": badge.issuer.name},
            )
        prerequisites = cleaned.get("prerequisites")
        if prerequisites is not None and self.instance.pk and self.instance in prerequisites:
            self.add_error("prerequisites", _("A course cannot be its own prerequisite."))
        if not (
            cleaned.get("requires_all_lessons")
            or cleaned.get("requires_quizzes_passed")
            or cleaned.get("required_mentoring_sessions")
        ):
            self.add_error(
                "requires_all_lessons",
                _(
                    "Choose at least one completion condition, or the course completes on "
                    "enrolment."
                ),
            )
        return cleaned


class CoursePage(InReadersLanguage, Page):
    """A course co-created by institutions; completing it awards its badge."""

    summary = models.TextField(help_text=_("Two or three sentences for the catalogue."))
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(max_length=300, label=_("Learning outcome")))],
        blank=True,
        help_text=_("What a learner can do after the course, one outcome per item."),
    )
    competences = ParentalManyToManyField(
        "credentials.Competency", blank=True, related_name="courses"
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), null=True, blank=True, choices=EQF_LEVELS
    )
    workload_hours = models.PositiveSmallIntegerField(
        _("workload (hours)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    ects_credits = models.DecimalField(
        _("ECTS credits"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    course_format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.ONLINE
    )
    prerequisites = ParentalManyToManyField(
        "learning.CoursePage",
        blank=True,
        symmetrical=False,
        related_name="required_by",
        help_text=_("Courses a learner must complete before enrolling."),
    )
    institutions = ParentalManyToManyField(
        "credentials.Issuer",
        blank=True,
        related_name="courses",
        help_text=_(
            "The university and industry partners that co-create this course. "
            "Their staff see the course report."
        ),
    )
    badge_class = models.ForeignKey(
        "credentials.BadgeClass",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        help_text=_("Awarded automatically when a learner completes the course."),
    )
    requires_all_lessons = models.BooleanField(
        _("every lesson done"), default=True, help_text=_("Every published lesson is marked done.")
    )
    requires_quizzes_passed = models.BooleanField(_("every graded quiz passed"), default=True)
    required_mentoring_sessions = models.PositiveSmallIntegerField(
        _("completed mentoring sessions"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_("How many mentoring sessions the learner must complete (0 for none)."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary", heading=_("Summary")),
        FieldPanel("cover_image", heading=_("Cover image")),
        FieldPanel("learning_outcomes", heading=_("Learning outcomes")),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("eqf_level"), FieldPanel("language", heading=_("Language"))]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("workload_hours"),
                        FieldPanel("ects_credits"),
                        FieldPanel("course_format"),
                    ]
                ),
            ],
            heading=_("Level, workload and format"),
        ),
        FieldPanel("competences", widget=forms.CheckboxSelectMultiple, heading=_("Competences")),
        FieldPanel("institutions", widget=forms.CheckboxSelectMultiple, heading=_("Institutions")),
        FieldPanel(
            "prerequisites", widget=forms.CheckboxSelectMultiple, heading=_("Prerequisites")
        ),
        MultiFieldPanel(
            [
                FieldPanel("badge_class", heading=_("Badge")),
                FieldPanel("requires_all_lessons"),
                FieldPanel("requires_quizzes_passed"),
                FieldPanel("required_mentoring_sessions"),
            ],
            heading=_("Completion and badge"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.FilterField("language"),
        index.FilterField("course_format"),
        index.FilterField("eqf_level"),
    ]

    base_form_class = CoursePageForm
    parent_page_types = ["learning.CourseCatalogPage"]
    subpage_types = ["learning.LessonPage"]

    class Meta:
        verbose_name = _("course")

    @property
    def outcomes(self) -> list[str]:
        return [block.value for block in self.learning_outcomes]

    @cached_property
    def badge_approval(self) -> ApprovalRequest | None:
        """The badge's institution's answer to this course awarding it (None: never asked).

        An editor may pick any institution's badge; its staff approve the course first
        (``learning.services.request_badge_approval``, from the Wagtail hooks)."""
        if not self.badge_class_id or not self.pk:
            return None
        return approvals.request_for(
            ApprovalRequest.Kind.COURSE_BADGE, self.pk, badge=self.badge_class
        )

    @property
    def approved_badge(self):
        """The badge the course advertises and awards: only once its institution approved."""
        approval = self.badge_approval
        return self.badge_class if approval is not None and approval.is_approved else None

    # ``learning.views.serve_course``, handed over by ``LearningConfig.ready``.
    page_view: ClassVar[PageView]

    def serve(self, request, *args, **kwargs):
        return self.page_view(request, self)


class LessonPage(InReadersLanguage, Page):
    """One lesson: text, media, downloads, reflection prompts and quizzes."""

    module = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Module heading. Consecutive lessons with the same module are grouped."),
    )
    summary = models.TextField(blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=20, validators=[MinValueValidator(1)]
    )
    body = StreamField(LessonBodyBlock(), blank=True)
    # Derived from the body on every save, so that progress never needs to load lesson bodies.
    graded_quizzes = models.JSONField(default=list, blank=True, editable=False)
    required_reflections = models.JSONField(default=list, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("module", heading=_("Module")), FieldPanel("duration_minutes")]),
        FieldPanel("summary", heading=_("Summary")),
        FieldPanel("body", heading=_("Body")),
    ]
    # The catalogue's search finds a course by its lessons' words too (mapped to the course by
    # ``learning.services.catalogue.search_ids``; only published, public lessons).
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("module"),
        index.SearchField("body"),
    ]

    parent_page_types = ["learning.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def quiz_blocks(self) -> list:
        return [block for block in self.body if block.block_type == "quiz"]

    def reflection_blocks(self) -> list:
        return [block for block in self.body if block.block_type == "reflection"]

    def refresh_requirements(self) -> None:
        """Record which quizzes and reflections this lesson requires (ids fixed on first save)."""
        prep = self.body.stream_block.get_prep_value(self.body)
        self.graded_quizzes = [
            item["id"]
            for item in prep
            if item["type"] == "quiz" and item["value"].get("graded", True)
        ]
        self.required_reflections = [
            item["id"]
            for item in prep
            if item["type"] == "reflection" and item["value"].get("required", False)
        ]

    def save(self, *args, **kwargs):
        self.refresh_requirements()
        return super().save(*args, **kwargs)

    # ``learning.views.serve_lesson``, handed over by ``LearningConfig.ready``.
    page_view: ClassVar[PageView]

    def serve(self, request, *args, **kwargs):
        return self.page_view(request, self)


class Enrolment(models.Model):
    """A learner taking a course. One row per person and course, whatever they click."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        LEFT = "left", pgettext_lazy("enrolment status", "Left")

    class AwardStatus(models.TextChoices):
        NONE = "none", _("No badge")
        PENDING = "pending", _("Badge requested")
        AWARDED = "awarded", _("Badge awarded")
        FAILED = "failed", _("Badge could not be awarded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    award = models.ForeignKey(
        "credentials.Award", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    award_status = models.CharField(
        max_length=10, choices=AwardStatus.choices, default=AwardStatus.NONE
    )
    award_message = models.TextField(blank=True)
    award_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_enrolment_per_course")
        ]
        indexes = [
            models.Index(fields=["course", "status"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.course.title}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def opens_lessons(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.COMPLETED)


class LessonProgress(models.Model):
    """A lesson the learner marked done (or that completed when its quiz was passed)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lessons_done")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_at"]
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.lesson.title} done"


class QuizAttempt(models.Model):
    """One graded submission of a quiz; kept whatever the result."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    quiz_id = models.CharField(max_length=64, help_text=_("The quiz block's stable id."))
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict, help_text=_("Question id → chosen answer ids."))
    results = models.JSONField(default=dict, help_text=_("Question id → answered correctly."))
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(help_text=_("Percentage of questions right."))
    pass_mark = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    token = models.CharField(
        max_length=64,
        unique=True,
        help_text=_("One per rendered form: a resubmission records once."),
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "quiz_id", "number"], name="attempt_number_once"
            )
        ]
        indexes = [models.Index(fields=["lesson", "quiz_id"])]

    def __str__(self) -> str:
        return f"Attempt {self.number}: {self.score}%"


class ReflectionAnswer(models.Model):
    """What a learner wrote for a reflection prompt; they can revise it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reflections")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "block_id"], name="one_reflection_per_prompt"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class QuizAttemptChange(models.Model):
    """A change to how many tries a learner has at a quiz, kept as its audit trail: the learner
    asking for another attempt, course staff granting one more, or resetting the count."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Asked for another attempt")
        ONE_MORE = "one_more", _("Granted one more attempt")
        RESET = "reset", _("Reset the attempts")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    quiz_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    after_attempt = models.PositiveSmallIntegerField(help_text=_("Attempts made before it."))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the e-mail about it went out (to the course team for a request, to the "
            "learner for a grant or reset); it goes out once."
        ),
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["enrolment", "lesson", "quiz_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} after attempt {self.after_attempt}"
