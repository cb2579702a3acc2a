"""Celery tasks: each only calls a service. Task names never change (queued messages and beat
schedules name them).

The tasks queued after an award ignore their result: queueing one then only talks to the broker
(not to the result store as well), so a broker that is down fails fast, and the receivers say so.
"""

import smtplib
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError

from credentials.issuing import signing
from credentials.models import Award, BulkAward
from credentials.services import backlog, bulk, emails, imports, profiles

_MAIL_RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": True,
    "max_retries": 5,
}
MAIL_MAX_RETRIES = 5
MAIL_BACKOFF_SECONDS = 30  # 30 s, 1, 2, 4, 8 minutes: about a quarter of an hour in all
MAIL_BACKOFF_MAX_SECONDS = 600
IMPORT_CHECK_MAX_RETRIES = 200  # waits of 10-60 s: about two hours behind the same backpack


def mail_backoff(retries: int) -> int:
    """Seconds before retry number ``retries + 1`` of an award e-mail (exponential, capped)."""
    return min(MAIL_BACKOFF_SECONDS * 2**retries, MAIL_BACKOFF_MAX_SECONDS)


@shared_task(name="credentials.bake_award", ignore_result=True, acks_late=True)
def bake_award(award_pk: int) -> bool:
    """Sign one award (idempotent: a retry or a second run changes nothing). The name is the
    one queued messages carry; images are baked when downloaded, not here."""
    award = Award.objects.select_related("badge_class__issuer").filter(pk=award_pk).first()
    if award is None:
        return False
    return signing.sign_award(award).signed_at is not None


@shared_task(
    name="credentials.run_bulk_award_chunk",
    ignore_result=True,
    bind=True,
    acks_late=True,
    max_retries=5,
)
def run_bulk_award_chunk(self, job_pk: int, index: int) -> int:
    """Award, sign and e-mail one chunk of a bulk award (idempotent).

    A locked or lost database is retried with back-off; any other error, or the last retry,
    stops the job with the reason (the page then offers Resume).
    """
    job = BulkAward.objects.filter(pk=job_pk).first()
    if job is None:
        return 0
    try:
        return bulk.run_chunk(job, index)
    except OperationalError as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=2**self.request.retries) from error
        bulk.fail(job_pk, bulk.failure_reason(job, index, error))
        raise
    except Exception as error:
        bulk.fail(job_pk, bulk.failure_reason(job, index, error))
        raise


@shared_task(name="credentials.prune_bulk_uploads")
def prune_bulk_uploads() -> int:
    """Forget CSV uploads checked but never started (a week on); from beat."""
    return bulk.prune_uploads()


@shared_task(
    name="credentials.send_award_emails",
    ignore_result=True,
    bind=True,
    max_retries=MAIL_MAX_RETRIES,
)
def send_award_emails_task(self, award_pks: list[int]) -> int:
    """E-mail a batch of new awards over one connection (each goes out once).

    A mail server that is down or says "try later" is retried with exponential back-off;
    after the last retry the failure is recorded on each award still unsent (staff see it on
    the awards list and can resend).
    """
    return _send_award_emails(self, award_pks)


@shared_task(
    name="credentials.send_award_email", ignore_result=True, bind=True, max_retries=MAIL_MAX_RETRIES
)
def send_award_email_task(self, award_pk: int) -> int:
    """The one-award task of earlier releases: messages queued before an upgrade still go out."""
    return _send_award_emails(self, [award_pk])


def _send_award_emails(task, award_pks: list[int]) -> int:
    try:
        return emails.send_award_emails(award_pks)
    except (OSError, smtplib.SMTPException) as error:
        if task.request.retries >= task.max_retries:
            emails.record_failure(award_pks, error)
            return 0
        raise task.retry(exc=error, countdown=mail_backoff(task.request.retries)) from error


@shared_task(name="credentials.send_overdue_award_emails", ignore_result=True)
def send_overdue_award_emails_task(older_than_seconds: float | None = None) -> int:
    """E-mail awards, and revocations, whose e-mail never went out; from beat."""
    if older_than_seconds is None:
        return emails.send_overdue_award_emails() + emails.send_overdue_revocation_emails()
    older = timedelta(seconds=older_than_seconds)
    return emails.send_overdue_award_emails(
        older_than=older
    ) + emails.send_overdue_revocation_emails(older_than=older)


@shared_task(name="credentials.bake_overdue_awards", ignore_result=True)
def bake_overdue_awards(older_than_seconds: float | None = None) -> int:
    """Queue the signing of awards still unsigned a while after they were made (the task queue
    was down then); from beat. Returns how many were queued."""
    older = (
        backlog.UNSIGNED_AFTER
        if older_than_seconds is None
        else timedelta(seconds=older_than_seconds)
    )
    pks = backlog.unsigned_award_pks(older_than=older)
    for pk in pks:
        bake_award.delay(pk)
    return len(pks)


@shared_task(name="credentials.resume_stalled_bulk_awards", ignore_result=True)
def resume_stalled_bulk_awards() -> int:
    """Queue again the chunks of bulk awards whose worker was lost; from beat."""
    return len(bulk.resume_stalled())


@shared_task(name="credentials.send_endorsement_email", **_MAIL_RETRY)
def send_endorsement_email_task(endorsement_pk: int, withdrawn: bool = False) -> bool:
    """Tell an endorsed badge's institution that it was endorsed, or that it no longer is."""
    return emails.send_endorsement_email_for(endorsement_pk, withdrawn)


@shared_task(name="credentials.send_revocation_email", ignore_result=True, **_MAIL_RETRY)
def send_revocation_email_task(award_pk: int) -> bool:
    """Tell a recipient that their credential was revoked (once, however often it runs)."""
    return emails.send_revocation_email(award_pk)


@shared_task(name="credentials.send_approval_email", **_MAIL_RETRY)
def send_approval_email_task(approval_pk: int, decided: bool) -> bool:
    """E-mail the staff about a new request, or the requester about a decision."""
    return emails.send_approval_email(approval_pk, decided)


@shared_task(
    name="credentials.check_imported_credential",
    ignore_result=True,
    bind=True,
    max_retries=IMPORT_CHECK_MAX_RETRIES,
)
def check_imported_credential_task(self, imported_pk: int) -> str:
    """Verify a credential from another issuer that a learner keeps; returns the verdict.

    While the learner's other imports hold every check slot it waits and tries again (one
    backpack cannot flood the verifier); a check never run stays "not checked yet".
    """
    try:
        row = imports.check(imported_pk)
    except imports.Deferred as busy:
        raise self.retry(exc=busy, countdown=imports.defer_seconds(imported_pk)) from busy
    return row.verdict if row is not None else ""


@shared_task(name="credentials.recheck_public_imports", ignore_result=True)
def recheck_public_imports_task() -> int:
    """Queue the check of the imported credentials public profiles show, before their
    verdicts expire; from beat. Returns how many were queued."""
    return profiles.recheck_public()
