"""Each figure of the impact dashboards counts what it should, and nothing outside its scope
or period: another institution's awards, revoked awards, withdrawn or unsigned endorsements,
sessions of other mentors, verifications outside the period."""

from dataclasses import dataclass
from datetime import date

import pytest

from credentials.models import Competency, Framework, Issuer
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

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
UNI, COMPANY = Issuer.Kind.UNIVERSITY, Issuer.Kind.COMPANY
COMPLETED, NO_SHOW = MentorSession.Status.COMPLETED, MentorSession.Status.NO_SHOW
INDUSTRY, ACADEMIA = MentorProfile.Sector.INDUSTRY, MentorProfile.Sector.ACADEMIA


@dataclass
class ImpactWorld:
    northbridge: Issuer
    helix: Issuer
    southgate: Issuer
    partnership: object
    nb_awards: list
    south_awards: list


@pytest.fixture
def impact_competences(db):
    frame = Framework.objects.create(
        code="testcomp", name="TestComp", title="Test competences", uri="https://t.example/fw"
    )

    def make(area: str, code: str) -> Competency:
        return Competency.objects.create(
            framework=frame,
            area_code=area,
            area_name=f"Area {area}",
            code=code,
            name=f"Competence {code}",
            uri=f"https://t.example/{code}",
        )

    return [make("1", "1.1"), make("1", "1.2"), make("2", "2.1")]


@pytest.fixture
def impact_world(db, impact_competences):
    """Northbridge (a university) and Helix (a company) in a partnership; Southgate outside."""
    northbridge = world.issuer("northbridge")
    helix = world.issuer("helix", COMPANY)
    southgate = world.issuer("southgate")
    nb_badge = world.badge(northbridge, "opportunity-spotter", impact_competences)
    helix_badge = world.badge(helix, "prototyper", impact_competences[2:])
    south_badge = world.badge(southgate, "south-badge", impact_competences)
    catalogue = world.catalogue()
    shared = world.course(catalogue, "opportunities", [northbridge, helix], nb_badge)
    nb_only = world.course(catalogue, "nb-only", [northbridge])
    south = world.course(catalogue, "south-course", [southgate], south_badge)

    # Awards: Northbridge's badge twice in January, once in March; one revoked in February,
    # one in April (after the period); Southgate's three times in February; Helix's once.
    nb_awards = world.awards(nb_badge, 2, at(2026, 1, 10)) + world.awards(nb_badge, 1, at(2026, 3))
    world.awards(nb_badge, 1, at(2026, 2), revoked_at=at(2026, 5))
    world.awards(nb_badge, 1, at(2026, 4, 2))
    south_awards = world.awards(south_badge, 3, at(2026, 2))
    world.awards(helix_badge, 1, at(2026, 2))

    # Enrolments: three in the period on the shared course (two started, one completed with
    # its badge, one left), one from December completed in January; others elsewhere.
    alice, bob, charlie, dave, erin, frank = world.people(6, "learner")
    world.enrol(
        shared,
        [alice],
        at(2026, 1),
        started=True,
        completed_at=at(2026, 2),
        status=Enrolment.Status.COMPLETED,
        award=nb_awards[0],
    )
    world.enrol(shared, [bob], at(2026, 2), started=True)
    world.enrol(shared, [charlie], at(2026, 3), status=Enrolment.Status.LEFT)
    world.enrol(
        shared, [dave], at(2025, 12), completed_at=at(2026, 1), status=Enrolment.Status.COMPLETED
    )
    world.enrol(shared, [erin], at(2026, 5))  # after the period
    world.enrol(nb_only, [erin], at(2026, 2))
    world.enrol(south, [alice, bob], at(2026, 2))

    # Mentoring: a programme of the partnership with its mentors and learners.
    nb_mentor = world.mentor(northbridge, INDUSTRY, "nb-industry")
    nb_academic = world.mentor(northbridge, ACADEMIA, "nb-academic")
    helix_mentor = world.mentor(helix, INDUSTRY, "helix-mentor")
    south_mentor = world.mentor(southgate, ACADEMIA, "south-mentor")
    programme = world.programme("co-mentoring", nb_badge, [nb_mentor, helix_mentor], [alice, bob])
    world.sessions(nb_mentor, [alice, bob], at(2026, 1, 5), 60, status=COMPLETED, rating=4)
    world.sessions(nb_mentor, [charlie], at(2026, 1, 20), 60, status=COMPLETED, rating=5)
    world.sessions(nb_academic, [alice], at(2026, 2, 3), 90, status=COMPLETED)
    world.sessions(nb_academic, [bob], at(2026, 2, 4), status=NO_SHOW)
    world.sessions(nb_academic, [bob], at(2026, 2, 5), status=MentorSession.Status.CANCELLED)
    world.sessions(nb_mentor, [alice], at(2026, 4, 5), status=COMPLETED)  # after the period
    world.sessions(helix_mentor, [bob], at(2026, 3, 1), 30, status=COMPLETED, rating=2)
    world.sessions(south_mentor, [alice], at(2026, 3, 2), 120, status=COMPLETED)

    # Verifications: two of Northbridge's credentials checked in January (one by two
    # verifiers), one in April; one of Southgate's in February.
    world.verifications(nb_awards[:1], date(2026, 1, 20), verifiers=2)
    world.verifications(nb_awards[1:2], date(2026, 1, 21))
    world.verifications(nb_awards[1:2], date(2026, 4, 1))
    world.verifications(south_awards[:1], date(2026, 2, 1))

    # Endorsements: Helix vouches for Northbridge's badge; Northbridge for Southgate's;
    # Southgate's for Northbridge's was withdrawn; an unsigned one; one before the period.
    world.endorse(nb_badge, helix, at(2026, 2))
    world.endorse(south_badge, northbridge, at(2026, 1))
    world.endorse(nb_badge, southgate, at(2026, 2), withdrawn_at=at(2026, 3))
    world.endorse(helix_badge, northbridge, at(2026, 2), credential=None)
    world.endorse(helix_badge, southgate, at(2025, 6))

    partnership = world.partnership(
        "Northbridge–Helix",
        (northbridge, Member.Role.UNIVERSITY),
        (helix, Member.Role.INDUSTRY),
        courses=[shared],
        badge_classes=[helix_badge],
        programmes=[programme],
    )
    return ImpactWorld(northbridge, helix, southgate, partnership, nb_awards, south_awards)


def test_an_institution_counts_the_enrolments_and_completions_of_its_courses(impact_world):
    figures = impact(institution_scope(impact_world.northbridge), Q1)

    assert figures.enrolments == 4  # three on the shared course, one on its own
    assert figures.completions == 2  # Alice, and Dave who enrolled in December
    funnel = {f.title: f for f in figures.funnels}
    assert set(funnel) == {"Opportunities", "Nb Only"}
    shared = funnel["Opportunities"]
    assert (shared.enrolled, shared.started, shared.completed) == (3, 2, 1)
    assert (shared.awarded, shared.left) == (1, 1)
    assert shared.url.endswith("/opportunities/")
    assert figures.funnels[0].title == "Opportunities"  # most enrolled first


def test_awards_count_standing_awards_of_the_scopes_badges_in_the_period(impact_world):
    figures = impact(institution_scope(impact_world.northbridge), Q1)

    assert figures.months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert figures.awards == 3  # not the revoked one, nor April's, nor Southgate's
    assert figures.awards_by_month == [2, 0, 1]
    [badge] = figures.badges
    assert (badge.name, badge.total, badge.by_month) == ("Opportunity Spotter", 3, [2, 0, 1])


def test_each_award_counts_once_per_competence_area(impact_world):
    figures = impact(institution_scope(impact_world.northbridge), Q1)

    areas = [(a.framework, a.area_code, a.area_name, a.awards) for a in figures.areas]
    assert areas == [("TestComp", "1", "Area 1", 3), ("TestComp", "2", "Area 2", 3)]


def test_mentoring_counts_the_institutions_mentors_sessions_by_sector(impact_world):
    mentoring = impact(institution_scope(impact_world.northbridge), Q1).mentoring

    assert mentoring.industry_hours == 3.0  # three completed hours, not April's
    assert mentoring.academic_hours == 1.5
    assert mentoring.industry_by_month == [3.0, 0, 0]
    assert mentoring.academic_by_month == [0, 1.5, 0]
    assert (mentoring.sessions, mentoring.no_shows, mentoring.cancelled) == (4, 1, 1)
    assert (mentoring.ratings, mentoring.average_rating) == (3, pytest.approx(4.33, abs=0.01))


def test_verifications_count_rows_of_the_scopes_credentials_in_the_period(impact_world):
    value = impact(institution_scope(impact_world.northbridge), Q1).value

    assert value.verifications == 3  # two verifiers of one, one of another; not April's
    assert value.verifications_by_month == [3, 0, 0]
    assert value.credentials_verified == 2


def test_endorsements_count_standing_ones_given_and_received(impact_world):
    value = impact(institution_scope(impact_world.northbridge), Q1).value

    assert value.endorsements_given == 1  # of Southgate's badge; not the unsigned one
    assert value.endorsements_received == 1  # Helix's; not Southgate's withdrawn one


def test_a_partnership_counts_its_courses_badges_and_programme_sessions(impact_world):
    figures = impact(partnership_scope(impact_world.partnership), Q1)

    assert figures.scope.label == "Northbridge–Helix"
    assert figures.enrolments == 3  # the shared course only
    assert [f.title for f in figures.funnels] == ["Opportunities"]
    # Its badge, Helix's badge, and Northbridge's badge through the shared course.
    assert {b.name: b.total for b in figures.badges} == {"Opportunity Spotter": 3, "Prototyper": 1}
    mentoring = figures.mentoring
    # The programme's mentors with its learners: not Charlie (no learner of it), nor
    # Northbridge's academic mentor (not a mentor of it), nor Southgate's.
    assert (mentoring.industry_hours, mentoring.academic_hours) == (2.5, 0)
    assert (mentoring.sessions, mentoring.ratings) == (3, 3)
    assert mentoring.average_rating == pytest.approx(3.33, abs=0.01)
    assert (figures.value.endorsements_given, figures.value.endorsements_received) == (2, 1)


def test_the_site_counts_everything_in_the_period(impact_world):
    figures = impact(site_scope(), Q1)

    assert figures.scope.kind == "site"
    assert figures.enrolments == 6
    assert figures.awards == 7
    assert figures.mentoring.sessions == 6
    assert figures.value.verifications == 4
    assert figures.value.credentials_verified == 3
    assert (figures.value.endorsements_given, figures.value.endorsements_received) == (2, 2)


def test_another_institution_sees_none_of_northbridges_figures(impact_world):
    figures = impact(institution_scope(impact_world.southgate), Q1)

    assert figures.enrolments == 2
    assert figures.awards == 3
    assert [b.name for b in figures.badges] == ["South Badge"]
    assert figures.mentoring.academic_hours == 2.0
    assert figures.mentoring.industry_hours == 0
    assert figures.value.verifications == 1
    assert figures.value.endorsements_given == 0  # the withdrawn one does not stand
    assert figures.value.endorsements_received == 1


def test_an_empty_scope_has_zeros_in_every_month(db):
    lonely = world.issuer("lonely")

    figures = impact(institution_scope(lonely), Q1)

    assert (figures.enrolments, figures.completions, figures.awards) == (0, 0, 0)
    assert figures.awards_by_month == [0, 0, 0]
    assert figures.funnels == figures.badges == figures.areas == []
    assert figures.mentoring.average_rating is None
    assert figures.mentoring.industry_by_month == [0, 0, 0]
    assert figures.value.verifications_by_month == [0, 0, 0]


def test_months_are_cut_in_the_sites_time_zone(db, settings):
    settings.TIME_ZONE = "Europe/Brussels"  # UTC+1 in winter
    nb = world.issuer("northbridge")
    badge = world.badge(nb, "spotter")
    world.awards(badge, 1, at(2025, 12, 31, 23, 30))  # 1 January 00:30 in Brussels: counted
    world.awards(badge, 1, at(2026, 1, 31, 23, 30))  # 1 February in Brussels
    world.awards(badge, 1, at(2026, 2, 28, 23, 30))  # 1 March in Brussels: after the period
    mentor = world.mentor(nb, INDUSTRY)
    world.sessions(mentor, world.people(1), at(2026, 1, 31, 23, 30), 60, status=COMPLETED)

    figures = impact(institution_scope(nb), Period(date(2026, 1, 1), date(2026, 2, 28)))

    assert figures.awards_by_month == [1, 1]
    assert figures.mentoring.industry_by_month == [0, 1.0]


def test_case_studies_are_the_scopes_live_ones_newest_first(impact_world):
    first = world.case_study(impact_world.partnership, "first-story")
    second = world.case_study(impact_world.partnership, "second-story")
    draft = world.case_study(impact_world.partnership, "draft-story")
    draft.unpublish()
    other = world.partnership("Southgate–Lab", (impact_world.southgate, Member.Role.UNIVERSITY))
    elsewhere = world.case_study(other, "elsewhere")

    assert impact(partnership_scope(impact_world.partnership), Q1).case_studies == [second, first]
    northbridge = impact(institution_scope(impact_world.northbridge), Q1).case_studies
    assert northbridge == [second, first]
    assert impact(site_scope(), Q1).case_studies == [elsewhere, second, first]
