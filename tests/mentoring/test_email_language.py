"""Every mentoring e-mail and calendar file is rendered in its recipient's language: a French
learner and a German mentor of one session each read their own, whoever's request or task sent
it. A spy records ``translation.get_language()`` while each template and each .ics is made."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import translation

from mentoring import calendar as mentoring_calendar
from mentoring import notifications, services
from mentoring.services import feeds
from tests.mentoring.conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_learner(mentee):
    mentee.language = "fr"
    mentee.save(update_fields=["language"])
    return mentee


@pytest.fixture
def german_mentor(mentor):
    mentor.user.language = "de"
    mentor.user.save(update_fields=["language"])
    return mentor


@pytest.fixture
def spy(monkeypatch):
    """Records (what, language active at that moment) for e-mail templates and .ics events."""
    seen: list[tuple[str, str]] = []
    render = notifications.render_to_string
    event = mentoring_calendar.session_event

    def spied_render(template_name, context=None, *args, **kwargs):
        seen.append((template_name, translation.get_language()))
        return render(template_name, context, *args, **kwargs)

    def spied_event(session, **kwargs):
        seen.append(("ics", translation.get_language()))
        return event(session, **kwargs)

    monkeypatch.setattr(notifications, "render_to_string", spied_render)
    monkeypatch.setattr(mentoring_calendar, "session_event", spied_event)
    return seen


def languages_by_recipient(seen, messages, per_message):
    """Split the spy's records into one group per message sent (in order): {email: languages}."""
    assert len(seen) == per_message * len(messages)
    return {
        message.to[0]: {language for _, language in seen[i * per_message : (i + 1) * per_message]}
        for i, message in enumerate(messages)
    }


def book(mentor, learner, moment, capture, **extra):
    with capture(execute=True):
        return services.book(mentor, learner, moment, goal="Plan a pilot", now=NOW, **extra)


def test_each_side_of_a_booking_gets_its_invitation_and_ics_in_its_own_language(
    german_mentor, french_learner, monday, spy, django_capture_on_commit_callbacks
):
    with translation.override("en"):  # the language of whoever booked does not matter
        book(german_mentor, french_learner, at(monday, 10), django_capture_on_commit_callbacks)
    # per recipient: the .ics event, the subject, the body
    by_recipient = languages_by_recipient(spy, mail.outbox, 3)
    assert by_recipient == {french_learner.email: {"fr"}, german_mentor.user.email: {"de"}}
    assert [name for name, _ in spy[:3]] == [
        "ics",
        "mentoring/email/invitation_subject.txt",
        "mentoring/email/invitation.txt",
    ]


def test_the_dates_in_each_invitation_are_in_the_recipients_language_and_time_zone(
    german_mentor, french_learner, monday, django_capture_on_commit_callbacks
):
    book(german_mentor, french_learner, at(monday, 10), django_capture_on_commit_callbacks)
    body = {m.to[0]: m.body for m in mail.outbox}
    assert "Montag 9 März 2026, 10:00 (Europe/Berlin)" in body[german_mentor.user.email]
    assert "lundi 9 mars 2026, 05:00 (America/New_York)" in body[french_learner.email]


def test_reschedule_and_cancellation_go_out_in_each_recipients_language(
    german_mentor, french_learner, monday, spy, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    session = book(german_mentor, french_learner, at(monday, 10), capture)
    for change in (
        lambda: services.reschedule(session, at(monday, 14), by=french_learner, now=NOW),
        lambda: services.cancel(session, by=german_mentor.user, reason="Ill", now=NOW),
    ):
        mail.outbox.clear()
        spy.clear()
        with translation.override("en"), capture(execute=True):
            change()
            session.refresh_from_db()
        by_recipient = languages_by_recipient(spy, mail.outbox, 3)
        assert by_recipient == {french_learner.email: {"fr"}, german_mentor.user.email: {"de"}}


def test_reminders_are_rendered_in_each_recipients_language(german_mentor, french_learner, booked,
                                                            spy):  # fmt: skip
    mail.outbox.clear()
    spy.clear()
    notifications.send_due_reminders(now=booked.starts_at - timedelta(hours=23))
    by_recipient = languages_by_recipient(spy, mail.outbox, 2)
    assert by_recipient == {french_learner.email: {"fr"}, german_mentor.user.email: {"de"}}
    body = {m.to[0]: m.body for m in mail.outbox}
    assert "Montag 9 März 2026, 10:00 (Europe/Berlin)" in body[german_mentor.user.email]
    assert "lundi 9 mars 2026, 05:00 (America/New_York)" in body[french_learner.email]


def test_the_feedback_request_is_rendered_in_the_learners_language(german_mentor, french_learner,
                                                                   booked, spy):  # fmt: skip
    services.mark_completed(
        booked, by=german_mentor.user, now=booked.starts_at + timedelta(minutes=30)
    )
    mail.outbox.clear()
    spy.clear()
    assert notifications.send_feedback_request(booked.pk, now=booked.ends_at + timedelta(hours=1))
    assert [m.to[0] for m in mail.outbox] == [french_learner.email]
    assert {language for _, language in spy} == {"fr"}
    assert "lundi 9 mars 2026" in mail.outbox[0].body


def test_the_calendar_feed_is_in_its_owners_language(german_mentor, french_learner, booked, spy):
    for person, language in ((french_learner, "fr"), (german_mentor.user, "de")):
        spy.clear()
        token = feeds.feed_for(person).token
        with translation.override("en"):
            assert feeds.feed_ics(token, now=NOW)
        assert {lang for _, lang in spy} == {language}
