"""What the mentoring services announce after their transaction commits; ``receivers`` listen.

Services never import tasks: they send one of these, and a receiver in ``receivers.py``
(connected in ``MentoringConfig.ready``) turns it into background work. Other code may connect
too. Every one is sent with ``sender=MentorSession``.

``session_changed(session_pk=...)`` — a session was booked, requested, moved, confirmed,
declined, cancelled or given a new meeting link: both sides are to get the iCalendar message
for its current state.
"""

from django.dispatch import Signal

session_changed = Signal()

# ``session_completed(session_pk=...)`` — the mentor marked a session completed: it may now
# count towards the learner's courses and programmes, and (once it has ended) its learner is
# asked for feedback.
session_completed = Signal()

# ``session_rated(session_pk=..., learner_pk=...)`` — the learner rated a completed session
# (again): a programme's badge may now be earned.
session_rated = Signal()
