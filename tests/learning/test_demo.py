"""The demo courses that `seed_demo` adds."""

import io

import pytest
from django.core.management import call_command

from credentials.models import BadgeClass
from learning import services
from learning.models import CoursePage, Enrolment, LessonPage

pytestmark = pytest.mark.django_db

TITLES = {
    "Spotting opportunities with industry partners",
    "Co-creating with industry: IP and valorisation basics",
    "Communication and collaboration in mixed teams",
}


@pytest.fixture
def seeded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_adds_three_co_created_courses(seeded):
    courses = CoursePage.objects.live()
    assert set(courses.values_list("title", flat=True)) == TITLES
    for course in courses:
        assert set(course.institutions.values_list("slug", flat=True)) == {
            "northbridge",
            "helix-robotics",
        }


def test_each_demo_course_has_three_to_five_lessons_a_quiz_and_competences(seeded):
    for course in CoursePage.objects.live():
        lessons = LessonPage.objects.live().child_of(course)
        assert 3 <= lessons.count() <= 5
        assert any(lesson.graded_quizzes for lesson in lessons)
        assert course.competences.exists()


def test_each_demo_course_awards_a_published_aligned_badge(seeded):
    for course in CoursePage.objects.live().select_related("badge_class"):
        assert course.badge_class.status == BadgeClass.Status.PUBLISHED
        assert course.badge_class.alignments.filter(framework__code__in=["entrecomp", "lifecomp"])


def test_the_demo_learner_is_halfway_through_a_course(seeded):
    enrolment = Enrolment.objects.get(user__email="learner@example.com")
    progress = services.progress_of(enrolment)
    assert enrolment.is_active and 0 < progress.lessons_done < progress.lessons_total


def test_seeding_twice_creates_nothing_new(seeded, django_capture_on_commit_callbacks):
    counts = (CoursePage.objects.count(), LessonPage.objects.count(), Enrolment.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        Enrolment.objects.count(),
    ) == counts


def test_demo_completions_received_their_badges(seeded):
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    assert completed.exists()
    assert all(e.award_status == Enrolment.AwardStatus.AWARDED for e in completed)
