"""Catalogue, course page, lesson page and dashboard run a fixed number of SQL queries,
measured on 200 courses and 5,000 enrolments (the data set is built once for the module)."""

import pytest
from django.db import connections, transaction

from tests.learning import scale

# Measured: catalogue 22 (23 searching), course page 30, lesson page 23, dashboard 14, of which
# about 8 are the site's own (session, user, site, routing, navigation). The ceilings leave 2
# for the shared navigation (1 on the dashboard); none depends on the number of courses,
# lessons or enrolments. Before the lesson page took what a lesson requires from its progress
# and the catalogue routed to a lesson in one query, the lesson page ran 28; before the
# dashboard read its suggestions only when it shows them, the dashboard ran 16.
# Content in nine languages costs the catalogue one: Wagtail routes from the root page of the
# active language (Locale.get_active()).
CATALOGUE_QUERIES = 25
COURSE_QUERIES = 32
LESSON_QUERIES = 25
DASHBOARD_QUERIES = 15


@pytest.fixture(autouse=True)
def locales_known_to_the_process(db):
    """A process looks up the default language's locale once (lib/translations.py); the
    ceilings count a request of a running site, not its first."""
    from lib import translations

    translations.default_locale_id()


@pytest.fixture(scope="module")
def big(django_db_setup, django_db_blocker):
    """Build the data set inside a transaction that is rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield scale.build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connections["default"].close()


@pytest.fixture
def as_learner(client, big, db):
    client.force_login(big.learner)
    return client


def test_the_data_set_is_as_large_as_promised(big, db):
    from learning.models import CoursePage, Enrolment

    assert CoursePage.objects.count() == 200 and Enrolment.objects.count() == 5000


def test_catalogue_queries_do_not_grow_with_courses(as_learner, big, django_assert_max_num_queries):
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        response = as_learner.get(big.catalogue.url)
    assert response.status_code == 200 and response.context["total"] == 200


def test_filtered_search_queries_do_not_grow_with_courses(
    as_learner, big, django_assert_max_num_queries
):
    with django_assert_max_num_queries(CATALOGUE_QUERIES + 1):
        response = as_learner.get(big.catalogue.url, {"q": "opportunities", "language": "de"})
    assert response.status_code == 200


def test_course_page_queries_do_not_grow_with_enrolments(
    as_learner, big, django_assert_max_num_queries
):
    with django_assert_max_num_queries(COURSE_QUERIES):
        response = as_learner.get(big.course.url)
    assert response.status_code == 200


def test_lesson_page_queries_do_not_grow_with_enrolments(
    as_learner, big, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LESSON_QUERIES):
        response = as_learner.get(big.lesson.url)
    assert response.status_code == 200


def test_dashboard_queries_do_not_grow_with_enrolments(
    as_learner, big, django_assert_max_num_queries
):
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = as_learner.get("/learning/")
    assert response.status_code == 200
    assert len(response.context["dashboard"].in_progress) == 25


@pytest.fixture
def root_path_reads(monkeypatch):
    """How many times a request reads the site root paths (from the cache: a round trip to
    Redis in production) — once per request, not once per page link."""
    from wagtail.models import Site

    reads = []
    original = Site.get_site_root_paths

    def counting():
        reads.append(1)
        return original()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counting))
    return reads


@pytest.mark.parametrize("page", ["lesson", "dashboard"])
def test_page_links_read_the_site_root_paths_once(as_learner, big, root_path_reads, page):
    url = big.lesson.url if page == "lesson" else "/learning/"
    root_path_reads.clear()
    response = as_learner.get(url)
    assert response.status_code == 200
    assert len(root_path_reads) <= 1
