"""The e-mails about quiz attempts are rendered in the language their recipient reads: the
learner's own for a grant or a reset, each staff member's own for a request (one message per
language), the site's default for someone with none (or an institution's contact address) —
never the language of whoever's request or task happened to send them."""

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from learning import services
from learning.services import attempt_emails
from tests.learning.conftest import quiz_block, quiz_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered_in(monkeypatch):
    """The language active each time an e-mail template is rendered, by template name."""
    seen: list[tuple[str, str]] = []
    real = attempt_emails.render_to_string

    def spy(name, context=None, *args, **kwargs):
        seen.append((name, translation.get_language()))
        return real(name, context, *args, **kwargs)

    monkeypatch.setattr(attempt_emails, "render_to_string", spy)
    return seen


def _grant(course, course_staff, locked_out):
    lesson = quiz_lesson(course)
    return services.grant_one_more_attempt(
        course_staff, locked_out, lesson, quiz_block(lesson).id, second_factor_used=True
    )


def _ask(enrolled, course):
    lesson = quiz_lesson(course)
    return services.request_another_attempt(enrolled, lesson, quiz_block(lesson).id)


def test_a_grant_is_rendered_in_the_learners_language(
    enrolled, course, course_staff, locked_out, rendered_in
):
    enrolled.language = "fr"
    enrolled.save(update_fields=["language"])
    change = _grant(course, course_staff, locked_out)
    with translation.override("de"):  # the staff member's request, or a worker, was German
        assert attempt_emails.send_attempt_granted_email(change.pk) is True
    assert len(rendered_in) == 3  # subject, text, HTML
    assert {language for _, language in rendered_in} == {"fr"}
    assert translation.get_language() != "fr"  # put back afterwards


def test_a_grant_to_a_learner_without_a_language_is_in_the_default(
    enrolled, course, course_staff, locked_out, rendered_in
):
    enrolled.language = ""
    enrolled.save(update_fields=["language"])
    change = _grant(course, course_staff, locked_out)
    with translation.override("de"):
        assert attempt_emails.send_attempt_granted_email(change.pk) is True
    assert rendered_in and {language for _, language in rendered_in} == {settings.LANGUAGE_CODE}


def test_a_request_is_rendered_in_each_staff_members_language(
    enrolled, course, course_staff, course_issuer, make_user, locked_out, rendered_in
):
    course_staff.language = "nl"
    course_staff.save(update_fields=["language"])
    colleague = make_user("colleague@northbridge-test.example", language="pl")
    course_issuer.staff.add(colleague)
    change = _ask(enrolled, course)
    with translation.override("de"):  # the learner asked in German
        assert attempt_emails.send_attempt_request_email(change.pk) is True
    by_language = {language for _, language in rendered_in}
    assert by_language == {"nl", "pl"} and len(rendered_in) == 6
    bcc = sorted(tuple(message.bcc) for message in mail.outbox)
    assert bcc == [(colleague.email,), (course_staff.email,)]


def test_a_request_to_staff_without_a_language_is_in_the_default(
    enrolled, course, course_staff, locked_out, rendered_in
):
    course_staff.language = ""
    course_staff.save(update_fields=["language"])
    change = _ask(enrolled, course)
    with translation.override("de"):
        assert attempt_emails.send_attempt_request_email(change.pk) is True
    assert rendered_in and {language for _, language in rendered_in} == {settings.LANGUAGE_CODE}
    assert [message.bcc for message in mail.outbox] == [[course_staff.email]]
