"""A learner's dashboard: courses in progress and completed, badges, sessions, suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from credentials.models import Award
from credentials.services import badges_in_language
from learning import hooks
from learning.models import CourseCatalogPage, CoursePage, Enrolment
from learning.services.access import AnyUser
from learning.services.catalogue import recommended_courses
from learning.services.progress import CourseProgress, progress_for


@dataclass
class Dashboard:
    in_progress: list[tuple[Enrolment, CourseProgress]]
    completed: list[tuple[Enrolment, CourseProgress]]
    awards: list[Award]
    upcoming_sessions: list[dict]
    user: AnyUser = None
    latest: CoursePage | None = None  # the course completed last: suggestions build on it

    # Asked only when the page shows them (to a learner with no course in progress, or none
    # completed): most dashboards never run these queries.
    @cached_property
    def suggestions(self) -> list[CoursePage]:
        return recommended_courses(self.user, after=self.latest)

    @cached_property
    def catalogue(self) -> CourseCatalogPage | None:
        return CourseCatalogPage.objects.live().first()


def dashboard_for(user: AnyUser) -> Dashboard:
    """Everything on a learner's dashboard, in a fixed number of queries."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status=Enrolment.Status.LEFT)
        .select_related("course", "course__badge_class")
        .defer("course__learning_outcomes")
        .order_by("-last_activity_at")
    )
    for enrolment in enrolments:
        enrolment.user = user
    progress = progress_for(enrolments)
    # One computation for every figure: progress_for's percentage and summary (100% and
    # "Completed" for a completed enrolment, whatever was added to the course since).
    in_progress = [(e, progress[e.pk]) for e in enrolments if e.is_active]
    completed = sorted(
        ((e, progress[e.pk]) for e in enrolments if e.is_completed),
        key=lambda pair: pair[0].completed_at or pair[0].enrolled_at,
        reverse=True,
    )
    awards = list(
        Award.objects.filter(recipient=user, revoked_at__isnull=True)
        .select_related("badge_class", "badge_class__issuer")
        .order_by("-issued_on")
    )
    # Badges in the reader's language where they have an edition in it (for display only).
    for holder, shown in zip(
        awards, badges_in_language(a.badge_class for a in awards), strict=True
    ):
        holder.badge_class = shown
    with_badges = [e for e in enrolments if e.course.badge_class_id]
    shown_badges = badges_in_language(e.course.badge_class for e in with_badges)
    for enrolment, shown in zip(with_badges, shown_badges, strict=True):
        enrolment.course.badge_class = shown
    return Dashboard(
        in_progress=in_progress,
        completed=completed,
        awards=awards,
        upcoming_sessions=hooks.upcoming_mentoring_sessions(user),
        user=user,
        latest=completed[0][0].course if completed else None,
    )
