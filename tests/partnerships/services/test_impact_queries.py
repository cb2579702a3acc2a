"""A dashboard costs the same fixed number of queries for a small world and one ten times
bigger, for each kind of scope: every figure is a grouped query, never a loop over rows."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentials.models import BadgeClass, Competency, Issuer
from learning.models import Enrolment
from mentoring.models import MentorProfile, MentorSession
from partnerships.models import Member
from partnerships.services.impact import (
    Period,
    impact,
    institution_scope,
    partnership_scope,
    site_scope,
)
from tests.partnerships.services import impact_world as world
from tests.partnerships.services.impact_world import at

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
# The courses of the funnels and their counts, awards, areas, mentoring, verifications,
# endorsements, case studies.
QUERIES = 8


@dataclass
class Growing:
    """A partnership of Northbridge and Helix whose every table grows by ``grow(units)``."""

    northbridge: Issuer
    partnership: object
    badges: list[BadgeClass]
    mentors: list[MentorProfile]
    programme: object
    catalogue: object
    units: int = 0
    courses: list = field(default_factory=list)

    def grow(self, units: int) -> None:
        for _ in range(units):
            self.units += 1
            n = self.units
            course = world.course(self.catalogue, f"course-{n}", [self.northbridge], self.badges[0])
            self.partnership.courses.add(course)
            self.courses.append(course)
            learners = world.people(4, f"unit{n}-")
            self.programme.learners.add(*learners)
            for month, person in enumerate(learners, start=1):
                world.enrol(
                    course,
                    [person],
                    at(2026, month + n % 6),
                    started=month % 2 == 0,
                    completed_at=at(2026, 11) if month == 1 else None,
                    status=Enrolment.Status.COMPLETED if month == 1 else Enrolment.Status.ACTIVE,
                )
            for badge in self.badges:
                given = world.awards(badge, 5, at(2026, 1 + n % 12))
                world.awards(badge, 1, at(2026, 2), revoked_at=at(2026, 3))
                world.verifications(given[:3], date(2026, 1 + n % 12, 3), verifiers=2)
            for mentor in self.mentors:
                world.sessions(
                    mentor,
                    learners,
                    at(2026, 1 + n % 12, 1 + n % 20),
                    status=MentorSession.Status.COMPLETED,
                    rating=1 + n % 5,
                )
            endorser = world.issuer(f"endorser-{n}", Issuer.Kind.COMPANY)
            world.endorse(self.badges[n % len(self.badges)], endorser, at(2026, 5))
            world.case_study(self.partnership, f"story-{n}")


@pytest.fixture
def growing_impact_world(db):
    northbridge = world.issuer("northbridge")
    helix = world.issuer("helix", Issuer.Kind.COMPANY)
    competences = list(Competency.objects.order_by("pk")[:6])
    badges = [world.badge(northbridge, "spotter", competences), world.badge(helix, "maker")]
    mentors = [
        world.mentor(northbridge, MentorProfile.Sector.ACADEMIA, "academic"),
        world.mentor(helix, MentorProfile.Sector.INDUSTRY, "industry"),
    ]
    programme = world.programme("co-mentoring", badges[0], mentors)
    partnership = world.partnership(
        "Northbridge–Helix",
        (northbridge, Member.Role.UNIVERSITY),
        (helix, Member.Role.INDUSTRY),
        badge_classes=[badges[1]],
        programmes=[programme],
    )
    grown = Growing(northbridge, partnership, badges, mentors, programme, world.catalogue())
    grown.grow(1)
    return grown


SCOPES = {
    "partnership": lambda grown: partnership_scope(grown.partnership),
    "institution": lambda grown: institution_scope(grown.northbridge),
    "site": lambda grown: site_scope(),
}


def queries_of(scope) -> tuple[int, object]:
    impact(scope, YEAR)  # the site's root paths and the default locale, cached once
    with CaptureQueriesContext(connection) as captured:
        figures = impact(scope, YEAR)
    return len(captured), figures


@pytest.mark.parametrize("kind", SCOPES)
def test_a_dashboard_costs_the_same_queries_for_ten_times_the_data(growing_impact_world, kind):
    scope = SCOPES[kind](growing_impact_world)
    small, small_figures = queries_of(scope)

    growing_impact_world.grow(9)
    big, big_figures = queries_of(scope)

    assert small == big == QUERIES
    assert big_figures.enrolments == 10 * small_figures.enrolments > 0
    assert big_figures.awards == 10 * small_figures.awards > 0
    assert big_figures.mentoring.sessions == 10 * small_figures.mentoring.sessions > 0
    assert big_figures.value.verifications == 10 * small_figures.value.verifications > 0
    assert len(big_figures.funnels) == 10
    assert len(big_figures.case_studies) == 6
