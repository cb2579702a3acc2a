"""Mentors, their availability, sessions with learners, reminders, notes and programmes.

Times are stored in UTC; availability rules are wall-clock times in the mentor's IANA zone.
Business rules live in the plain modules beside this one (``services`` for booking and the
session life cycle, ``mentor_profiles``, ``programmes``, ``matching``, ``notifications``,
``slots``).
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import dates
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from credentials.models import ApprovalRequest, BadgeClass, Competency, Issuer
from credentials.services import approvals

from .timezones import validate_time_zone

SESSION_LENGTHS = [(15, _("15 minutes")), (30, _("30 minutes")), (45, _("45 minutes")),
                   (60, _("1 hour")), (90, _("1½ hours")), (120, _("2 hours"))]  # fmt: skip
SLOT_STEPS = [(15, _("every 15 minutes")), (30, _("every 30 minutes")), (60, _("every hour"))]
# Monday first, as ``date.weekday()``; Django's own translated names.
WEEKDAYS = [dates.WEEKDAYS[day] for day in range(7)]


class MentorProfile(models.Model):
    """A person who coaches learners one to one, from industry or academia."""

    class Sector(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        ACADEMIA = "academia", _("Academia")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    headline = models.CharField(
        max_length=140,
        blank=True,
        help_text=_("One line: your role, e.g. “Product lead, robotics”."),
    )
    organisation = models.CharField(max_length=200)
    sector = models.CharField(
        _("industry or academia"), max_length=10, choices=Sector.choices, default=Sector.INDUSTRY
    )
    institution = models.ForeignKey(
        Issuer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentors",
        help_text=_("The institution on this platform you mentor for, if any."),
    )
    bio = models.TextField(blank=True)
    photo = models.ImageField(upload_to="mentors/", blank=True)
    competences = models.ManyToManyField(Competency, blank=True, related_name="mentors")
    languages = models.CharField(
        max_length=120,
        default=",en,",
        help_text=_("Language codes wrapped in commas (“,en,de,”); use ``language_codes``."),
    )
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Your IANA time zone."),
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("session length"), choices=SESSION_LENGTHS, default=45
    )
    slot_step_minutes = models.PositiveSmallIntegerField(
        _("start times"), choices=SLOT_STEPS, default=30
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        _("buffer before (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        _("buffer after (minutes)"), default=15, validators=[MaxValueValidator(240)]
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"), default=12, validators=[MaxValueValidator(24 * 30)]
    )
    booking_window_days = models.PositiveSmallIntegerField(
        _("booking window (days ahead)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    max_sessions_per_day = models.PositiveSmallIntegerField(
        _("at most sessions per day"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    max_sessions_per_week = models.PositiveSmallIntegerField(
        _("at most sessions per week"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("learners at once"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many different learners you mentor at the same time (learners with an "
            "upcoming session). Your current learners can always book again."
        ),
    )
    meeting_url = models.URLField(
        _("your own meeting link"),
        blank=True,
        help_text=_(
            "Leave empty and each session gets its own private video room. A link here is "
            "used for every session; put {room} in it for a private room per session. You can "
            "change the link of one session on its page."
        ),
    )
    requires_confirmation = models.BooleanField(
        _("bookings need my confirmation"),
        default=False,
        help_text=_("Requests stay tentative until you confirm them."),
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("cancel and reschedule until (hours before)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_("Learners may cancel or move a session up to this many hours before it."),
    )
    is_listed = models.BooleanField(
        _("accepting bookings"), default=True, help_text=_("Show me in the mentor finder.")
    )
    # Bumped by every booking transaction: writing this row first serialises bookings of one
    # mentor on every database (a row lock on PostgreSQL, the write lock on SQLite).
    booking_version = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__display_name", "user__email"]

    def __str__(self) -> str:
        return self.user.get_full_name()

    def get_absolute_url(self) -> str:
        return reverse("mentoring:mentor", kwargs={"pk": self.pk})

    @property
    def name(self) -> str:
        return self.user.get_full_name()

    # ``institution`` is what the mentor asked for; the public sees ``shown_institution``.
    @cached_property
    def affiliation(self) -> ApprovalRequest | None:
        """The institution's answer to this mentor naming it (None: never asked)."""
        if not self.institution_id or not self.pk:
            return None
        return approvals.request_for(
            ApprovalRequest.Kind.MENTOR, self.pk, issuer=self.institution_id
        )

    @property
    def shown_institution(self) -> Issuer | None:
        """The institution the profile names in public: only once its staff approved."""
        affiliation = self.affiliation
        return self.institution if affiliation is not None and affiliation.is_approved else None

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @language_codes.setter
    def language_codes(self, codes) -> None:
        self.languages = "," + ",".join(sorted(set(codes))) + "," if codes else ","

    @property
    def language_names(self) -> list[str]:
        names = dict(settings.LANGUAGES)
        return [names.get(code, code) for code in self.language_codes]


class WeeklyAvailability(models.Model):
    """One range of a weekday, in the mentor's wall-clock time. Several per weekday."""

    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="weekly")
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(WEEKDAYS)))
    start_time = models.TimeField()
    end_time = models.TimeField(help_text=_("00:00 means midnight at the end of the day."))

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name_plural = _("weekly availability")

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class DateOverride(models.Model):
    """Replaces the weekly ranges on one local date: no times is a day off."""

    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="overrides")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]

    def __str__(self) -> str:
        if self.start_time is None:
            return f"{self.date}: day off"
        return f"{self.date}: {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def is_day_off(self) -> bool:
        return self.start_time is None


class TimeOff(models.Model):
    """Dates (from–to, in the mentor's own calendar) on which the mentor offers no times."""

    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="time_off")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to (inclusive)"))
    reason = models.CharField(max_length=140, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_day", "last_day"]
        verbose_name_plural = _("time off")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="time_off_ends_on_or_after_start",
            ),
            models.UniqueConstraint(
                fields=["mentor", "first_day", "last_day"], name="one_time_off_per_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor}: off {self.first_day}–{self.last_day}"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


class LearnerGoals(models.Model):
    """What a learner wants to work on; used with their courses to suggest mentors."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_goals"
    )
    competences = models.ManyToManyField(Competency, blank=True, related_name="+")
    goals = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("learner goals")

    def __str__(self) -> str:
        return f"Goals of {self.user}"


class MentorSession(models.Model):
    """One booked session between a mentor and a learner; rescheduling keeps the same row."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined")
        NO_SHOW = "no_show", _("No-show")

    class Side(models.TextChoices):
        LEARNER = "learner", _("Learner")
        MENTOR = "mentor", _("Mentor")

    ACTIVE = (Status.REQUESTED, Status.CONFIRMED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentor = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, related_name="sessions")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentoring_sessions"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    agenda = models.TextField(blank=True)
    goal = models.CharField(max_length=300, blank=True)
    meeting_url = models.URLField(blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("iCalendar SEQUENCE: raised on every change of time or status.")
    )
    sent_sequence = models.IntegerField(
        default=-1, help_text=_("The last SEQUENCE whose invitation e-mail went out.")
    )
    idempotency_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancellation_reason = models.TextField(blank=True, help_text=_("Why, or the mentor's message."))
    no_show_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    rescheduled_count = models.PositiveSmallIntegerField(default=0)
    last_change = models.CharField(
        max_length=12,
        blank=True,
        help_text=_("booked, requested, confirmed, moved, new link, declined or cancelled"),
    )
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.TextField(blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback_requested_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the learner was asked to rate it (asked once).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["mentor", "starts_at"]),
            models.Index(fields=["learner", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="mentor_session_ends_after_start",
            ),
        ]
        # On PostgreSQL, migration 0002 adds exclusion constraints: no two active sessions of
        # one mentor, nor of one learner, overlap in time.

    def __str__(self) -> str:
        return f"{self.mentor} with {self.learner} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:session", kwargs={"uid": self.uid})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SessionReminder(models.Model):
    """A reminder due before a session start; sent once by the beat task."""

    class Kind(models.TextChoices):
        DAY = "24h", _("24 hours before")
        HOUR = "1h", _("1 hour before")

    session = models.ForeignKey(MentorSession, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    for_starts_at = models.DateTimeField(help_text=_("The session start this reminder is for."))
    due_at = models.DateTimeField(db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "for_starts_at"], name="one_reminder_per_kind_and_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.session}"


class SessionNote(models.Model):
    """What the mentor wrote after (or before) a session: shared with the learner or private."""

    session = models.ForeignKey(MentorSession, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    shared = models.BooleanField(
        _("share with the learner"), default=True, help_text=_("Private notes only you can read.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.session}"


class CalendarFeed(models.Model):
    """A private, revocable address at which a calendar app subscribes to a person's sessions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:feed", kwargs={"token": self.token})

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class MentoringProgramme(models.Model):
    """Mentors and learners working towards a badge: N sessions with feedback over M weeks."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    badge_class = models.ForeignKey(
        BadgeClass,
        on_delete=models.PROTECT,
        related_name="mentoring_programmes",
        help_text=_("Awarded when a learner meets the rule. It must be published."),
    )
    mentors = models.ManyToManyField(MentorProfile, blank=True, related_name="programmes")
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="mentoring_programmes",
    )
    required_sessions = models.PositiveSmallIntegerField(
        _("completed sessions with feedback"), default=3, validators=[MinValueValidator(1)]
    )
    minimum_weeks = models.PositiveSmallIntegerField(
        _("over at least (weeks)"),
        default=0,
        help_text=_("Weeks between the first and the last counted session."),
    )
    open_enrolment = models.BooleanField(_("learners may join themselves"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mentoring:programme", kwargs={"slug": self.slug})

    @property
    def rule_text(self) -> str:
        """The rule in words, in the active language."""
        n, weeks = self.required_sessions, self.minimum_weeks
        if weeks:
            sessions = ngettext(
                "%(n)s completed session with your feedback over at least %(weeks)s",
                "%(n)s completed sessions with your feedback over at least %(weeks)s",
                n,
            )
            return sessions % {
                "n": n,
                "weeks": ngettext("%(n)s week", "%(n)s weeks", weeks) % {"n": weeks},
            }
        return ngettext(
            "%(n)s completed session with your feedback",
            "%(n)s completed sessions with your feedback",
            n,
        ) % {"n": n}
