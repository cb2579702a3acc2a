"""Booking and the session life cycle: free times, booking, moving, cancelling, confirming,
completing, notes and feedback; who sees which session, calendar feeds and the mentor's desk.
Views, tasks, the admin and commands call these.

The rules live in the modules of this package, by concern:

- ``free_times``: the times a learner may book (slot inputs loaded for ``mentoring.slots``)
- ``booking``: book, reschedule, cancel, confirm, decline
- ``meetings``: each session's own meeting link, and changing it
- ``outcomes``: completed, no-show, notes, feedback
- ``access``: who sees which session and which notes
- ``feeds``: private calendar feeds
- ``reports``: the mentor's desk in numbers
- ``base``: the errors, the clock and the checks of who acts, shared by the others

Mentors' profiles and availability are in ``mentoring.mentor_profiles``, e-mails and reminders
in ``mentoring.notifications``, programmes and their badges in ``mentoring.programmes``, the
mentor finder in ``mentoring.matching`` and what the learning app asks of mentoring in
``mentoring.learning_hooks``.

Every state change is atomic; everything that may run twice (a double submit, a retried task)
changes nothing the second time. Background work is never enqueued here: a service sends a
signal of ``mentoring.signals`` after its transaction commits and a receiver enqueues the task.

Modules inside ``mentoring`` import the modules of this package directly; this file only
re-exports, so that ``from mentoring import services`` and ``services.book(...)`` keep working.
"""

from mentoring.services.access import can_view, notes_for, sessions_of
from mentoring.services.base import BookingError, MentoringError, Status, mentor_acting
from mentoring.services.booking import (
    book,
    can_still_change,
    cancel,
    confirm,
    decline,
    reschedule,
)
from mentoring.services.feeds import feed_for, feed_ics, rotate_feed
from mentoring.services.free_times import (
    SlotInputs,
    free_slots_for,
    has_room,
    learner_busy,
    load_inputs,
    rules_for,
)
from mentoring.services.meetings import new_meeting_link, room_per_session, set_meeting_link
from mentoring.services.outcomes import add_note, leave_feedback, mark_completed, mark_no_show
from mentoring.services.reports import mentor_report, total_minutes

__all__ = [
    "BookingError",
    "MentoringError",
    "SlotInputs",
    "Status",
    "add_note",
    "book",
    "can_still_change",
    "can_view",
    "cancel",
    "confirm",
    "decline",
    "feed_for",
    "feed_ics",
    "free_slots_for",
    "has_room",
    "learner_busy",
    "leave_feedback",
    "load_inputs",
    "mark_completed",
    "mark_no_show",
    "mentor_acting",
    "mentor_report",
    "new_meeting_link",
    "notes_for",
    "reschedule",
    "rotate_feed",
    "room_per_session",
    "rules_for",
    "set_meeting_link",
    "sessions_of",
    "total_minutes",
]
