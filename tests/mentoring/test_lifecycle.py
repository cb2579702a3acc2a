"""The session state machine: confirm, reschedule, cancel, complete, no-show, notes, feedback."""

from datetime import timedelta

import pytest

from mentoring import services, slots
from mentoring.models import MentorSession, SessionReminder
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db
Status = MentorSession.Status


def test_rescheduling_keeps_the_same_session_and_raises_the_sequence(booked, mentee, monday):
    moved = services.reschedule(booked, at(monday, 14), by=mentee, now=NOW)
    assert moved.pk == booked.pk and moved.uid == booked.uid
    assert moved.starts_at == at(monday, 14) and moved.ends_at == at(monday, 15)
    assert moved.sequence == booked.sequence + 1
    assert MentorSession.objects.count() == 1


def test_rescheduling_replaces_the_unsent_reminders(booked, mentee, monday):
    services.reschedule(booked, at(monday, 14), by=mentee, now=NOW)
    due = sorted(booked.reminders.values_list("due_at", flat=True))
    assert due == [at(monday, 14) - timedelta(hours=24), at(monday, 14) - timedelta(hours=1)]


def test_rescheduling_onto_a_taken_time_is_refused_and_changes_nothing(
    booked, mentor, omar, mentee, monday
):
    services.book(mentor, omar, at(monday, 14), now=NOW)
    with pytest.raises(services.BookingError) as error:
        services.reschedule(booked, at(monday, 14), by=mentee, now=NOW)
    assert error.value.reason == slots.MENTOR_BUSY
    booked.refresh_from_db()
    assert booked.starts_at == at(monday, 10) and booked.sequence == 0


def test_rescheduling_into_its_own_old_time_range_is_allowed(booked, mentee, monday):
    """The session does not block itself: 10:00 → 10:30 overlaps the old 10:00–11:00."""
    mentor = booked.mentor
    mentor.slot_step_minutes = 30
    mentor.save()
    moved = services.reschedule(booked, at(monday, 10, 30), by=mentee, now=NOW)
    assert moved.starts_at == at(monday, 10, 30)


def test_a_learner_cannot_reschedule_after_the_cutoff(booked, mentee, monday):
    late = booked.starts_at - timedelta(hours=23)
    with pytest.raises(services.MentoringError, match="24 hours before"):
        services.reschedule(booked, at(monday, 14), by=mentee, now=late)


def test_the_mentor_can_still_move_a_session_inside_the_cutoff(booked, mentor, monday):
    late = booked.starts_at - timedelta(hours=23)
    assert services.reschedule(booked, at(monday, 14), by=mentor.user, now=late).sequence == 1


def test_a_learners_reschedule_needs_confirmation_again_when_the_mentor_confirms(mentee, monday):
    mentor = make_mentor("anouk@uni.example", requires_confirmation=True)
    session = services.book(mentor, mentee, at(monday, 10), now=NOW)
    services.confirm(session, by=mentor.user, now=NOW)
    moved = services.reschedule(session, at(monday, 14), by=mentee, now=NOW)
    assert moved.status == Status.REQUESTED


def test_cancelling_records_who_and_why_and_raises_the_sequence(booked, mentee):
    cancelled = services.cancel(booked, by=mentee, reason="Exam moved", now=NOW)
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancelled_by == mentee and cancelled.cancellation_reason == "Exam moved"
    assert cancelled.sequence == 1


def test_cancelling_drops_the_pending_reminders(booked, mentee):
    services.cancel(booked, by=mentee, reason="Exam moved", now=NOW)
    assert not SessionReminder.objects.filter(handled_at__isnull=True).exists()


def test_cancelling_twice_changes_nothing_the_second_time(booked, mentee):
    services.cancel(booked, by=mentee, reason="Exam moved", now=NOW)
    again = services.cancel(booked, by=mentee, reason="again", now=NOW)
    assert again.sequence == 1 and again.cancellation_reason == "Exam moved"


def test_a_cancelled_time_is_free_again(booked, mentee, omar, mentor, monday):
    services.cancel(booked, by=mentee, reason="Exam moved", now=NOW)
    assert services.book(mentor, omar, at(monday, 10), now=NOW).pk


def test_cancelling_needs_a_reason(booked, mentee):
    with pytest.raises(services.MentoringError, match="why"):
        services.cancel(booked, by=mentee, reason="  ", now=NOW)


def test_a_learner_cannot_cancel_after_the_cutoff(booked, mentee):
    with pytest.raises(services.MentoringError, match="cancelled until"):
        services.cancel(booked, by=mentee, reason="late", now=booked.starts_at - timedelta(hours=2))


def test_the_mentor_confirms_a_request(mentee, monday):
    mentor = make_mentor("anouk@uni.example", requires_confirmation=True)
    session = services.book(mentor, mentee, at(monday, 10), now=NOW)
    confirmed = services.confirm(session, by=mentor.user, now=NOW)
    assert confirmed.status == Status.CONFIRMED and confirmed.sequence == 1


def test_the_learner_cannot_confirm_their_own_request(mentee, monday):
    mentor = make_mentor("anouk@uni.example", requires_confirmation=True)
    session = services.book(mentor, mentee, at(monday, 10), now=NOW)
    with pytest.raises(PermissionError):
        services.confirm(session, by=mentee, now=NOW)


def test_a_session_cannot_be_completed_before_it_starts(booked, mentor):
    with pytest.raises(services.MentoringError, match="not started"):
        services.mark_completed(booked, by=mentor.user, now=NOW)


def test_the_mentor_marks_a_held_session_completed(booked, mentor):
    done = services.mark_completed(booked, by=mentor.user, now=booked.ends_at)
    assert done.status == Status.COMPLETED and done.completed_at == booked.ends_at


def test_the_learner_cannot_mark_a_session_completed(booked, mentee):
    with pytest.raises(PermissionError):
        services.mark_completed(booked, by=mentee, now=booked.ends_at)


def test_the_mentor_reports_a_learner_no_show(booked, mentor):
    result = services.mark_no_show(booked, by=mentor.user, side="learner", now=booked.ends_at)
    assert result.status == Status.NO_SHOW and result.no_show_side == "learner"


def test_the_learner_reports_a_mentor_no_show(booked, mentee):
    result = services.mark_no_show(booked, by=mentee, side="mentor", now=booked.ends_at)
    assert result.no_show_side == "mentor"


def test_nobody_reports_themselves_as_a_no_show(booked, mentee):
    with pytest.raises(services.MentoringError, match="other person"):
        services.mark_no_show(booked, by=mentee, side="learner", now=booked.ends_at)


def test_the_learner_rates_a_completed_session(booked, mentor, mentee):
    services.mark_completed(booked, by=mentor.user, now=booked.ends_at)
    rated = services.leave_feedback(booked, by=mentee, rating=5, feedback="Great", now=NOW)
    assert (rated.rating, rated.feedback) == (5, "Great") and rated.feedback_at


def test_a_session_not_yet_completed_cannot_be_rated(booked, mentee):
    with pytest.raises(services.MentoringError, match="completed"):
        services.leave_feedback(booked, by=mentee, rating=5, feedback="", now=NOW)


def test_the_mentor_cannot_rate_their_own_session(booked, mentor):
    services.mark_completed(booked, by=mentor.user, now=booked.ends_at)
    with pytest.raises(PermissionError):
        services.leave_feedback(booked, by=mentor.user, rating=5, feedback="", now=NOW)


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_refused(booked, mentor, mentee, rating):
    services.mark_completed(booked, by=mentor.user, now=booked.ends_at)
    with pytest.raises(services.MentoringError, match="1 to 5"):
        services.leave_feedback(booked, by=mentee, rating=rating, feedback="", now=NOW)


def test_the_learner_sees_shared_notes_only(booked, mentor, mentee):
    services.add_note(booked, by=mentor.user, body="Shared plan", shared=True)
    services.add_note(booked, by=mentor.user, body="Private worry", shared=False)
    assert [n.body for n in services.notes_for(booked, mentee)] == ["Shared plan"]
    assert len(services.notes_for(booked, mentor.user)) == 2


def test_the_learner_cannot_write_mentor_notes(booked, mentee):
    with pytest.raises(PermissionError):
        services.add_note(booked, by=mentee, body="Hi", shared=True)


def test_a_stranger_sees_no_notes_and_cannot_change_the_session(booked, omar, monday):
    assert services.notes_for(booked, omar) == []
    with pytest.raises(PermissionError):
        services.cancel(booked, by=omar, reason="x", now=NOW)
    with pytest.raises(PermissionError):
        services.reschedule(booked, at(monday, 14), by=omar, now=NOW)
