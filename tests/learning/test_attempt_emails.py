"""Asking for another attempt e-mails the course team (once per open request), and a grant or a
reset e-mails the learner with a link back to the quiz — on commit, through signal, receiver
and task. The learner is told "sent" only when someone is e-mailed."""

import pytest
from django.core import mail
from django.urls import reverse

from learning import services
from learning.models import QuizAttemptChange
from tests.learning.conftest import answers, build_course, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db


def ask(client, learner, course):
    lesson = quiz_lesson(course)
    client.force_login(learner)
    return client.post(lesson.url, {"action": "ask_attempt", "quiz": quiz_block(lesson).id})


def test_asking_twice_e_mails_the_course_team_once(
    client,
    enrolled,
    course,
    course_staff,
    elsewhere_staff,
    locked_out,
    django_capture_on_commit_callbacks,
):
    for _ in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(client, enrolled, course)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.recipients() == [course_staff.email]  # not another institution's staff
    assert enrolled.email not in message.to and message.reply_to == [enrolled.email]
    assert "Final quiz" in message.subject
    learner_url = reverse("learning:report_learner", args=[course.pk, locked_out.pk])
    assert learner_url in message.body
    html = client.get(response.url).content.decode()
    assert "Your request is sent to the course team" in html


def test_a_retried_task_sends_nothing_twice(enrolled, course, course_staff, locked_out):
    lesson = quiz_lesson(course)
    change = services.request_another_attempt(enrolled, lesson, quiz_block(lesson).id)
    assert services.send_attempt_request_email(change.pk) is True
    assert services.send_attempt_request_email(change.pk) is False
    assert len(mail.outbox) == 1 and QuizAttemptChange.objects.get().notified_at is not None


def test_a_refused_e_mail_is_sent_by_the_retry(
    enrolled, course, course_staff, locked_out, monkeypatch
):
    lesson = quiz_lesson(course)
    change = services.request_another_attempt(enrolled, lesson, quiz_block(lesson).id)

    def down(*args, **kwargs):
        raise OSError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", down)
        with pytest.raises(OSError):
            services.send_attempt_request_email(change.pk)
    assert QuizAttemptChange.objects.get().notified_at is None
    assert services.send_attempt_request_email(change.pk) is True


def test_a_grant_e_mails_the_learner_a_link_to_the_quiz(
    enrolled, course, course_staff, locked_out, django_capture_on_commit_callbacks
):
    lesson = quiz_lesson(course)
    quiz_id = quiz_block(lesson).id
    with django_capture_on_commit_callbacks(execute=True):
        services.grant_one_more_attempt(
            course_staff, locked_out, lesson, quiz_id, second_factor_used=True
        )
    with django_capture_on_commit_callbacks(execute=True):  # a second click changes nothing
        services.grant_one_more_attempt(
            course_staff, locked_out, lesson, quiz_id, second_factor_used=True
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [enrolled.email]
    assert f"{lesson.url}#quiz-{quiz_id}" in message.body and "1 attempt now" in message.body


def test_a_reset_e_mails_the_learner(
    enrolled, course, course_staff, locked_out, django_capture_on_commit_callbacks
):
    lesson = quiz_lesson(course)
    with django_capture_on_commit_callbacks(execute=True):
        services.reset_attempts(
            course_staff, locked_out, lesson, quiz_block(lesson).id, second_factor_used=True
        )
    assert [message.to for message in mail.outbox] == [[enrolled.email]]
    assert "reset your attempts" in mail.outbox[0].body


def test_a_request_answered_before_its_e_mail_goes_out_is_not_sent(
    enrolled, course, course_staff, locked_out
):
    lesson = quiz_lesson(course)
    quiz_id = quiz_block(lesson).id
    change = services.request_another_attempt(enrolled, lesson, quiz_id)
    services.grant_one_more_attempt(
        course_staff, locked_out, lesson, quiz_id, second_factor_used=True
    )
    assert services.send_attempt_request_email(change.pk) is False


def test_with_nobody_to_write_to_the_learner_is_not_told_sent(
    client, catalogue, make_user, django_capture_on_commit_callbacks
):
    lonely = build_course(catalogue, "lonely")  # no institution: no course team
    learner = make_user("nina@example.org", display_name="Nina")
    services.enrol(learner, lonely)
    lesson = quiz_lesson(lonely)
    for n in (1, 2):
        services.submit_quiz(
            learner, lesson, quiz_block(lesson).id, answers(lesson, False), token(n)
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, learner, lonely)
    html = client.get(response.url).content.decode()
    assert "Your request is recorded" in html and "is sent" not in html
    assert mail.outbox == []
