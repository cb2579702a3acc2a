"""Bulk awards: a checked CSV of recipients, awarded in chunks by background tasks."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.models.badges import BadgeClass


class BulkAward(models.Model):
    """One CSV of recipients for one badge class: checked on upload, then awarded in chunks.

    ``credentials.services.bulk`` owns the rules; the checked rows are kept here so that a job that
    stopped halfway resumes where it stopped.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, waiting for your go")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Awarding")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped by an error")

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
        help_text=_("Who pressed start (or resume): the awards are given in their name."),
    )
    filename = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(default=list, help_text=_("Checked rows: line, email, name, evidence."))
    skipped = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Rows left out because they were not valid: line, email, name, why."),
    )
    total = models.PositiveIntegerField(default=0)
    chunk_size = models.PositiveIntegerField(default=250)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    error = models.TextField(blank=True, help_text=_("Why the job stopped, if it did."))
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
