"""Learners' own work — their reflections, one learner's attempts, granting or resetting them — is
for the course team only: the staff of the course's institutions (and superusers), after a
second factor in this session. A Wagtail editor of the catalogue sees the course report, not
learners' work."""

import csv
import io

import pytest
from django.urls import reverse

from cms import roles
from learning import services
from learning.models import LessonPage, QuizAttemptChange
from tests.credentials.second_factor_support import login_with_second_factor
from tests.learning.conftest import answers, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db

PRIVATE = "PRIVATE-REFLECTION only for the team"


@pytest.fixture
def lena_reflected(enrolled, course):
    """Lena answered the reflection prompt and used both attempts at the quiz; her enrolment."""
    lesson = LessonPage.objects.child_of(course).get(slug__endswith="-reflect")
    services.save_reflection(enrolled, lesson, lesson.reflection_blocks()[0].id, PRIVATE)
    quiz = quiz_lesson(course)
    for n in (1, 2):
        services.submit_quiz(enrolled, quiz, quiz_block(quiz).id, answers(quiz, False), token(n))
    return services.enrolment_of(enrolled, course)


@pytest.fixture
def other_editor(make_user, catalogue, elsewhere):
    """Eve edits the catalogue's pages (the Editors group) and is staff of another institution."""
    user = make_user("eve@elsewhere-test.example", roles.EDITORS, is_staff=True)
    elsewhere.staff.add(user)
    return user


def work_urls(course, enrolment):
    lesson = quiz_lesson(course)
    grant = {"lesson": lesson.pk, "quiz": quiz_block(lesson).id, "change": "one_more"}
    return [
        (reverse("learning:report_learner", args=[course.pk, enrolment.pk]), {}),
        (reverse("learning:report_reflections", args=[course.pk]), {}),
        (reverse("learning:report_attempts", args=[course.pk, enrolment.pk]), grant),
    ]


def csv_rows(client, course):
    response = client.get(reverse("learning:report_csv", args=[course.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("who", ["editor", "other_editor"])
def test_a_catalogue_editor_sees_the_report_but_not_learners_work(
    request, client, who, course, lena_reflected
):
    person = request.getfixturevalue(who)
    login_with_second_factor(client, person)
    report = client.get(reverse("learning:report", args=[course.pk]))
    assert report.status_code == 200
    html = report.content.decode()
    assert reverse("learning:report_reflections", args=[course.pk]) not in html
    assert reverse("learning:report_learner", args=[course.pk, lena_reflected.pk]) not in html
    for url, params in work_urls(course, lena_reflected):
        response = client.get(url, params)
        assert response.status_code == 403 and PRIVATE not in response.content.decode()
        assert course.title not in response.content.decode()
    grant_url, grant = work_urls(course, lena_reflected)[2]
    response = client.post(grant_url, grant)
    assert response.status_code == 403 and not QuizAttemptChange.objects.exists()
    rows = csv_rows(client, course)  # the report's CSV, without the reflection columns
    assert not any(header.startswith("Reflection:") for header in rows[0])
    assert PRIVATE not in str(rows)


def test_an_editor_cannot_grant_attempts_through_the_service(editor, course, lena_reflected):
    lesson = quiz_lesson(course)
    with pytest.raises(PermissionError):
        services.grant_one_more_attempt(
            editor, lena_reflected, lesson, quiz_block(lesson).id, second_factor_used=True
        )
    with pytest.raises(PermissionError):
        services.reflections_by_learner(course, editor, second_factor_used=True)


def test_course_staff_without_a_second_factor_are_sent_to_set_one_up(
    client, course_staff, course, lena_reflected
):
    client.force_login(course_staff)  # a password only
    for url, params in work_urls(course, lena_reflected):
        response = client.get(url, params)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("credentials_manage:second_factor"))
    lesson = quiz_lesson(course)
    with pytest.raises(PermissionError):  # the service asks for the second factor too
        services.reset_attempts(course_staff, lena_reflected, lesson, quiz_block(lesson).id)


def test_course_staff_with_a_second_factor_see_learners_work(
    client, course_staff, course, lena_reflected
):
    login_with_second_factor(client, course_staff)
    for url, params in work_urls(course, lena_reflected)[:2]:
        response = client.get(url, params)
        assert response.status_code == 200 and PRIVATE in response.content.decode()
    rows = csv_rows(client, course)
    assert PRIVATE in [cell for row in rows[1:] for cell in row]


def test_a_partner_institutions_staff_are_course_team(
    client, make_user, partner, course, lena_reflected
):
    person = make_user("staff@helix-test.example", roles.ISSUER_STAFF)
    partner.staff.add(person)
    login_with_second_factor(client, person)
    url = reverse("learning:report_reflections", args=[course.pk])
    assert PRIVATE in client.get(url).content.decode()


def test_a_superuser_needs_a_second_factor_too(client, superuser, course, lena_reflected):
    client.force_login(superuser)
    response = client.get(reverse("learning:report_reflections", args=[course.pk]))
    assert response.status_code == 302 and PRIVATE not in response.content.decode()
    login_with_second_factor(client, superuser)
    response = client.get(reverse("learning:report_reflections", args=[course.pk]))
    assert PRIVATE in response.content.decode()


def test_the_reflection_box_names_the_course_team(client, enrolled, course, course_issuer, partner):
    client.force_login(enrolled)
    lesson = LessonPage.objects.child_of(course).get(slug__endswith="-reflect")
    html = client.get(lesson.url).content.decode()
    assert (
        f"only you and your course team see it: the staff of {partner.name} and "
        f"{course_issuer.name}"
        in html
        or f"only you and your course team see it: the staff of {course_issuer.name} and "
        f"{partner.name}"
        in html
    )
