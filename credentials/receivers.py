"""Signal receivers of the credentials app (connected in ``CredentialsConfig.ready``).

Each turns something a service did, after its transaction committed, into background work
(a task) or a forgotten cache entry. Receivers call services and tasks; services never call
tasks.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import email_confirmed
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from credentials import tasks
from credentials.conf import settings as conf
from credentials.issuing import keystore
from credentials.models import BulkAward
from credentials.services import backlog, bulk
from credentials.services.recipients import attach_awards_of_verified_email
from credentials.verify import site as verify_site

log = logging.getLogger(__name__)


def email_new_awards(sender: Any, awards: list, email: bool = True, **kwargs: Any) -> None:
    """``awards_issued``: one e-mail task per batch of new awards (none when the caller sends
    them itself: a bulk chunk, right after signing them)."""
    if email:
        _queue_emails([award.pk for award in awards])


def email_awards_again(sender: Any, award_pks: list[int], **kwargs: Any) -> None:
    """``award_email_due``: award e-mails to send (again) with the task's retries: staff asked,
    or a bulk chunk could not reach the mail server."""
    _queue_emails(list(award_pks))


def _queue_emails(pks: list[int]) -> None:
    try:
        tasks.send_award_emails_task.delay(pks)
    except Exception as error:  # never let an e-mail problem fail the awards that are already made
        if _eager():
            log.exception("Could not send the award e-mails for awards %s", pks)
        else:  # the task queue is down: the overdue-e-mail sweep sends them once it is back
            backlog.enqueue_failed("e-mail", pks, error)


def email_revoked_award(sender: Any, award_pk: int, **kwargs: Any) -> None:
    """``award_revoked``: tell the recipient their credential was revoked (once)."""
    try:
        tasks.send_revocation_email_task.delay(award_pk)
    except Exception as error:  # an e-mail problem never undoes the revocation
        if _eager():
            log.exception("Could not send the revocation e-mail for award %s", award_pk)
        else:  # the task queue is down: the overdue-e-mail sweep sends it once it is back
            backlog.enqueue_failed("revocation e-mail", [award_pk], error)


def bake_new_awards(sender: Any, award_pks: list[int], **kwargs: Any) -> None:
    """``awards_to_bake``: sign each new award in the background.

    When the task queue is down the awards stay stored, unsigned: the person is told
    (``backlog.watch``) and the unsigned-awards sweep queues them once the queue is back.
    """
    for number, pk in enumerate(award_pks):
        try:
            tasks.bake_award.delay(pk)
        except Exception as error:
            if _eager():
                raise
            backlog.enqueue_failed("signing", award_pks[number:], error)
            return


def email_endorsed_institution(
    sender: Any, endorsement_pk: int, withdrawn: bool = False, **kwargs: Any
) -> None:
    """``endorsement_changed``: tell the endorsed badge's institution."""
    try:
        tasks.send_endorsement_email_task.delay(endorsement_pk, withdrawn)
    except Exception:  # an e-mail problem never undoes the endorsement
        log.exception("Could not send the endorsement e-mail for %s", endorsement_pk)


def keys_for_new_issuer(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """A new institution gets its signing keys at once (not when loading fixtures)."""
    if created and not raw:
        keystore.ensure_keys(instance)


def run_bulk_chunks(sender: Any, job_pk: int, indexes: list[int], **kwargs: Any) -> None:
    """``bulk_chunks_due``: queue each chunk; without a broker (``make run``), run them in a
    thread off the request so the progress page shows them advancing."""
    if _eager() and conf.BULK_AWARD_THREAD_WHEN_EAGER:
        threading.Thread(
            target=_run_in_thread, args=(job_pk, indexes), name=f"bulk-award-{job_pk}", daemon=True
        ).start()
        return
    for index in indexes:
        try:
            tasks.run_bulk_award_chunk.delay(job_pk, index)
        except Exception as error:  # the broker is down: say so instead of hanging in "queued"
            if _eager():
                raise  # eager: the chunk itself failed, and has already said why
            log.exception("Could not queue chunk %s of bulk award %s", index, job_pk)
            bulk.fail(
                job_pk,
                _("The work could not be queued (%(error)s). Try Resume in a minute.")
                % {"error": error},
            )
            return


def _eager() -> bool:
    """Whether tasks run in this process (no broker: ``make run``, tests)."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def _run_in_thread(job_pk: int, indexes: list[int]) -> None:
    """Development without a broker: the chunk tasks, one after another, off the request."""
    try:
        for index in indexes:
            tasks.run_bulk_award_chunk.apply(args=[job_pk, index], throw=False)  # fail() says why
            if BulkAward.objects.filter(pk=job_pk, status=BulkAward.Status.FAILED).exists():
                break
    finally:
        connection.close()


def forget_issuer_on_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An institution or one of its keys changed: the verifier reads it afresh (on commit)."""
    issuer = getattr(instance, "issuer", instance)
    verify_site.forget_issuer(issuer)


_STATUS_FIELDS = frozenset({"revoked_at", "revoked_by", "revocation_reason"})


def forget_award_on_revocation(
    sender: Any, instance: Any, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """An award's revocation changed (or it was deleted): the verifier reads it afresh.

    Saves that touch only other fields (signing, baking, e-mail) keep the cache.
    """
    if created or (update_fields is not None and not _STATUS_FIELDS & set(update_fields)):
        return
    verify_site.forget_award(instance)


def attach_awards_on_email_confirmed(sender: Any, email_address: Any, **kwargs: Any) -> None:
    """allauth's ``email_confirmed``: awards made to the address join the account that verified
    it (connected here, at import from ``CredentialsConfig.ready``, with a fixed uid)."""
    attach_awards_of_verified_email(email_address.user, email_address.email)


email_confirmed.connect(
    attach_awards_on_email_confirmed,
    dispatch_uid="credentials.attach_awards_on_email_confirmed",
)


def email_approval_request(sender: Any, approval_pk: int, **kwargs: Any) -> None:
    """``approval_requested``: tell the institution's staff that a request waits for them."""
    try:
        tasks.send_approval_email_task.delay(approval_pk, False)
    except Exception:  # an e-mail problem never undoes the request
        log.exception("Could not send the e-mail for approval request %s", approval_pk)


def email_approval_decision(sender: Any, approval_pk: int, **kwargs: Any) -> None:
    """``approval_decided``: tell the person who asked what the staff decided."""
    try:
        tasks.send_approval_email_task.delay(approval_pk, True)
    except Exception:  # an e-mail problem never undoes the decision
        log.exception("Could not send the decision e-mail for approval request %s", approval_pk)


def count_first_authenticator_as_used(
    sender: Any, request: Any = None, user: Any = None, authenticator: Any = None, **kwargs: Any
) -> None:
    """allauth's ``authenticator_added``: a person who adds their first TOTP or WebAuthn
    authenticator has just proved it (a valid code, a signed challenge), so the session counts
    as authenticated with it, as at login (the issuer pages' gate, credentials/web/
    second_factor.py, reads allauth's records). Adding another one does not: whoever holds
    only the password could add their own, so the session must have used an existing one."""
    factors = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
    if request is None or authenticator is None or authenticator.type not in factors:
        return
    others = Authenticator.objects.filter(user_id=user.pk, type__in=factors)
    if others.exclude(pk=authenticator.pk).exists():
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, added=True
    )


authenticator_added.connect(
    count_first_authenticator_as_used,
    dispatch_uid="credentials.count_first_authenticator_as_used",
)


def check_imported_credential(sender: Any, imported_pk: int, **kwargs: Any) -> None:
    """``imported_credential_changed``: our verifier checks it in the background (until then,
    and if the queue is down, the backpack says "not checked yet" and offers Check again)."""
    try:
        tasks.check_imported_credential_task.delay(imported_pk)
    except Exception:  # a queue problem never undoes keeping the credential
        log.exception("Could not queue the check of imported credential %s", imported_pk)
