"""What the learning services announce after their transaction commits; ``receivers`` listen.

Services never import tasks: they send one of these, and a receiver in ``receivers.py``
(connected in ``LearningConfig.ready``) turns it into background work. Other code may connect
too.

``award_requested(sender=Enrolment, enrolment_id=...)`` — an enrolment was completed and its
course has a badge: the badge is to be requested from credentials (the enrolment's award status
is "requested" until then). Sent once per completion, after the completion commits.
"""

from django.dispatch import Signal

award_requested = Signal()
