"""A partnership's figures are its members' work only: a course, programme or badge of an
institution that is not a member counts for nothing, even when a row links it to the
partnership (an editor ticked it in the admin, or it was linked before the admin checked)."""

from dataclasses import dataclass
from datetime import date

import pytest

from learning.models import Enrolment
from mentoring.models import MentorProfile, MentorSession
from partnerships.services.impact import Period, impact, partnership_scope
from tests.partnerships.services import impact_world as world
from tests.partnerships.services.impact_world import at

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
COMPLETED = MentorSession.Status.COMPLETED
INDUSTRY = MentorProfile.Sector.INDUSTRY


@dataclass
class Linked:
    partnership: object
    member_badge: object
    outsider_badge: object


@pytest.fixture
def outsider_work_linked(nh_partnership, member_university, member_company, outsider_institution):
    """Northbridge–Helix runs one course and one programme of Northbridge's and links Helix's
    badge. Linked to it in the database as well: Corvid's own badge, a course only Corvid
    co-creates (awarding Corvid's badge), a programme towards Corvid's badge, and a Northbridge
    course that awards Corvid's badge. Each has enrolments, awards or sessions in the period."""
    catalogue = world.catalogue()
    nb_badge = world.badge(member_university, "nb-spotter")
    helix_badge = world.badge(member_company, "helix-maker")
    corvid_badge = world.badge(outsider_institution, "corvid-analyst")

    nb_course = world.course(catalogue, "nb-robotics", [member_university], nb_badge)
    corvid_course = world.course(catalogue, "corvid-data", [outsider_institution], corvid_badge)
    nb_course_corvid_badge = world.course(
        catalogue, "nb-with-corvid-badge", [member_university], corvid_badge
    )
    world.enrol(nb_course, world.people(2, "nb-learner"), at(2026, 1), started=True)
    world.enrol(nb_course_corvid_badge, world.people(1, "nb-other"), at(2026, 2))
    world.enrol(corvid_course, world.people(5, "corvid-learner"), at(2026, 1), started=True)
    world.enrol(
        corvid_course,
        world.people(1, "corvid-done"),
        at(2026, 1),
        completed_at=at(2026, 2),
        status=Enrolment.Status.COMPLETED,
    )

    world.awards(nb_badge, 2, at(2026, 2))
    world.awards(helix_badge, 1, at(2026, 2))
    corvid_awards = world.awards(corvid_badge, 7, at(2026, 2))
    world.verifications(corvid_awards[:3], date(2026, 2, 10))
    world.endorse(corvid_badge, member_company, at(2026, 2))  # of a badge outside the scope

    nb_learners = world.people(2, "nb-mentee")
    corvid_learners = world.people(4, "corvid-mentee")
    nb_mentor = world.mentor(member_university, INDUSTRY, "nb-mentor")
    corvid_mentor = world.mentor(outsider_institution, INDUSTRY, "corvid-mentor")
    nb_programme = world.programme("nb-mentoring", nb_badge, [nb_mentor], nb_learners)
    corvid_programme = world.programme(
        "corvid-mentoring", corvid_badge, [corvid_mentor], corvid_learners
    )
    world.sessions(nb_mentor, nb_learners, at(2026, 1, 5), 60, status=COMPLETED, rating=4)
    world.sessions(corvid_mentor, corvid_learners, at(2026, 1, 6), 60, status=COMPLETED, rating=1)

    nh_partnership.courses.set([nb_course, corvid_course, nb_course_corvid_badge])
    nh_partnership.programmes.set([nb_programme, corvid_programme])
    nh_partnership.badge_classes.set([helix_badge, corvid_badge])
    return Linked(nh_partnership, nb_badge, corvid_badge)


def test_a_partnership_counts_none_of_a_non_members_courses_badges_or_programmes(
    outsider_work_linked,
):
    figures = impact(partnership_scope(outsider_work_linked.partnership), Q1)

    assert figures.enrolments == 3  # Northbridge's courses; none of Corvid's six
    assert figures.completions == 0
    assert {f.title for f in figures.funnels} == {"Nb Robotics", "Nb With Corvid Badge"}
    assert figures.awards == 3  # Northbridge's two and Helix's one; none of Corvid's seven
    assert {b.name: b.total for b in figures.badges} == {"Nb Spotter": 2, "Helix Maker": 1}
    assert figures.value.verifications == 0
    assert figures.value.endorsements_received == 0
    mentoring = figures.mentoring
    assert (mentoring.sessions, mentoring.industry_hours, mentoring.ratings) == (2, 2.0, 2)
    assert mentoring.average_rating == pytest.approx(4)


def test_a_course_co_created_with_a_member_still_counts(
    outsider_work_linked, member_university, outsider_institution
):
    catalogue = world.catalogue()
    joint = world.course(catalogue, "joint-course", [outsider_institution, member_university], None)
    world.enrol(joint, world.people(3, "joint-learner"), at(2026, 3))
    outsider_work_linked.partnership.courses.add(joint)

    figures = impact(partnership_scope(outsider_work_linked.partnership), Q1)

    assert figures.enrolments == 6
    assert "Joint Course" in {f.title for f in figures.funnels}
