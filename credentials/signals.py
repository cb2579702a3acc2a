"""Hooks the services send after their transaction commits; ``receivers`` listen and enqueue.

Services never import tasks: they send one of these, and a receiver in ``receivers.py``
(connected in ``CredentialsConfig.ready``) turns it into background work. Other code may
connect too.

``award_issued(sender=Award, award=award)`` — a new award exists and is committed. Not sent
when an idempotent retry returns an existing award.
"""

from django.dispatch import Signal

award_issued = Signal()

# ``awards_issued(sender=Award, awards=[...], email=bool)`` — the same, once per batch: every award
# that one ``award_many`` call created (one for ``award()``, up to a chunk for a bulk award).
# ``email`` is False when the caller e-mails them itself (a bulk chunk, right after signing).
awards_issued = Signal()

# ``awards_to_bake(sender=Award, award_pks=[...])`` — new awards whose documents are to be signed
# in the background (not sent for a bulk chunk, which signs its own; images bake on download).
awards_to_bake = Signal()

# ``bulk_chunks_due(sender=BulkAward, job_pk=..., indexes=[...])`` — a bulk award was started or
# resumed: these chunks of it are still to be run.
bulk_chunks_due = Signal()

# ``endorsement_changed(sender=Endorsement, endorsement_pk=..., withdrawn=bool)`` — an
# endorsement was given (again) or withdrawn by its endorser; the endorsed institution is told.
endorsement_changed = Signal()

# ``award_email_due(sender=Award, award_pks=[...])`` — these awards' e-mails are to be sent by
# the retrying task: staff asked for undelivered ones again, or a bulk chunk could not reach the
# mail server.
award_email_due = Signal()

# ``approval_requested(sender=ApprovalRequest, approval_pk=...)`` — someone asked an institution's
# staff for approval (membership, a mentor affiliation, a course using its badge); staff are told.
approval_requested = Signal()

# ``approval_decided(sender=ApprovalRequest, approval_pk=..., kind=..., state=..., subject_id=...,
# issuer_id=..., badge_class_id=...)`` — staff approved or declined a request (or it was approved
# at once because the person asking acts for the institution). The requester is told; learning
# awards the course's waiting badges, mentoring shows the affiliation.
approval_decided = Signal()

# ``award_revoked(sender=Award, award_pk=...)`` — an award was revoked (committed); the recipient
# is told. Not sent when revoking an award that was already revoked.
award_revoked = Signal()

# ``imported_credential_changed(sender=ImportedCredential, imported_pk=...)`` — a credential from
# another issuer was put in a backpack (new or replaced), or its owner asked to check it again;
# our verifier checks it in the background.
imported_credential_changed = Signal()
