"""Hooks other code connects to. Sent by credentials.services after the transaction commits.

``award_issued(sender=Award, award=award)`` — a new award exists and is committed. Not sent
when an idempotent retry returns an existing award.
"""

from django.dispatch import Signal

award_issued = Signal()

# ``awards_issued(sender=Award, awards=[...])`` — the same, once per batch: every award that one
# ``award_many`` call created (one for ``award()``, up to a chunk for a bulk award).
awards_issued = Signal()
