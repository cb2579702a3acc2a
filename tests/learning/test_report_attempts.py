"""Course staff give a learner one more quiz attempt or reset their attempts, from the course
report: confirmed first, recorded with who and when, and a repeated click changes nothing more."""

import pytest
from django.urls import reverse

from learning import services
from learning.models import QuizAttempt, QuizAttemptChange
from tests.credentials.second_factor_support import login_with_second_factor
from tests.learning.conftest import answers, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db


def attempts_url(course, enrolment):
    return reverse("learning:report_attempts", args=[course.pk, enrolment.pk])


def change_params(course, change):
    lesson = quiz_lesson(course)
    return {"lesson": lesson.pk, "quiz": quiz_block(lesson).id, "change": change}


def test_staff_confirm_then_grant_one_more_attempt_and_a_second_click_gives_no_more(
    client, course_staff, course, locked_out
):
    login_with_second_factor(client, course_staff)
    learner_page = client.get(reverse("learning:report_learner", args=[course.pk, locked_out.pk]))
    assert "Grant one more attempt" in learner_page.content.decode()
    confirm = client.get(attempts_url(course, locked_out), change_params(course, "one_more"))
    assert confirm.status_code == 200 and "Grant one more attempt?" in confirm.content.decode()
    assert not QuizAttemptChange.objects.exists()  # the confirmation page changes nothing
    for _ in (1, 2):
        client.post(attempts_url(course, locked_out), change_params(course, "one_more"))
    grant = QuizAttemptChange.objects.get()
    assert (grant.kind, grant.by, grant.after_attempt) == ("one_more", course_staff, 2)
    lesson = quiz_lesson(course)
    standing = services.allowance_for(locked_out, lesson, quiz_block(lesson).id)
    assert (standing.allowed, standing.left) == (3, 1)


def test_after_a_grant_the_learner_answers_again_as_attempt_3(
    course_staff, enrolled, course, locked_out
):
    lesson, quiz_id = quiz_lesson(course), quiz_block(quiz_lesson(course)).id
    services.grant_one_more_attempt(
        course_staff, locked_out, lesson, quiz_id, second_factor_used=True
    )
    attempt = services.submit_quiz(enrolled, lesson, quiz_id, answers(lesson), token(3))
    assert attempt.passed and attempt.number == 3
    with pytest.raises(services.LearningError, match="already passed"):
        services.grant_one_more_attempt(
            course_staff, locked_out, lesson, quiz_id, second_factor_used=True
        )


def test_a_reset_gives_every_attempt_again_and_numbers_go_on(
    course_staff, enrolled, course, locked_out
):
    lesson, quiz_id = quiz_lesson(course), quiz_block(quiz_lesson(course)).id
    assert (
        services.reset_attempts(course_staff, locked_out, lesson, quiz_id, second_factor_used=True)
        is not None
    )
    assert (
        services.reset_attempts(course_staff, locked_out, lesson, quiz_id, second_factor_used=True)
        is None
    )  # again
    services.submit_quiz(enrolled, lesson, quiz_id, answers(lesson, False), token(3))
    standing = services.allowance_for(locked_out, lesson, quiz_id)
    assert (standing.made, standing.counted, standing.left) == (3, 1, 1)
    services.submit_quiz(enrolled, lesson, quiz_id, answers(lesson), token(4))
    assert QuizAttempt.objects.filter(passed=True).get().number == 4
    narratives = [item.narrative for item in services.award_evidence(locked_out)]
    assert any("on attempt 4," in text for text in narratives), narratives


def test_granting_answers_the_learners_request_in_the_report(
    client, course_staff, enrolled, course, locked_out
):
    lesson, quiz_id = quiz_lesson(course), quiz_block(quiz_lesson(course)).id
    services.request_another_attempt(enrolled, lesson, quiz_id)
    login_with_second_factor(client, course_staff)
    report = client.get(reverse("learning:report", args=[course.pk])).content.decode()
    assert "1 learner asked for another quiz attempt" in report
    listing = client.get(reverse("learning:reports")).content.decode()
    assert "Learners asking for another quiz attempt" in listing
    services.grant_one_more_attempt(
        course_staff, locked_out, lesson, quiz_id, second_factor_used=True
    )
    report = client.get(reverse("learning:report", args=[course.pk])).content.decode()
    assert "asked for another quiz attempt" not in report


def test_a_learner_cannot_grant_themselves_an_attempt(client, enrolled, course, locked_out):
    lesson, quiz_id = quiz_lesson(course), quiz_block(quiz_lesson(course)).id
    with pytest.raises(PermissionError):
        services.grant_one_more_attempt(enrolled, locked_out, lesson, quiz_id)
    client.force_login(enrolled)
    response = client.post(attempts_url(course, locked_out), change_params(course, "one_more"))
    assert response.status_code == 403 and not QuizAttemptChange.objects.exists()


def test_staff_of_another_institution_cannot_grant_or_reset(
    client, elsewhere_staff, course, locked_out
):
    lesson, quiz_id = quiz_lesson(course), quiz_block(quiz_lesson(course)).id
    with pytest.raises(PermissionError):
        services.reset_attempts(elsewhere_staff, locked_out, lesson, quiz_id)
    login_with_second_factor(client, elsewhere_staff)
    for change in ("one_more", "reset"):
        response = client.post(attempts_url(course, locked_out), change_params(course, change))
        assert response.status_code == 403
    assert (
        client.get(attempts_url(course, locked_out), change_params(course, "reset")).status_code
        == 403
    )
    assert not QuizAttemptChange.objects.exists()


def test_staff_of_another_institution_are_not_told_of_requests(
    client, elsewhere_staff, other_course, enrolled, course, locked_out
):
    lesson = quiz_lesson(course)
    services.request_another_attempt(enrolled, lesson, quiz_block(lesson).id)
    login_with_second_factor(client, elsewhere_staff)
    listing = client.get(reverse("learning:reports")).content.decode()
    assert "Learners asking for another quiz attempt" not in listing


def test_an_unknown_quiz_or_change_is_refused_without_a_change(
    client, course_staff, course, locked_out
):
    login_with_second_factor(client, course_staff)
    for params in (
        change_params(course, "ten_more"),
        change_params(course, "one_more") | {"quiz": "forged"},
    ):
        response = client.post(attempts_url(course, locked_out), params)
        assert response.status_code == 302
    assert not QuizAttemptChange.objects.exists()


def test_a_learner_of_another_course_is_not_found_through_this_course(
    client, course_staff, course, olaf, other_course
):
    login_with_second_factor(client, course_staff)
    enrolment = services.enrolment_of(olaf, other_course)
    url = reverse("learning:report_learner", args=[course.pk, enrolment.pk])
    assert client.get(url).status_code == 404


def test_waiting_learners_are_counted_in_one_grouped_query(
    make_user, enrolled, course, locked_out, django_assert_num_queries, monkeypatch
):
    lesson, quiz_id = quiz_lesson(course), quiz_block(quiz_lesson(course)).id
    services.request_another_attempt(enrolled, lesson, quiz_id)
    other = make_user("omar@example.org", display_name="Omar")
    services.enrol(other, course)
    for n in (1, 2):
        services.submit_quiz(other, lesson, quiz_id, answers(lesson, False), token(10 + n))
    services.request_another_attempt(other, lesson, quiz_id)
    loaded = []
    monkeypatch.setattr(QuizAttemptChange, "from_db", classmethod(lambda *a: loaded.append(a)))
    with django_assert_num_queries(1):
        assert services.open_request_counts([course]) == {course.pk: 2}
    assert loaded == []  # counted by the database, not by reading every change
