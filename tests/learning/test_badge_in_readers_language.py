"""A course's badge reads in the learner's language where its institution wrote an edition in
it: on the course page, the completion page and the dashboard."""

import pytest

from credentials.services import editions
from tests.learning.conftest import finish

pytestmark = pytest.mark.django_db

FRENCH = {
    "name": "Badge du cours en français",
    "description": "Le badge que ce cours décerne.",
    "criteria_narrative": "Terminer le cours.",
}


@pytest.fixture
def french_course_badge(course_badge, course_staff):
    editions.save_edition(
        course_badge, "fr", {**FRENCH, **_other_words(course_badge)}, course_staff
    )
    return course_badge


def _other_words(badge):
    """Whatever else the original has words in, in 'French'."""
    from credentials.models.editions import WORDS

    skip = {"name", "description", "criteria_narrative", "criteria_url"}
    return {n: f"{getattr(badge, n)} (fr)" for n in WORDS if n not in skip and getattr(badge, n)}


def test_the_course_page_names_the_badge_of_the_readers_language(
    client, course, french_course_badge, enrolled
):
    client.force_login(enrolled)
    path = course.url  # the English address (a request leaves its language active)
    french = client.get("/fr" + path).content.decode()
    assert FRENCH["name"] in french
    english = client.get(path).content.decode()
    assert FRENCH["name"] not in english
    assert french_course_badge.name in english


def test_the_dashboard_and_completion_page_name_the_badge_in_the_readers_language(
    client, course, french_course_badge, enrolled, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    client.force_login(enrolled)
    dashboard = client.get("/fr/learning/").content.decode()
    assert FRENCH["name"] in dashboard
    page = client.get(f"/fr/learning/courses/{course.pk}/completed/").content.decode()
    assert FRENCH["name"] in page
    assert FRENCH["name"] not in client.get("/learning/").content.decode()


def test_the_catalogue_cards_name_the_badge_in_the_readers_language(
    client, catalogue, course, french_course_badge
):
    path = catalogue.url
    french = client.get("/fr" + path).content.decode()
    assert FRENCH["name"] in french
    english = client.get(path).content.decode()
    assert FRENCH["name"] not in english
    assert french_course_badge.name in english
