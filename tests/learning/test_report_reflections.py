"""Reflections are for the learner and their course team: the team reads them in the course
report, per learner and per prompt, and in the CSV; nobody else does."""

import csv
import io

import pytest
from django.urls import reverse

from learning import services
from learning.models import LessonPage
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db

SECRET = "REFLECTION-TEXT leaks at the hand-over"


@pytest.fixture
def reflected(enrolled, course):
    """Lena answered the course's reflection prompt; returns her enrolment."""
    lesson = LessonPage.objects.child_of(course).get(slug__endswith="-reflect")
    block = lesson.reflection_blocks()[0]
    services.save_reflection(enrolled, lesson, block.id, SECRET)
    return services.enrolment_of(enrolled, course)


def pages(course, enrolment):
    return [
        reverse("learning:report_learner", args=[course.pk, enrolment.pk]),
        reverse("learning:report_reflections", args=[course.pk]),
        reverse("learning:report_csv", args=[course.pk]),
    ]


def test_the_course_team_reads_reflections_per_learner_per_prompt_and_in_the_csv(
    client, course_staff, course, reflected
):
    login_with_second_factor(client, course_staff)
    learner_page, prompt_page, csv_file = (client.get(url) for url in pages(course, reflected))
    assert SECRET in learner_page.content.decode()
    assert SECRET in prompt_page.content.decode()
    assert "Where does value leak?" in prompt_page.content.decode()
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"), newline="")))
    column = rows[0].index("Reflection: Where does value leak? (Opportunities Reflect)")
    assert [row[column] for row in rows[1:]] == [SECRET]
    report = client.get(reverse("learning:report", args=[course.pk])).content.decode()
    assert reverse("learning:report_reflections", args=[course.pk]) in report


def test_a_reflection_that_looks_like_a_formula_is_text_in_the_csv(
    client, course_staff, enrolled, course, reflected
):
    lesson = LessonPage.objects.child_of(course).get(slug__endswith="-reflect")
    services.save_reflection(enrolled, lesson, lesson.reflection_blocks()[0].id, '=HYPERLINK("x")')
    login_with_second_factor(client, course_staff)
    body = client.get(pages(course, reflected)[2]).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_staff_of_another_institution_do_not_see_reflections(
    client, elsewhere_staff, course, reflected
):
    login_with_second_factor(client, elsewhere_staff)
    for url in pages(course, reflected):
        response = client.get(url)
        assert response.status_code == 403 and SECRET not in response.content.decode()


def test_other_learners_do_not_see_reflections(client, make_user, course, reflected):
    other = make_user("mo@example.org", display_name="Mo")
    services.enrol(other, course)
    client.force_login(other)
    for url in pages(course, reflected):
        response = client.get(url)
        assert response.status_code in (302, 403) and SECRET not in response.content.decode()
    lesson = LessonPage.objects.child_of(course).get(slug__endswith="-reflect")
    assert SECRET not in client.get(lesson.url).content.decode()


def test_a_course_without_answers_says_so(client, course_staff, course):
    login_with_second_factor(client, course_staff)
    html = client.get(reverse("learning:report_reflections", args=[course.pk])).content.decode()
    assert "No learner has answered this prompt yet." in html


def test_the_html_report_does_not_read_reflections(course_staff, course, reflected):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.course_report(course, course_staff)
    assert not any("reflectionanswer" in query["sql"].lower() for query in queries)


def test_the_reflections_page_shows_a_page_of_answers_at_a_time(
    client, make_user, course_staff, course, reflected
):
    lesson = LessonPage.objects.child_of(course).get(slug__endswith="-reflect")
    block_id = lesson.reflection_blocks()[0].id
    for n in range(3):
        other = make_user(f"writer{n}@example.org", display_name=f"Writer {n}")
        services.enrol(other, course)
        services.save_reflection(other, lesson, block_id, f"ANSWER-{n}")
    shown = services.course_reflections(course, course_staff, second_factor_used=True, per_page=2)
    assert shown.current.answers == 4 and shown.answers.paginator.num_pages == 2
    assert len(shown.answers.object_list) == 2
    login_with_second_factor(client, course_staff)
    url = reverse("learning:report_reflections", args=[course.pk])
    first = client.get(url, {"prompt": shown.current.slug, "page": 99}).content.decode()
    assert "4 answers" in first  # 50 a page: a page past the last shows the last
    assert all(f"ANSWER-{n}" in first for n in range(3)) and SECRET in first
