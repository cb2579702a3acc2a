"""Mentoring programmes award their badge through the credentials service."""

from datetime import timedelta

import pytest

from credentials.models import Award, BadgeClass
from mentoring import programmes, services
from mentoring.models import MentorSession
from tests.credentials.second_factor_support import login_with_second_factor
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db


def held(mentor, mentee, day, hour=10, *, rating=5):
    """A completed session with the learner's feedback on ``day``."""
    session = MentorSession.objects.create(
        mentor=mentor, learner=mentee, starts_at=at(day, hour), ends_at=at(day, hour + 1),
        status=MentorSession.Status.COMPLETED, completed_at=at(day, hour + 1),
    )  # fmt: skip
    if rating:
        services.leave_feedback(session, by=mentee, rating=rating, feedback="Useful", now=NOW)
    return session


def test_meeting_the_rule_awards_the_badge_with_the_sessions_as_evidence(
    programme, mentor, mentee, monday
):
    for week in (0, 1, 2):
        held(mentor, mentee, monday + timedelta(weeks=week))
    award = programmes.evaluate_programme(programme, mentee)
    assert award.badge_class == programme.badge_class and award.recipient == mentee
    sessions = [e for e in award.evidence if e["name"].startswith("Mentoring session")]
    assert len(sessions) == 3
    assert "rated it 5/5" in sessions[0]["narrative"]


def test_the_badge_arrives_when_the_last_feedback_is_given(
    programme, mentor, mentee, monday, django_capture_on_commit_callbacks
):
    held(mentor, mentee, monday)
    held(mentor, mentee, monday + timedelta(weeks=1))
    last = held(mentor, mentee, monday + timedelta(weeks=2), rating=None)
    assert not Award.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.leave_feedback(last, by=mentee, rating=4, feedback="", now=NOW)
    assert Award.objects.filter(recipient=mentee, badge_class=programme.badge_class).count() == 1


def test_too_few_weeks_award_nothing(programme, mentor, mentee, monday):
    for day in range(3):
        held(mentor, mentee, monday + timedelta(days=day))
    assert programmes.evaluate_programme(programme, mentee) is None
    progress = programmes.programme_progress(programme, mentee)
    assert progress.sessions_needed == 0 and progress.weeks_needed > 1


def test_sessions_without_feedback_do_not_count(programme, mentor, mentee, monday):
    for week in (0, 1, 2):
        held(mentor, mentee, monday + timedelta(weeks=week), rating=None)
    assert programmes.programme_progress(programme, mentee).sessions_done == 0


def test_sessions_with_mentors_outside_the_programme_do_not_count(programme, mentee, monday):
    outsider = make_mentor("outsider@example.org")
    for week in (0, 1, 2):
        held(outsider, mentee, monday + timedelta(weeks=week))
    assert programmes.evaluate_programme(programme, mentee) is None


def test_evaluating_twice_awards_once(programme, mentor, mentee, monday):
    for week in (0, 1, 2):
        held(mentor, mentee, monday + timedelta(weeks=week))
    first = programmes.evaluate_programme(programme, mentee)
    assert programmes.evaluate_programme(programme, mentee) == first
    assert Award.objects.count() == 1


def test_a_draft_badge_is_not_awarded(programme, mentor, mentee, monday):
    BadgeClass.objects.filter(pk=programme.badge_class_id).update(status="draft")
    for week in (0, 1, 2):
        held(mentor, mentee, monday + timedelta(weeks=week))
    assert programmes.evaluate_programmes(mentee) == []
    assert not Award.objects.exists()


def test_a_learner_outside_the_programme_gets_nothing(programme, mentor, omar, monday):
    for week in (0, 1, 2):
        held(mentor, omar, monday + timedelta(weeks=week))
    assert programmes.evaluate_programme(programme, omar) is None


def test_a_learner_joins_an_open_programme(programme, omar):
    programmes.join_programme(programme, omar)
    assert programme.learners.filter(pk=omar.pk).exists()


def test_a_closed_programme_refuses_self_enrolment(programme, omar):
    programme.open_enrolment = False
    programme.save()
    with pytest.raises(services.MentoringError, match="invitation"):
        programmes.join_programme(programme, omar)


def test_issuer_staff_see_the_programme_dashboard_learners_do_not(
    client, programme, mentee, make_user, issuer
):
    staff = make_user("staff@helix.example")
    issuer.staff.add(staff)
    client.force_login(staff)  # password only: the dashboard names learners, it waits
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "Programme dashboard" not in html and "Use your second factor" in html
    login_with_second_factor(client, staff)
    assert "Programme dashboard" in client.get(programme.get_absolute_url()).content.decode()
    client.force_login(mentee)
    html = client.get(programme.get_absolute_url()).content.decode()
    assert "Programme dashboard" not in html and "Your progress" in html


def test_the_programme_report_counts_sessions_hours_and_no_shows(programme, mentor, mentee, monday):
    held(mentor, mentee, monday)
    MentorSession.objects.create(
        mentor=mentor, learner=mentee, starts_at=at(monday, 14), ends_at=at(monday, 15),
        status=MentorSession.Status.NO_SHOW, no_show_side="learner",
    )  # fmt: skip
    report = programmes.programme_report(programme)
    assert (report["completed"], report["hours"], report["no_shows"]) == (1, 1.0, 1)
    assert report["rating"] == 5
