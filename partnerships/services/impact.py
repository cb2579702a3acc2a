"""What a partnership, an institution or the whole site achieved over a period, in figures.

Every figure is an aggregate the database computes (grouped queries), never a Python loop over
rows: a dashboard costs the same fixed number of queries for ten awards or a hundred thousand
(tests/partnerships/services/test_impact_queries.py).

INTERFACE (the dashboard and CSV are written against these shapes):

    scope = partnership_scope(p) | institution_scope(issuer) | site_scope()
    period = parse_period(start_text, end_text, today=...)   # ImpactError on bad input
    period = default_period(today)                            # the last twelve months
    figures = impact(scope, period)                           # -> Impact
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from credentials.models import Issuer
from partnerships.models import CaseStudyPage, Partnership
from partnerships.services import impact_figures as figures
from partnerships.services.impact_scope import filters_for

__all__ = [
    "AreaCount",
    "BadgeAwards",
    "CourseFunnel",
    "Impact",
    "ImpactError",
    "Mentoring",
    "Period",
    "Scope",
    "Value",
    "default_period",
    "impact",
    "institution_scope",
    "parse_period",
    "partnership_scope",
    "site_scope",
]


class ImpactError(ValueError):
    """Bad input for a dashboard (a date that is not one, an end before the start…); its
    message is for the person who typed it, in their language."""


@dataclass(frozen=True)
class Scope:
    """Whose figures: one partnership, one institution, or the whole site."""

    kind: str  # "partnership", "institution" or "site"
    label: str
    partnership: Partnership | None = None
    issuer: Issuer | None = None


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (the site's time zone)."""

    start: date
    end: date

    @property
    def months(self) -> list[date]:
        """The first day of every calendar month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = next_month(month)
        return months


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def months_before(month: date, count: int) -> date:
    """The first day of the month ``count`` months before ``month``'s."""
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class CourseFunnel:
    """One course's learners in the period, stage by stage (each a subset of the one before,
    except ``left``)."""

    course_id: int
    title: str
    url: str
    enrolled: int
    started: int  # did at least one lesson
    completed: int
    awarded: int  # completed and holds the course's badge
    left: int


@dataclass(frozen=True)
class BadgeAwards:
    """Awards of one badge class in the period, month by month (aligned with Period.months)."""

    badge_id: int
    name: str
    total: int
    by_month: list[int]


@dataclass(frozen=True)
class AreaCount:
    """Awards in the period whose badge develops a competence of this framework area."""

    framework: str  # "EntreComp"
    area_code: str
    area_name: str
    awards: int


@dataclass(frozen=True)
class Mentoring:
    """Mentoring sessions in the period (by start time), split by the mentor's sector."""

    industry_hours: float  # completed sessions only
    academic_hours: float
    sessions: int  # completed
    no_shows: int
    cancelled: int
    ratings: int
    average_rating: float | None
    industry_by_month: list[float]  # hours, aligned with Period.months
    academic_by_month: list[float]


@dataclass(frozen=True)
class Value:
    """Signals of value: verifications (VerificationEvent rows: one per credential, verifier and
    day, genuine verdicts only) and endorsements."""

    verifications: int
    verifications_by_month: list[int]
    credentials_verified: int  # distinct credentials checked at least once
    endorsements_given: int  # standing endorsements by the scope's institutions, in the period
    endorsements_received: int  # of the scope's badges, by other institutions


@dataclass(frozen=True)
class Impact:
    scope: Scope
    period: Period
    months: list[date]
    enrolments: int
    completions: int
    funnels: list[CourseFunnel]
    awards: int
    awards_by_month: list[int]
    badges: list[BadgeAwards]
    areas: list[AreaCount]
    mentoring: Mentoring
    value: Value
    case_studies: list[CaseStudyPage] = field(default_factory=list)


def partnership_scope(partnership: Partnership) -> Scope:
    return Scope(kind="partnership", label=partnership.name, partnership=partnership)


def institution_scope(issuer: Issuer) -> Scope:
    return Scope(kind="institution", label=issuer.name, issuer=issuer)


def site_scope() -> Scope:
    return Scope(kind="site", label=_("Whole site"))


EARLIEST = date(2000, 1, 1)
LONGEST_YEARS = 10


def default_period(today: date) -> Period:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    return Period(start=months_before(today, 11), end=today)


def parse_period(start: str, end: str, *, today: date) -> Period:
    """The period a person typed as ISO dates (YYYY-MM-DD); both empty: the default period.

    An empty end is today; an empty start, the first day of the month eleven months before
    the end. An end after today is cut to today. Raises :class:`ImpactError` for a date that
    is not one, a start after today or before 2000, an end before the start, or a period longer
    than ten years."""
    start, end = (start or "").strip(), (end or "").strip()
    if not start and not end:
        return default_period(today)
    bad_end = _("The end is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31.")
    bad_start = _("The start is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31.")
    last = min(_date(end, bad_end), today) if end else today
    first = _date(start, bad_start) if start else months_before(last, 11)
    if first > today:
        raise ImpactError(_("The period cannot start after today."))
    if first < EARLIEST:
        raise ImpactError(_("Figures start in 2000: choose a start date from 1 January 2000."))
    if last < first:
        raise ImpactError(_("The end date is before the start date."))
    if last >= _years_after(first, LONGEST_YEARS):
        raise ImpactError(
            _("Choose a period of at most %(years)s years.") % {"years": LONGEST_YEARS}
        )
    return Period(start=first, end=last)


def _date(text: str, message: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ImpactError(message) from None


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def impact(scope: Scope, period: Period) -> Impact:
    """Every figure of ``scope`` in ``period``: eight queries, whatever the number of rows
    (the site's root paths and default locale, cached, may add one each on a cold cache)."""
    where = filters_for(scope.kind, scope.partnership, scope.issuer)
    bounds = figures.Bounds.of(period.start, period.end)
    months = period.months
    funnels, enrolments, completions = figures.funnels(where, bounds)
    badges = figures.awards_by_badge(where, bounds, months)
    mentoring = figures.mentoring(where, bounds, months)
    checked = figures.verifications(where, bounds, months)
    given, received = figures.endorsements(where, bounds)
    return Impact(
        scope=scope,
        period=period,
        months=months,
        enrolments=enrolments,
        completions=completions,
        funnels=[CourseFunnel(**_fields(CourseFunnel, row)) for row in funnels],
        awards=sum(badge["total"] for badge in badges),
        awards_by_month=[sum(b["by_month"][i] for b in badges) for i in range(len(months))],
        badges=[BadgeAwards(**badge) for badge in badges],
        areas=[AreaCount(**area) for area in figures.areas(where, badges)],
        mentoring=Mentoring(**mentoring),
        value=Value(
            verifications=checked["verifications"],
            verifications_by_month=checked["by_month"],
            credentials_verified=checked["credentials"],
            endorsements_given=given,
            endorsements_received=received,
        ),
        case_studies=figures.case_studies(where),
    )


def _fields(shape, row: dict) -> dict:
    return {name: row[name] for name in shape.__dataclass_fields__}
