"""An institution's mentoring figures count only the mentors whose affiliation its staff
approved: naming an institution in one's mentor profile is a request, not a fact."""

from datetime import date

import pytest

from credentials.services import approvals
from mentoring.models import MentorProfile, MentorSession
from partnerships.services.impact import Period, impact, institution_scope
from tests.partnerships.services import impact_world as world
from tests.partnerships.services.impact_world import at

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def claimed_mentor(charlie, member_university):
    """Charlie (Corvid's staff) names Northbridge in a mentor profile and holds one completed
    90-minute session in January; the request waits on Northbridge's desk."""
    profile = MentorProfile.objects.create(
        user=charlie,
        organisation="Corvid Analytics",
        sector=MentorProfile.Sector.INDUSTRY,
        institution=member_university,
        time_zone="UTC",
    )
    request = approvals.request_mentor(member_university, profile.pk, by=charlie, label="Charlie")
    world.sessions(
        profile,
        world.people(1, "mentee"),
        at(2026, 1, 12),
        90,
        status=MentorSession.Status.COMPLETED,
        rating=5,
    )
    return request


def northbridge_mentoring(member_university):
    return impact(institution_scope(member_university), Q1).mentoring


def test_a_pending_affiliation_adds_nothing_to_the_institutions_figures(
    claimed_mentor, member_university
):
    assert claimed_mentor.is_pending

    mentoring = northbridge_mentoring(member_university)

    assert (mentoring.sessions, mentoring.ratings) == (0, 0)
    assert mentoring.industry_hours == mentoring.academic_hours == 0


def test_a_declined_affiliation_adds_nothing_to_the_institutions_figures(
    claimed_mentor, member_university, alice
):
    approvals.decline(claimed_mentor, by=alice)

    mentoring = northbridge_mentoring(member_university)

    assert (mentoring.sessions, mentoring.industry_hours) == (0, 0)


def test_another_institutions_approval_does_not_count_for_the_named_one(
    claimed_mentor, member_university, outsider_institution
):
    approvals.preapprove(
        approvals.Kind.MENTOR, outsider_institution, claimed_mentor.subject_id, label="Charlie"
    )

    assert northbridge_mentoring(member_university).sessions == 0
    assert impact(institution_scope(outsider_institution), Q1).mentoring.sessions == 0


def test_once_approved_the_mentors_sessions_count(claimed_mentor, member_university, alice):
    approvals.approve(claimed_mentor, by=alice)

    mentoring = northbridge_mentoring(member_university)

    assert (mentoring.sessions, mentoring.ratings) == (1, 1)
    assert (mentoring.industry_hours, mentoring.academic_hours) == (1.5, 0)
