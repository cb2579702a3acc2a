"""The demo courses that `seed_demo` adds."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from credentials.models import BadgeClass
from learning import services
from learning.forms import CatalogueFilterForm
from learning.models import CoursePage, Enrolment, LessonPage
from lib.translations import in_source_tree

pytestmark = pytest.mark.django_db

TITLES = {
    "Spotting opportunities with industry partners",
    "Co-creating with industry: IP and valorisation basics",
    "Communication and collaboration in mixed teams",
}


@pytest.fixture(scope="module")
def learning_demo_seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module's tests: each test runs inside this transaction, and
    what it changes rolls back to the seeded demo (the transaction rolls back at the end)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(learning_demo_seeded, db):
    """The database as `seed_demo` leaves it."""


def test_seed_demo_adds_three_co_created_courses(seeded):
    courses = in_source_tree(CoursePage.objects.live())
    assert set(courses.values_list("title", flat=True)) == TITLES
    for course in courses:
        assert set(course.institutions.values_list("slug", flat=True)) == {
            "northbridge",
            "helix-robotics",
        }


def test_each_demo_course_has_three_to_five_lessons_a_quiz_and_competences(seeded):
    for course in in_source_tree(CoursePage.objects.live()):
        lessons = LessonPage.objects.live().child_of(course)
        assert 3 <= lessons.count() <= 5
        assert any(lesson.graded_quizzes for lesson in lessons)
        assert course.competences.exists()


def test_each_demo_course_awards_a_published_aligned_badge(seeded):
    for course in in_source_tree(CoursePage.objects.live()).select_related("badge_class"):
        assert course.badge_class.status == BadgeClass.Status.PUBLISHED
        assert course.badge_class.alignments.filter(framework__code__in=["entrecomp", "lifecomp"])


def test_the_demo_learner_is_halfway_through_a_course(seeded):
    enrolment = Enrolment.objects.get(
        user__email="learner@example.com", status=Enrolment.Status.ACTIVE
    )
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


def test_the_demo_learner_sees_the_course_they_completed_with_its_badge(seeded, client):
    """They held three badges and "Completed" was empty: the demo awarded badges without
    any course being completed. Now they complete one through the real path."""
    learner = get_user_model().objects.get(email="learner@example.com")
    done = Enrolment.objects.get(user=learner, status=Enrolment.Status.COMPLETED)
    assert done.award_status == Enrolment.AwardStatus.AWARDED
    assert done.award.badge_class == done.course.badge_class
    client.force_login(learner)
    html = client.get(reverse("learning:dashboard")).content.decode()
    completed = html.split('id="completed-title"')[1].split("</section>")[0]
    assert done.course.title in completed and "Badge awarded" in completed
    assert client.get(reverse("learning:completed", args=[done.course_id])).status_code == 200


def test_every_search_suggestion_finds_a_demo_course(seeded):
    form = CatalogueFilterForm(options=services.catalogue_options())
    placeholder = form.fields["q"].widget.attrs["placeholder"]
    terms = [term.strip() for term in placeholder.split(":", 1)[1].split(",")]
    assert terms == ["prototype", "IP", "teamwork"]
    for term in terms:
        assert services.catalogue_ids(services.CatalogueQuery(q=term)), term


def test_a_demo_lesson_shows_a_video_with_captions_a_picture_and_a_download(seeded, client):
    lesson = LessonPage.objects.get(slug="scoring-in-practice")
    assert {"video", "figure", "download"} <= {block.block_type for block in lesson.body}
    client.force_login(get_user_model().objects.get(email="learner@example.com"))
    html = client.get(lesson.url).content.decode()
    assert "<video" in html and '<track kind="captions"' in html
    assert 'class="figure lesson-figure"' in html and "<img" in html
    assert "Problem statement canvas (worksheet)" in html
    video = next(block for block in lesson.body if block.block_type == "video").value
    assert video["file"].file.size < 50_000  # tiny, bundled, no network
    response = client.get(video["file"].url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x1a\x45\xdf\xa3"  # WebM (EBML)
