"""Requests that need an institution's staff to approve them before anything is shown or
awarded in the institution's name: joining its staff, mentoring for it, and a course using one
of its badges.

This app knows nothing of courses or mentors: a request names its subject by the primary key
the asking app gives it (a user, a mentor profile, a course page) and a label to show. The rules
live in ``credentials.services.approvals``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.models.badges import BadgeClass
from credentials.models.issuers import Issuer


class ApprovalRequest(models.Model):
    """One person's request for something only the institution's staff may allow."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff membership")
        MENTOR = "mentor", _("Mentor affiliation")
        COURSE_BADGE = "course_badge", _("A course awarding a badge")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="approval_requests")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField(
        help_text=_("The user, mentor profile or course page the request is about.")
    )
    badge_class = models.ForeignKey(
        BadgeClass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approval_requests",
        help_text=_("The badge a course asks to award (course badge requests only)."),
    )
    subject_label = models.CharField(max_length=300, help_text=_("What the staff are asked about."))
    subject_url = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approval_requests",
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approval_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "issuer", "subject_id"],
                condition=models.Q(badge_class__isnull=True),
                name="one_approval_request_per_subject",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_id", "badge_class"],
                condition=models.Q(badge_class__isnull=False),
                name="one_approval_request_per_course_badge",
            ),
        ]
        indexes = [models.Index(fields=["issuer", "state"], name="approval_issuer_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_label} ({self.issuer}, {self.state})"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED
