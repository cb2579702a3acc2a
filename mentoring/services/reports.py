"""The mentor's desk in numbers: requests, sessions ahead and to close, hours, ratings."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Avg, Count, QuerySet

from mentoring.models import MentorProfile, MentorSession
from mentoring.services.base import Status, resolve_now


def mentor_report(profile: MentorProfile, *, now: datetime | None = None) -> dict:
    now = resolve_now(now)
    sessions = profile.sessions.select_related("learner")
    held = sessions.filter(status=Status.COMPLETED)
    counts = dict(sessions.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "requests": sessions.filter(status=Status.REQUESTED, starts_at__gt=now),
        # Each session once: requests wait in "requests", confirmed ones are "upcoming".
        "upcoming": sessions.filter(status=Status.CONFIRMED, starts_at__gt=now)[:25],
        "to_close": sessions.filter(status__in=MentorSession.ACTIVE, starts_at__lte=now).order_by(
            "-starts_at"
        )[:10],
        "recent": sessions.filter(status__in=[Status.COMPLETED, Status.NO_SHOW]).order_by(
            "-starts_at"
        )[:10],
        "hours": round(total_minutes(held) / 60, 1),
        "completed": counts.get(Status.COMPLETED, 0),
        "rating": held.aggregate(avg=Avg("rating"))["avg"],
        "ratings": held.filter(rating__isnull=False).count(),
        "no_shows": sessions.filter(status=Status.NO_SHOW, no_show_side="learner").count(),
        "cancelled": counts.get(Status.CANCELLED, 0),
        "declined": counts.get(Status.DECLINED, 0),
        "learners": sessions.filter(status__in=MentorSession.ACTIVE, ends_at__gt=now)
        .values("learner")
        .distinct()
        .count(),
    }


def total_minutes(sessions: QuerySet[MentorSession]) -> int:
    """The booked minutes of these sessions, added up."""
    total = 0
    for starts_at, ends_at in sessions.values_list("starts_at", "ends_at"):
        total += int((ends_at - starts_at).total_seconds() // 60)
    return total
