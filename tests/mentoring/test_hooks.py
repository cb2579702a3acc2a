"""What mentoring offers the learning app through its hooks."""

import pytest

from mentoring import learning_hooks, services
from mentoring.models import MentorSession
from tests.mentoring.conftest import NOW, at

pytestmark = pytest.mark.django_db


class Course:
    """A stand-in for a course page: only its ``competences`` matter here."""

    def __init__(self, competences, pk=None):
        self._ids = [c.pk for c in competences]
        self.pk = pk

    @property
    def competences(self):
        from credentials.models import Competency

        return Competency.objects.filter(pk__in=self._ids)


def test_mentoring_registers_both_hooks_with_learning():
    hooks = pytest.importorskip("learning.hooks")
    assert learning_hooks.count_sessions_for_course in hooks._sessions_counters
    assert learning_hooks.upcoming_for_dashboard in hooks._upcoming_providers


def test_completed_sessions_count_for_a_course_sharing_a_competence(mentor, mentee, monday):
    from credentials.models import Competency

    creativity, vision = Competency.objects.filter(framework__code="entrecomp")[1:3]
    mentor.competences.add(creativity)
    MentorSession.objects.create(
        mentor=mentor, learner=mentee, starts_at=at(monday, 10), ends_at=at(monday, 11),
        status=MentorSession.Status.COMPLETED,
    )  # fmt: skip
    assert learning_hooks.count_sessions_for_course(mentee, Course([creativity])) == 1
    assert learning_hooks.count_sessions_for_course(mentee, Course([vision])) == 0
    assert learning_hooks.count_sessions_for_course(mentee, Course([])) == 1


def test_upcoming_sessions_for_the_learning_dashboard(booked, mentee, clock):
    (item,) = learning_hooks.upcoming_for_dashboard(mentee)
    assert set(item) == {"title", "starts_at", "url", "with_whom"}
    assert item["starts_at"] == booked.starts_at and item["url"] == booked.get_absolute_url()


def test_a_completed_session_asks_learning_to_update_completions(
    booked, mentor, monkeypatch, django_capture_on_commit_callbacks
):
    learning_services = pytest.importorskip("learning.services")
    seen = []
    monkeypatch.setattr(learning_services, "update_completions_for", seen.append, raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_completed(booked, by=mentor.user, now=booked.ends_at)
    assert seen == [booked.learner]


def test_course_competences_are_read_from_learning_enrolments_when_present(mentee):
    from mentoring import matching

    assert isinstance(matching.course_competences(mentee), dict)
    assert NOW  # no enrolment: nothing, and no error


def test_many_learners_and_courses_are_counted_as_one_by_one(
    mentor, mentee, omar, monday, django_assert_max_num_queries
):
    """The batch counter (a course report, a dashboard) agrees with the per-pair one."""
    from credentials.models import Competency

    creativity, vision = Competency.objects.filter(framework__code="entrecomp")[1:3]
    mentor.competences.add(creativity)
    MentorSession.objects.create(
        mentor=mentor, learner=mentee, starts_at=at(monday, 10), ends_at=at(monday, 11),
        status=MentorSession.Status.COMPLETED,
    )  # fmt: skip
    courses = [Course([creativity], pk=1), Course([vision], pk=2), Course([], pk=3)]
    pairs = [(who, course) for who in (mentee, omar) for course in courses]
    one_by_one = [learning_hooks.count_sessions_for_course(u, c) for u, c in pairs]
    with django_assert_max_num_queries(2 * len(courses)):
        assert learning_hooks.count_sessions_for_courses(pairs) == one_by_one
    assert one_by_one == [1, 0, 1, 0, 0, 0]
