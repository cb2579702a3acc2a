"""Hooks other code connects to. Sent by credentials.services after the transaction commits.

``award_issued(sender=Award, award=award)`` — a new award exists and is committed (the award
e-mail connects here). Not sent when an idempotent retry returns an existing award.
"""

from django.dispatch import Signal

award_issued = Signal()
