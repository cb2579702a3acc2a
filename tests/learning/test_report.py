"""The course report: for staff of co-creating institutions and editors, nobody else."""

import csv
import io
import re

import pytest
from django.urls import reverse

from learning import services
from learning.models import LessonPage
from tests.credentials.second_factor_support import login_with_second_factor
from tests.learning.conftest import answers, finish, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db


def report_url(course):
    return f"/learning/reports/{course.pk}/"


@pytest.fixture
def cohort(enrolled, course, make_user, django_capture_on_commit_callbacks):
    """Lena completes; Mia fails the quiz once and does one lesson; Noor only enrols."""
    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    mia = make_user("mia@example.org", display_name='=HYPERLINK("evil")')
    services.enrol(mia, course)
    lesson = quiz_lesson(course)
    services.submit_quiz(mia, lesson, quiz_block(lesson).id, answers(lesson, False), token(5))
    services.mark_lesson_done(mia, LessonPage.objects.child_of(course).first())
    noor = make_user("noor@example.org", display_name="Noor")
    services.enrol(noor, course)
    return enrolled, mia, noor


def test_staff_of_a_co_creating_institution_see_the_report(client, course_staff, course, cohort):
    login_with_second_factor(client, course_staff)
    response = client.get(report_url(course))
    assert response.status_code == 200 and "lena@example.org" in response.content.decode()


def test_staff_see_the_report_only_after_their_second_factor(client, course_staff, course):
    client.force_login(course_staff)  # password only
    response = client.get(reverse("learning:report", args=[course.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("credentials_manage:second_factor"))


def test_staff_of_another_institution_are_refused(client, elsewhere_staff, course):
    login_with_second_factor(client, elsewhere_staff)
    assert client.get(report_url(course)).status_code == 403


def test_learners_are_refused(client, enrolled, course):
    client.force_login(enrolled)
    assert client.get(report_url(course)).status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client, course):
    response = client.get(report_url(course))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_editors_see_the_report(client, editor, course):
    client.force_login(editor)
    assert client.get(report_url(course)).status_code == 200


def test_superusers_see_the_report(client, superuser, course):
    login_with_second_factor(client, superuser)
    assert client.get(report_url(course)).status_code == 200


def test_an_unknown_course_is_not_found(client, superuser):
    login_with_second_factor(client, superuser)
    assert client.get("/learning/reports/999999/").status_code == 404


def test_the_funnel_counts_each_stage(course_staff, course, cohort):
    report = services.course_report(course, course_staff)
    assert [(stage.label, stage.count) for stage in report.funnel] == [
        ("Enrolled", 3),
        ("Started a lesson or quiz", 2),
        ("Halfway or further", 1),
        ("Every lesson done", 1),
        ("Completed the course", 1),
    ]


def test_the_score_distribution_uses_each_learners_best_score(course_staff, course, cohort):
    (quiz,) = services.course_report(course, course_staff).quizzes
    assert quiz.bins[0] == 1 and quiz.bins[9] == 1 and quiz.learners == 2 and quiz.passed == 1


def test_the_report_draws_the_score_chart_as_inline_svg(client, course_staff, course, cohort):
    login_with_second_factor(client, course_staff)
    html = client.get(report_url(course)).content.decode()
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert "2 learners took this quiz; 1 reached the pass mark of 100%" in html


def test_the_report_needs_no_javascript_of_its_own_or_cdn(client, course_staff, course, cohort):
    login_with_second_factor(client, course_staff)
    html = client.get(report_url(course)).content.decode()
    # Only the site-wide scripts every page loads (the scripts' translations, the folding
    # menu, tables on a phone), from our own site: the charts and tables are drawn on the server.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 2
    assert re.search(r'src="/jsi18n/en/"', scripts[0])
    assert re.search(r'src="/static/js/page(\.[0-9a-f]+)?\.js"', scripts[1])
    # Nothing loaded from another origin (a random token may well contain "cdn"); the page's
    # addresses in other languages (<link rel="alternate" hreflang>) are links, not loads.
    loaded = re.sub(r'<link rel="alternate" hreflang="[^"]*" href="[^"]*">', "", html)
    assert re.findall(r'(?:src|href)="(?:https?:)?//', loaded) == []


def test_the_csv_has_one_row_per_learner(client, course_staff, course, cohort):
    login_with_second_factor(client, course_staff)
    response = client.get(f"/learning/reports/{course.pk}/learners.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "E-mail", "Status"]
    assert sorted(row[1] for row in rows[1:]) == [
        "lena@example.org",
        "mia@example.org",
        "noor@example.org",
    ]


def test_the_csv_defuses_spreadsheet_formulas(client, course_staff, course, cohort):
    login_with_second_factor(client, course_staff)
    body = client.get(f"/learning/reports/{course.pk}/learners.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_staff_of_another_institution_cannot_download_the_csv(client, elsewhere_staff, course):
    login_with_second_factor(client, elsewhere_staff)
    assert client.get(f"/learning/reports/{course.pk}/learners.csv").status_code == 403


def test_the_report_list_shows_only_the_staffs_own_courses(
    client, course_staff, course, other_course
):
    login_with_second_factor(client, course_staff)
    html = client.get("/learning/reports/").content.decode()
    assert "Opportunities" in html and "Teamwork" not in html


def test_learners_have_no_report_list(client, learner, course):
    client.force_login(learner)
    assert client.get("/learning/reports/").status_code == 403


def test_retrying_awards_needs_report_access(client, elsewhere_staff, course):
    login_with_second_factor(client, elsewhere_staff)
    response = client.post(f"/learning/reports/{course.pk}/retry-awards/")
    assert response.status_code == 403


def test_retrying_awards_is_a_post(client, course_staff, course):
    login_with_second_factor(client, course_staff)
    assert client.get(f"/learning/reports/{course.pk}/retry-awards/").status_code == 405
