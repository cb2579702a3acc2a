"""The e-mails about quiz attempts: the course team hears that a learner asks for another attempt,
and the learner hears that they were given one (a grant or a reset), with a link to the quiz.

``attempts`` sends ``signals.attempt_requested`` / ``attempt_granted`` once a change commits;
``receivers`` enqueue a task that calls one of these. Each change is e-mailed once: its
``notified_at`` is claimed before the mail server is asked, and released again if the server
refuses, so a retried or doubled task sends one e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from learning.lists import either
from learning.models import CoursePage, QuizAttemptChange
from learning.services.access import course_team
from learning.services.attempts import allowance_for, open_request_changes
from learning.services.structure import course_of, find_block
from lib.i18n import in_language_of, language_of

log = logging.getLogger(__name__)


def course_team_addresses(course: CoursePage) -> list[str]:
    """Where a request about the course goes: its institutions' staff, else (an institution
    without staff accounts yet) the institutions' contact addresses."""
    team = course_team(course)
    staff = (
        get_user_model()
        .objects.filter(is_active=True, issuers__in=team)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(staff)) or sorted({issuer.email for issuer in team if issuer.email})


def course_team_by_language(course: CoursePage) -> dict[str, list[str]]:
    """``course_team_addresses`` grouped by the language each reads: a staff member's own
    language; an institution's contact address (no account) the site's default."""
    team = course_team(course)
    staff = (
        get_user_model()
        .objects.filter(is_active=True, issuers__in=team)
        .exclude(email="")
        .distinct()
    )
    grouped: dict[str, set[str]] = {}
    for person in staff:
        grouped.setdefault(language_of(person), set()).add(person.email)
    if not grouped:
        contacts = {issuer.email for issuer in team if issuer.email}
        if contacts:
            grouped[language_of(None)] = contacts
    return {language: sorted(addresses) for language, addresses in sorted(grouped.items())}


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def _change(change_id: int) -> QuizAttemptChange | None:
    return (
        QuizAttemptChange.objects.select_related("enrolment__user", "lesson")
        .filter(pk=change_id)
        .first()
    )


def _context(change: QuizAttemptChange) -> dict:
    lesson = change.lesson
    course = course_of(lesson)
    quiz = find_block(lesson, change.quiz_id, "quiz")
    return {
        "change": change,
        "learner": change.enrolment.user,
        "course": course,
        "lesson": lesson,
        "quiz_title": quiz.value["title"] if quiz is not None else lesson.title,
        "team": list(course_team(course)),
        "quiz_url": _absolute(f"{lesson.get_url() or ''}#quiz-{change.quiz_id}"),
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }


def _message(name: str, context: dict, **addressing) -> EmailMultiAlternatives:
    """The e-mail ``name`` rendered in the active language (the caller picks the recipient's)."""
    context = {**context, "team_names": either([issuer.name for issuer in context["team"]])}
    subject = " ".join(render_to_string(f"learning/email/{name}_subject.txt", context).split())
    text = render_to_string(f"learning/email/{name}.txt", context)
    message = EmailMultiAlternatives(subject, text, **addressing)
    html = render_to_string(f"learning/email/{name}.html", context)
    message.attach_alternative(html, "text/html")
    return message


def _send_once(
    change: QuizAttemptChange, build: Callable[[], list[EmailMultiAlternatives]]
) -> bool:
    claimed_at = timezone.now()
    if not QuizAttemptChange.objects.filter(pk=change.pk, notified_at=None).update(
        notified_at=claimed_at
    ):
        return False  # already sent, or being sent by another worker
    try:
        for message in build():
            message.send()
    except BaseException:
        QuizAttemptChange.objects.filter(pk=change.pk, notified_at=claimed_at).update(
            notified_at=None
        )
        raise
    log.info("E-mail sent for quiz attempt change %s (%s)", change.pk, change.kind)
    return True


def send_attempt_request_email(change_id: int) -> bool:
    """Tell the course team that a learner asks for another attempt, once per request; nothing
    if the request was answered meanwhile or nobody can be written to. Whether it was sent."""
    change = _change(change_id)
    if change is None or change.kind != QuizAttemptChange.Kind.REQUESTED:
        return False
    if not open_request_changes(pk=change.pk).exists():
        return False  # granted or reset before the e-mail went out: nothing to ask any more
    context = _context(change)
    course, learner = context["course"], context["learner"]
    by_language = course_team_by_language(course)
    if not by_language:
        log.warning("Nobody to tell about the attempt request %s", change.pk)
        return False
    context["learner_url"] = _absolute(
        reverse("learning:report_learner", args=[course.pk, change.enrolment_id])
    )

    def build() -> list[EmailMultiAlternatives]:
        # Bcc: the course team may span institutions; nobody sees another's address. One
        # message per language its members read, each rendered in that language.
        reply_to = [learner.email] if learner.email else []
        messages = []
        for language, addresses in by_language.items():
            with translation.override(language):
                messages.append(
                    _message("attempt_requested", context, bcc=addresses, reply_to=reply_to)
                )
        return messages

    return _send_once(change, build)


def send_attempt_granted_email(change_id: int) -> bool:
    """Tell the learner that the course team gave them another attempt (or all of them again),
    with a link back to the quiz; once per grant or reset. Whether it was sent."""
    change = _change(change_id)
    if change is None or change.kind == QuizAttemptChange.Kind.REQUESTED:
        return False
    learner = change.enrolment.user
    if not learner.email or not learner.is_active:
        return False
    context = _context(change)
    standing = allowance_for(change.enrolment, context["lesson"], change.quiz_id)
    context["left"] = standing.left
    contacts = [issuer.email for issuer in context["team"] if issuer.email]

    def build() -> list[EmailMultiAlternatives]:
        with in_language_of(learner):
            return [_message("attempt_granted", context, to=[learner.email], reply_to=contacts)]

    return _send_once(change, build)
