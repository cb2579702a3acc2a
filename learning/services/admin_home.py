"""What editors and course staff see first in the Wagtail admin: for each course whose report they
may see, its recent enrolments and completions and its learners waiting for another attempt —
nothing of a course they may not report on. A fixed number of queries, however many courses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, Q
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from learning.models import CoursePage, Enrolment
from learning.services.access import AnyUser, can_edit_course, is_active_user, reportable_courses
from learning.services.attempts import open_request_counts

RECENT_DAYS = 30
SHOWN = 10  # courses listed; the rest are a link away (the course reports)


@dataclass
class CourseActivity:
    """One course's line on the admin home."""

    course: CoursePage
    enrolled_recently: int = 0
    completed_recently: int = 0
    in_progress: int = 0
    completed: int = 0
    waiting: int = 0  # learners asking for another attempt, not yet answered
    last_activity: datetime | None = None
    editable: bool = False


@dataclass
class AdminHome:
    """The panel's contents for one person; ``shown`` False for someone the panel has nothing
    for (no course to report on and no right to create one)."""

    courses: list[CourseActivity] = field(default_factory=list)
    total_courses: int = 0
    can_create: bool = False
    days: int = RECENT_DAYS

    @property
    def shown(self) -> bool:
        return bool(self.courses) or self.can_create

    @property
    def more(self) -> int:
        return self.total_courses - len(self.courses)

    @property
    def waiting(self) -> int:
        return sum(row.waiting for row in self.courses)


def admin_home(user: AnyUser, *, days: int = RECENT_DAYS, shown: int = SHOWN) -> AdminHome:
    """For each course ``user`` may report on (the most recently active first, at most
    ``shown``): enrolments and completions of the last ``days`` days, learners in progress and
    completed, open requests for another attempt, and whether ``user`` may edit it."""
    if not is_active_user(user):
        return AdminHome(days=days)
    since = timezone.now() - timedelta(days=days)
    reportable = reportable_courses(user)
    courses = (
        CoursePage.objects.filter(pk__in=reportable.values("pk"))
        .annotate(
            _enrolled_recently=Count("enrolments", filter=Q(enrolments__enrolled_at__gte=since)),
            _completed_recently=Count(
                "enrolments",
                filter=Q(
                    enrolments__status=Enrolment.Status.COMPLETED,
                    enrolments__completed_at__gte=since,
                ),
            ),
            _in_progress=Count(
                "enrolments",
                filter=Q(enrolments__status=Enrolment.Status.ACTIVE),
            ),
            _completed=Count(
                "enrolments",
                filter=Q(enrolments__status=Enrolment.Status.COMPLETED),
            ),
            _last_activity=Max("enrolments__last_activity_at"),
        )
        .defer_streamfields()
        .order_by(F("_last_activity").desc(nulls_last=True), "title")
    )
    listed = list(courses[:shown])
    total = len(listed) if len(listed) < shown else reportable.count()
    waiting = open_request_counts(listed) if listed else {}
    rows = [
        CourseActivity(
            course=course,
            enrolled_recently=course._enrolled_recently,
            completed_recently=course._completed_recently,
            in_progress=course._in_progress,
            completed=course._completed,
            waiting=waiting.get(course.pk, 0),
            last_activity=course._last_activity,
            editable=can_edit_course(user, course),
        )
        for course in listed
    ]
    can_create = PagePermissionPolicy(CoursePage).user_has_permission(user, "add")
    return AdminHome(courses=rows, total_courses=total, can_create=can_create, days=days)
