"""The grouped queries behind an impact dashboard: each function is one or two queries,
whatever the number of rows, and returns plain values (``partnerships.services.impact`` shapes
them). Rows are grouped by course, badge, area or month in the database; Python only adds up
the grouped rows (at most courses, badges × months, areas or months × 2 of them).

Times are cut at the site's time zone: ``Bounds`` are aware datetimes from the first day's
midnight to the midnight after the last day, and each month's figure is a conditional count
(or sum) between the aware midnights that begin the month and the next: plain comparisons an
index serves, with no date arithmetic on every row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.utils import timezone

from credentials.models import Award, BadgeClass, Endorsement, VerificationEvent
from learning.models import CoursePage, Enrolment, LessonProgress
from lib.translations import in_source_tree
from mentoring.models import MentorProfile, MentorSession
from partnerships.models import CaseStudyPage
from partnerships.services.impact_scope import ScopeFilters

CASE_STUDIES = 6


@dataclass(frozen=True)
class Bounds:
    start: datetime  # aware: the first day at 00:00 in the site's time zone
    end: datetime  # aware: the day after the last at 00:00 (excluded)
    first: date
    last: date
    zone: tzinfo

    @classmethod
    def of(cls, first: date, last: date) -> Bounds:
        zone = timezone.get_default_timezone()

        def midnight(day: date) -> datetime:
            return datetime.combine(day, time.min, tzinfo=zone)

        return cls(midnight(first), midnight(last + timedelta(days=1)), first, last, zone)

    def q(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


# Outcomes: enrolments, completions and the funnel per course (two queries).


def funnels(scope: ScopeFilters, bounds: Bounds) -> tuple[list[dict], int, int]:
    """(one dict per course with learners in the period, enrolments, completions).

    The funnel follows the learners who enrolled in the period: of them, who started (did a
    lesson, or completed), completed, holds the course's badge (not revoked), and left.
    Completions count the courses completed in the period, whenever the learner enrolled."""
    enrolled = bounds.q("enrolled_at")
    completed_in = bounds.q("completed_at")
    started = Q(Exists(LessonProgress.objects.filter(enrolment=OuterRef("pk")))) | Q(
        completed_at__isnull=False
    )
    active = Enrolment.objects.filter(scope.enrolments).filter(enrolled | completed_in)
    courses = {
        course.pk: course
        for course in in_source_tree(CoursePage.objects.filter(scope.courses)).filter(
            Exists(active.filter(course=OuterRef("pk")))
        )
    }
    rows = (
        active.order_by()
        .values("course_id")
        .annotate(
            enrolled=Count("pk", filter=enrolled),
            started=Count("pk", filter=enrolled & started),
            completed=Count("pk", filter=enrolled & Q(completed_at__isnull=False)),
            awarded=Count(
                "pk",
                filter=enrolled
                & Q(completed_at__isnull=False, award__isnull=False, award__revoked_at=None),
            ),
            left=Count("pk", filter=enrolled & Q(status=Enrolment.Status.LEFT)),
            completions=Count("pk", filter=completed_in),
        )
    )
    result, enrolments, completions = [], 0, 0
    for row in rows:
        enrolments += row["enrolled"]
        completions += row["completions"]
        course = courses.get(row["course_id"])
        if course is None or not row["enrolled"]:
            continue
        result.append({**row, "title": course.title, "url": course.url or ""})
    result.sort(key=lambda row: (-row["enrolled"], row["title"]))
    return result, enrolments, completions


# Outcomes: awards per badge and month, competence areas (two queries).


def awarded(scope: ScopeFilters, bounds: Bounds):
    """Standing awards (not revoked) of the scope's badges issued in the period."""
    return Award.objects.filter(scope.awards, bounds.q("issued_on"), revoked_at=None).order_by()


def month_starts(bounds: Bounds, months: list[date]) -> list[datetime]:
    """Where each month of the period begins and the last ends, as aware datetimes in the
    site's time zone (the first and last cut at the period's own bounds)."""
    edges = [datetime.combine(month, time.min, tzinfo=bounds.zone) for month in months[1:]]
    return [bounds.start, *edges, bounds.end]


def awards_by_badge(scope: ScopeFilters, bounds: Bounds, months: list[date]) -> list[dict]:
    """Per badge, its awards in each month: one row per badge, one conditional count per month
    (plain comparisons of the issue time with the months' bounds, which an index on the badge
    and issue time serves; no per-row date arithmetic)."""
    edges = month_starts(bounds, months)
    monthly = {
        f"m{n}": Count("pk", filter=Q(issued_on__gte=edges[n], issued_on__lt=edges[n + 1]))
        for n in range(len(months))
    }
    rows = awarded(scope, bounds).values("badge_class_id", "badge_class__name").annotate(**monthly)
    result = []
    for row in rows:
        counts = [row[f"m{n}"] for n in range(len(months))]
        result.append(
            {
                "badge_id": row["badge_class_id"],
                "name": row["badge_class__name"],
                "total": sum(counts),
                "by_month": counts,
            }
        )
    result.sort(key=lambda badge: (-badge["total"], badge["name"]))
    return result


def areas(scope: ScopeFilters, badges: list[dict]) -> list[dict]:
    """Per framework area: awards whose badge aligns to a competence of it, each award once
    per area however many of the area's competences its badge names. An award has one badge,
    so that is the sum of the awards of the badges aligned to the area (``badges``: the rows of
    :func:`awards_by_badge`); one small query reads which badge covers which area."""
    totals = {badge["badge_id"]: badge["total"] for badge in badges}
    covered = (
        BadgeClass.alignments.through.objects.filter(
            badgeclass__in=BadgeClass.objects.filter(scope.badges).values("pk")
        )
        .values(
            "badgeclass_id",
            framework=F("competency__framework__name"),
            area_code=F("competency__area_code"),
            area_name=F("competency__area_name"),
        )
        .distinct()
        .order_by()
    )
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in covered:
        counts[row["framework"], row["area_code"], row["area_name"]] += totals.get(
            row["badgeclass_id"], 0
        )
    return [
        {"framework": framework, "area_code": code, "area_name": name, "awards": awards}
        for (framework, code, name), awards in sorted(counts.items())
        if awards
    ]


# Mentoring (one query).

DURATION = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def hours(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    return value / 3_600_000_000  # microseconds, where a backend returns the raw number


def mentoring(scope: ScopeFilters, bounds: Bounds, months: list[date]) -> dict:
    """Sessions that start in the period: hours of the completed ones by the mentor's sector
    and month, completed sessions, no-shows, cancellations and the learners' ratings. One row
    per sector; the hours of each month a conditional sum against the month's bounds."""
    Status = MentorSession.Status
    completed = Q(status=Status.COMPLETED)
    edges = month_starts(bounds, months)
    monthly = {
        f"h{n}": Sum(
            DURATION, filter=completed & Q(starts_at__gte=edges[n], starts_at__lt=edges[n + 1])
        )
        for n in range(len(months))
    }
    rows = (
        MentorSession.objects.filter(scope.sessions, bounds.q("starts_at"))
        .order_by()
        .values("mentor__sector")
        .annotate(
            completed=Count("pk", filter=completed),
            no_shows=Count("pk", filter=Q(status=Status.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            ratings=Count("rating"),
            rating_sum=Sum("rating"),
            **monthly,
        )
    )
    figures = dict.fromkeys(("sessions", "no_shows", "cancelled", "ratings", "rating_sum"), 0)
    by_sector: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(months))
    for row in rows:
        sector = by_sector[row["mentor__sector"]]
        for n in range(len(months)):
            sector[n] += hours(row[f"h{n}"])
        figures["sessions"] += row["completed"]
        figures["no_shows"] += row["no_shows"]
        figures["cancelled"] += row["cancelled"]
        figures["ratings"] += row["ratings"]
        figures["rating_sum"] += row["rating_sum"] or 0
    industry = [round(h, 2) for h in by_sector[MentorProfile.Sector.INDUSTRY]]
    academic = [round(h, 2) for h in by_sector[MentorProfile.Sector.ACADEMIA]]
    ratings = figures.pop("ratings")
    rating_sum = figures.pop("rating_sum")
    return {
        **figures,
        "industry_hours": round(sum(by_sector[MentorProfile.Sector.INDUSTRY]), 2),
        "academic_hours": round(sum(by_sector[MentorProfile.Sector.ACADEMIA]), 2),
        "ratings": ratings,
        "average_rating": round(rating_sum / ratings, 2) if ratings else None,
        "industry_by_month": industry,
        "academic_by_month": academic,
    }


# Value: verifications and endorsements (one query each).


def verifications(scope: ScopeFilters, bounds: Bounds, months: list[date]) -> dict:
    """VerificationEvent rows (one per credential, verifier and day, genuine verdicts only) on
    the scope's awards, by the day they were recorded; a revoked credential's checks count (a
    verifier checked our credential and learned it no longer stands)."""
    edges = [bounds.first, *months[1:], bounds.last + timedelta(days=1)]
    monthly = {
        f"m{n}": Count("pk", filter=Q(day__gte=edges[n], day__lt=edges[n + 1]))
        for n in range(len(months))
    }
    totals = (
        VerificationEvent.objects.filter(
            scope.verifications, day__gte=bounds.first, day__lte=bounds.last
        )
        .order_by()
        .aggregate(credentials=Count("award_id", distinct=True), **monthly)
    )
    series = [totals[f"m{n}"] for n in range(len(months))]
    return {"verifications": sum(series), "by_month": series, "credentials": totals["credentials"]}


def endorsements(scope: ScopeFilters, bounds: Bounds) -> tuple[int, int]:
    """(given, received): standing endorsements (signed, not withdrawn) issued in the period."""
    given, received = scope.endorsements_given, scope.endorsements_received
    totals = (
        Endorsement.objects.filter(withdrawn_at=None, credential__isnull=False)
        .filter(bounds.q("issued_on"))
        .filter(given | received)
        .order_by()
        .aggregate(given=Count("pk", filter=given), received=Count("pk", filter=received))
    )
    return totals["given"], totals["received"]


# Qualitative (one query).


def case_studies(scope: ScopeFilters) -> list[CaseStudyPage]:
    """The newest live case studies of the scope, in the default language's tree."""
    pages = in_source_tree(CaseStudyPage.objects.live().filter(scope.case_studies))
    return list(pages.order_by("-first_published_at", "-pk")[:CASE_STUDIES])
