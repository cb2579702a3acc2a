"""What the learning services announce after their transaction commits; ``receivers`` listen.

Services never import tasks: they send one of these, and a receiver in ``receivers.py``
(connected in ``LearningConfig.ready``) turns it into background work. Other code may connect
too.

``award_requested(sender=Enrolment, enrolment_id=...)`` — an enrolment was completed and its
course has a badge: the badge is to be requested from credentials (the enrolment's award status
is "requested" until then). Sent once per completion, after the completion commits.

``attempt_requested(sender=QuizAttemptChange, change_id=...)`` — a learner who used every attempt
at a quiz asked for another: the course team is to be told (once per request; asking again while
the request is open sends nothing).

``attempt_granted(sender=QuizAttemptChange, change_id=...)`` — course staff granted one more
attempt or reset the attempts: the learner is to be told, with a link back to the quiz.
"""

from django.dispatch import Signal

award_requested = Signal()
attempt_requested = Signal()
attempt_granted = Signal()
