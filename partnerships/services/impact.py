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

from credentials.models import Issuer
from partnerships.models import CaseStudyPage, Partnership

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
        raise NotImplementedError


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
    raise NotImplementedError


def institution_scope(issuer: Issuer) -> Scope:
    raise NotImplementedError


def site_scope() -> Scope:
    raise NotImplementedError


def default_period(today: date) -> Period:
    raise NotImplementedError


def parse_period(start: str, end: str, *, today: date) -> Period:
    raise NotImplementedError


def impact(scope: Scope, period: Period) -> Impact:
    raise NotImplementedError
