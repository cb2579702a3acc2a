"""The catalogue and course pages from the shared page cache (lib/pagecache.py): anonymous
visitors share one copy, signed-in people never see it, and every change the pages show (a
course published, unpublished, edited, moved or deleted, a lesson, an institution, a badge and
its approval, a page's privacy) is shown at once."""

import pytest
from django.core.cache import caches
from wagtail.models import PageViewRestriction

from credentials.models import ApprovalRequest, Competency
from learning import services
from learning.models import CoursePage, LessonPage
from lib import pagecache
from tests.learning.conftest import add_lesson, build_course, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def learning_page_cache(settings):
    settings.PAGE_CACHE = "on"
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The block stands for a transaction that commits: the purges it gathers run at its end.
    (The test's own transaction never commits, so what it gathered before is dropped.)"""

    def block():
        pagecache._pending.__dict__.clear()
        return django_capture_on_commit_callbacks(execute=True)

    return block


def body(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def served_from_cache(client, url, monkeypatch) -> bool:
    """Whether the page is answered without running its view's queries."""
    from learning import services as learning_services

    calls = []
    original = learning_services.course_lessons
    monkeypatch.setattr(
        learning_services, "course_lessons", lambda *a: calls.append(1) or original(*a)
    )
    original_ids = learning_services.catalogue_ids
    monkeypatch.setattr(
        learning_services, "catalogue_ids", lambda *a: calls.append(1) or original_ids(*a)
    )
    client.get(url)
    monkeypatch.undo()
    return not calls


def test_an_anonymous_visitor_gets_the_stored_copy(
    client, learning_page_cache, course, catalogue, monkeypatch
):
    first = body(client, course.url)
    assert served_from_cache(client, course.url, monkeypatch)
    assert body(client, course.url) == first
    body(client, catalogue.url)
    assert served_from_cache(client, catalogue.url, monkeypatch)


def test_without_a_shared_cache_nothing_is_stored(client, settings, course, monkeypatch):
    settings.PAGE_CACHE = "auto"  # the test settings' cache is local to the process
    caches["default"].clear()
    body(client, course.url)
    assert not served_from_cache(client, course.url, monkeypatch)


def test_a_signed_in_learner_never_gets_the_anonymous_copy_nor_the_reverse(
    client, learning_page_cache, course, learner
):
    anonymous = body(client, course.url)
    assert "Log in to enrol" in anonymous
    services.enrol(learner, course)
    client.force_login(learner)
    mine = body(client, course.url)
    assert "You are enrolled" in mine and "Log in to enrol" not in mine
    assert "csrfmiddlewaretoken" in mine
    client.logout()
    again = body(client, course.url)
    assert "You are enrolled" not in again and "Lena" not in again


def test_the_catalogue_keeps_filters_and_pages_apart(
    client, learning_page_cache, catalogue, course, other_course
):
    assert "Teamwork" in body(client, catalogue.url)
    german = body(client, catalogue.url, language="de")
    assert "Teamwork" in german and "Opportunities" not in german
    assert "Opportunities" in body(client, catalogue.url, language="en")


def test_an_unknown_query_parameter_skips_the_cache(
    client, learning_page_cache, catalogue, course, monkeypatch
):
    body(client, catalogue.url, utm="x")
    assert not served_from_cache(client, catalogue.url + "?utm=x", monkeypatch)


def test_a_published_course_appears_in_the_catalogue_at_once(
    client, learning_page_cache, catalogue, course, committed
):
    assert "Teamwork" not in body(client, catalogue.url)
    with committed():
        build_course(catalogue, "teamwork")
    assert "Teamwork" in body(client, catalogue.url)


def test_an_unpublished_course_leaves_at_once(
    client, learning_page_cache, catalogue, course, committed
):
    assert "Opportunities" in body(client, catalogue.url)
    with committed():
        CoursePage.objects.get(pk=course.pk).unpublish()
    assert "Opportunities" not in body(client, catalogue.url)
    assert client.get(course.url).status_code == 404


def test_an_edited_course_shows_its_new_title(
    client, learning_page_cache, catalogue, course, committed
):
    body(client, course.url)
    body(client, catalogue.url)
    page = CoursePage.objects.get(pk=course.pk)
    page.title = "Spotting Opportunities Anew"
    with committed():
        page.save_revision().publish()
    assert "Spotting Opportunities Anew" in body(client, course.url)
    assert "Spotting Opportunities Anew" in body(client, catalogue.url)


def test_a_new_lesson_shows_on_the_course_page(client, learning_page_cache, course, committed):
    assert "Pitch Practice" not in body(client, course.url)
    with committed():
        add_lesson(course, "pitch-practice")
    assert "Pitch Practice" in body(client, course.url)


def test_a_moved_course_is_found_at_its_new_address(
    client, learning_page_cache, catalogue, course, other_course, committed
):
    old_url = other_course.url
    body(client, old_url)
    body(client, catalogue.url)
    with committed():
        CoursePage.objects.get(pk=other_course.pk).move(course, pos="last-child")
    moved = CoursePage.objects.get(pk=other_course.pk)
    assert client.get(old_url).status_code != 200  # Wagtail redirects it to the new address
    assert f'href="{moved.url}"' in body(client, catalogue.url)
    assert "Teamwork" in body(client, moved.url)


def test_a_deleted_course_is_gone_at_once(
    client, learning_page_cache, catalogue, course, other_course, committed
):
    assert "Teamwork" in body(client, catalogue.url)
    with committed():
        CoursePage.objects.get(pk=other_course.pk).delete()
    assert "Teamwork" not in body(client, catalogue.url)


def test_a_course_made_private_is_no_longer_shown_to_anyone(
    client, learning_page_cache, catalogue, course, committed
):
    body(client, course.url)
    assert "Opportunities" in body(client, catalogue.url)
    with committed():
        PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(course.url).status_code == 302
    assert "Opportunities" not in body(client, catalogue.url)


def test_an_institution_renamed_shows_on_the_pages(
    client, learning_page_cache, catalogue, course, course_issuer, committed
):
    body(client, course.url)
    body(client, catalogue.url)
    course_issuer.name = "Northbridge Institute of Technology"
    with committed():
        course_issuer.save()
    assert "Northbridge Institute of Technology" in body(client, course.url)
    assert "Northbridge Institute of Technology" in body(client, catalogue.url)


def test_a_badge_approved_for_the_course_shows_at_once(
    client, learning_page_cache, catalogue, course_issuer, committed
):
    badge = make_badge(course_issuer, "waiting-badge", name="Waiting Badge")
    course = build_course(catalogue, "waiting", badge=badge, badge_approved=False)
    assert "Waiting Badge" not in body(client, course.url)
    from credentials.services import approvals

    with committed():
        approvals.preapprove(
            ApprovalRequest.Kind.COURSE_BADGE, course_issuer, course.pk, label="x", badge=badge
        )
    assert "Waiting Badge" in body(client, course.url)


def test_a_competence_added_to_a_course_shows_at_once(
    client, learning_page_cache, catalogue, other_course, committed
):
    s3 = Competency.objects.get(framework__code="lifecomp", code="S3")
    assert s3.name not in body(client, other_course.url)
    with committed():
        other_course.competences.add(s3)
        other_course.save()
    assert s3.name in body(client, other_course.url)


def test_a_lesson_title_changed_shows_on_the_course_page(
    client, learning_page_cache, course, committed
):
    lesson = LessonPage.objects.child_of(course).first().specific
    body(client, course.url)
    lesson.title = "A Renamed Lesson"
    with committed():
        lesson.save_revision().publish()
    assert "A Renamed Lesson" in body(client, course.url)


def test_a_password_protected_course_is_never_stored_for_the_next_visitor(
    client, learning_page_cache, course, committed
):
    """Whoever gave the password sees the course; the next visitor still gets the password
    form, although stored pages are answered before Wagtail checks restrictions."""
    from django.test import Client

    with committed():
        restriction = PageViewRestriction.objects.create(
            page=course, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame"
        )
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert "Log in to enrol" in body(client, course.url)
    assert "Log in to enrol" in body(client, course.url)
    stranger = Client().get(course.url).content.decode()
    assert "Log in to enrol" not in stranger and "password" in stranger.lower()


def test_a_stored_page_is_answered_before_routing_with_fresh_security_headers(
    client, learning_page_cache, course, django_assert_num_queries
):
    first = client.get(course.url)
    with django_assert_num_queries(0):
        again = client.get(course.url)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY" and again["X-Content-Type-Options"] == "nosniff"


def test_signed_in_visitors_share_the_cards_but_each_sees_their_own_status(
    client, learning_page_cache, catalogue, course, other_course, learner, make_user, monkeypatch
):
    services.enrol(learner, course)
    client.force_login(learner)
    assert "Enrolled" in body(client, catalogue.url)
    made = []
    original = services.courses_for_cards
    monkeypatch.setattr(
        services, "courses_for_cards", lambda ids: made.append(ids) or original(ids)
    )
    client.force_login(make_user("olga@example.org"))
    page = body(client, catalogue.url)
    assert made == []  # every card came from the cache
    assert "Enrolled" not in page and "Opportunities" in page and "Teamwork" in page


def test_a_card_is_rendered_again_once_its_course_changes(
    client, learning_page_cache, catalogue, course, learner, committed
):
    client.force_login(learner)
    body(client, catalogue.url)
    page = CoursePage.objects.get(pk=course.pk)
    page.summary = "A summary written again for the card."
    with committed():
        page.save_revision().publish()
    assert "A summary written again for the card." in body(client, catalogue.url)


def test_searches_and_pages_past_the_last_are_not_stored(
    client, learning_page_cache, catalogue, course
):
    """Free text and page numbers are endless: storing each would let anyone fill the cache."""
    for query in ("?q=opportunity", "?q=anything+else", "?page=999", "?page=01", "?level=nope"):
        assert client.get(catalogue.url + query).status_code == 200, query
    assert stored_answers() == 0
    assert client.get(catalogue.url + "?page=1").status_code == 200
    assert stored_answers() == 1


def stored_answers() -> int:
    return sum(pagecache.ENTRY_PREFIX in key for key in caches["default"]._cache)
