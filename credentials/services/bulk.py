"""Bulk awards from a CSV: check every row first, then award, sign and e-mail in chunks.

1. ``check_csv(badge, file)`` reads the upload and returns the valid rows and every problem
   with its line number.
2. ``create_job(badge, rows, by, filename, skipped=problems)`` keeps the valid rows as a
   ``BulkAward`` waiting for the person's go, with the rows that will be skipped and why (the
   person may instead fix the file and upload it again); ``start(job, by)`` queues it (one
   Celery task per chunk, after commit).
3. ``run_chunk(job, index)`` awards a chunk's rows in one transaction (``services.award_many``:
   the same rules as one award — idempotent per person, so a row whose person already holds the
   badge changes nothing), signs them (``signing.sign_many``: one statement), e-mails them over
   one mail-server connection (``emails.send_award_emails``: once each), and records the chunk.
   A chunk that runs twice, or a job that is resumed after a failure, awards and e-mails nobody
   twice. The e-mails go out as each chunk ends, not queued behind the chunks still to run;
   a mail server that cannot be reached hands them to the retrying e-mail task.

Progress is the number of rows in finished chunks, and the credentials issued are those signed
(a chunk signs its awards at its end, so the count never runs ahead of the rows done); chunks
run in parallel on as many worker processes as there are. A small upload is cut into chunks
of at least ``MIN_CHUNK_SIZE`` rows so that its progress moves in steps too.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import signals
from credentials.issuing import links, signing
from credentials.models import Award, BadgeClass, BulkAward, BulkAwardChunk
from credentials.services import awards as services
from credentials.services import emails, recipients
from credentials.services.bulk_csv import (  # noqa: F401 - the first step, re-exported
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    TEMPLATE,
    BulkAwardError,
    RowProblem,
    check_csv,
)
from lib.i18n import in_language_of
from lib.spreadsheet import spreadsheet_cell

STALLED_AFTER = timedelta(minutes=10)
UNSTARTED_KEPT = timedelta(days=7)
CHUNK_SIZE = 250
MIN_CHUNK_SIZE = 10
PROGRESS_STEPS = 10  # a job is cut into about this many chunks, within the two sizes above
log = logging.getLogger(__name__)


def _can_award(badge: BadgeClass, by) -> None:
    if not services.can_act_for(by, badge.issuer):
        raise PermissionError(f"{by} does not act for {badge.issuer}.")
    if badge.status != BadgeClass.Status.PUBLISHED:
        raise BulkAwardError(
            _("“%(badge)s” is not published, so it cannot be awarded yet.") % {"badge": badge.name}
        )


def chunk_size_for(total: int) -> int:
    """Rows per chunk: about PROGRESS_STEPS chunks, each MIN_CHUNK_SIZE to CHUNK_SIZE rows."""
    return max(MIN_CHUNK_SIZE, min(CHUNK_SIZE, -(-total // PROGRESS_STEPS)))


def create_job(
    badge: BadgeClass,
    rows: list[dict],
    by,
    filename: str = "",
    skipped: list[RowProblem] | tuple[RowProblem, ...] = (),
) -> BulkAward:
    """Keep checked ``rows`` as a job that waits for ``start``; ``skipped`` are the rows of the
    file that were not valid, kept to be listed (they are never awarded)."""
    _can_award(badge, by)
    if not rows:
        raise BulkAwardError(_("There is nobody to award."))
    return BulkAward.objects.create(
        badge_class=badge, created_by=by, filename=filename[:255], rows=rows, total=len(rows),
        chunk_size=chunk_size_for(len(rows)), skipped=[problem.as_dict() for problem in skipped],
    )  # fmt: skip


def is_stalled(job: BulkAward, now=None) -> bool:
    """Queued or running, but no chunk finished for STALLED_AFTER: its worker is gone."""
    if job.status not in (BulkAward.Status.QUEUED, BulkAward.Status.RUNNING):
        return False
    finished = job.chunks.aggregate(last=Max("finished_at"))["last"]
    last = max((t for t in (finished, job.started_at) if t is not None), default=None)
    return last is None or (now or timezone.now()) - last > STALLED_AFTER


def start(job: BulkAward, by) -> BulkAward:
    """Queue a checked job, or resume one that stopped or stalled, awarding as ``by``.

    Idempotent: a double click queues once (a job that is making progress is left alone), and
    a chunk queued twice awards nobody twice.
    """
    _can_award(job.badge_class, by)
    with transaction.atomic():
        locked = BulkAward.objects.select_for_update().get(pk=job.pk)
        if locked.status == BulkAward.Status.DONE:
            return locked
        active = (BulkAward.Status.QUEUED, BulkAward.Status.RUNNING)
        if locked.status in active and not is_stalled(locked):
            return locked
        locked.status = BulkAward.Status.QUEUED
        locked.error = ""
        locked.started_by = by
        locked.started_at = timezone.now()
        locked.finished_at = None
        locked.save(update_fields=["status", "error", "started_by", "started_at", "finished_at"])
        transaction.on_commit(lambda: _enqueue(locked.pk))
    return locked


def _enqueue(job_pk: int) -> None:
    """After commit: ask for the chunks not yet done (``receivers.run_bulk_chunks`` queues them)."""
    job = BulkAward.objects.get(pk=job_pk)
    done = set(job.chunks.values_list("index", flat=True))
    missing = [i for i in range(job.chunk_count) if i not in done]
    if not missing:
        _finish_if_complete(job)
        return
    signals.bulk_chunks_due.send(sender=BulkAward, job_pk=job_pk, indexes=missing)


def resume_stalled(now=None) -> list[int]:
    """Queue again the missing chunks of every stalled job (its worker was lost: a chunk's
    message waits in the broker until its visibility timeout, an hour); from beat.

    Idempotent: a job resumed here is not stalled again for STALLED_AFTER, two sweeps at once
    resume it once, and a chunk that runs twice awards nobody twice. Returns the jobs resumed.
    """
    now = now or timezone.now()
    active = (BulkAward.Status.QUEUED, BulkAward.Status.RUNNING)
    resumed = []
    for job in BulkAward.objects.filter(status__in=active).order_by("pk"):
        if not is_stalled(job, now):
            continue
        with transaction.atomic():
            claimed = BulkAward.objects.filter(
                pk=job.pk, status__in=active, started_at=job.started_at
            ).update(started_at=now)
            if claimed:
                log.warning("Bulk award %s stalled; queueing its missing chunks again", job.pk)
                transaction.on_commit(lambda pk=job.pk: _enqueue(pk))
                resumed.append(job.pk)
    return resumed


def prune_uploads(now=None) -> int:
    """Forget uploads that were checked but never started within UNSTARTED_KEPT."""
    cutoff = (now or timezone.now()) - UNSTARTED_KEPT
    deleted, _by_model = BulkAward.objects.filter(
        status=BulkAward.Status.CHECKED, created_at__lt=cutoff
    ).delete()
    return deleted


def run_chunk(job: BulkAward, index: int) -> int:
    """Award, sign and e-mail rows [index·size, (index+1)·size) of ``job``; returns the new
    awards.

    Idempotent: a finished chunk is skipped; a chunk that stopped halfway awards only those
    not yet awarded (``award_many`` is idempotent per person and, for re-awardable badges,
    per job and line), signs only those unsigned and e-mails only those not yet e-mailed.
    """
    job = BulkAward.objects.select_related("badge_class__issuer", "started_by").get(pk=job.pk)
    if job.chunks.filter(index=index).exists():
        return 0
    if job.status not in (BulkAward.Status.QUEUED, BulkAward.Status.RUNNING):
        return 0
    BulkAward.objects.filter(pk=job.pk, status=BulkAward.Status.QUEUED).update(
        status=BulkAward.Status.RUNNING
    )
    first = index * job.chunk_size
    rows = job.rows[first : first + job.chunk_size]
    # Only an account that verified the address gets the award; others get the claim link.
    accounts = recipients.accounts_with_verified_emails(row["email"] for row in rows)
    grants = [
        services.Grant(
            accounts.get(row["email"], row["email"]),
            evidence=(row["evidence"],) if row.get("evidence") else (),
            idempotency_key=f"bulk:{job.public_id}:{row['line']}",
            name=row.get("name", ""),
        )
        for row in rows
    ]
    given = services.award_many(
        job.badge_class, grants, job.started_by, bulk_award=job, bake=False, send_email=False
    )
    ours = list(
        {award.pk: award for award, _made in given if award.bulk_award_id == job.pk}.values()
    )
    for award in ours:  # one object for the badge: its issuer and keys are read once
        award.badge_class = job.badge_class
    signing.sign_many(ours)
    _email(ours)
    try:
        with transaction.atomic():
            BulkAwardChunk.objects.create(job=job, index=index, rows=len(rows))
    except IntegrityError:
        pass  # the same chunk finished in another worker
    _finish_if_complete(job)
    return sum(1 for _award, created in given if created)


def _email(awards: list[Award]) -> None:
    """E-mail the chunk's awards not yet e-mailed, now, over one connection. A mail server that
    is down or says "try later" does not fail the chunk: the e-mails go to the retrying task."""
    pks = [a.pk for a in awards if a.notified_at is None and a.email_failed_at is None]
    if not pks:
        return
    try:
        emails.send_award_emails(pks)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("Bulk award e-mails for %s awards wait for a retry: %s", len(pks), error)
        transaction.on_commit(lambda: signals.award_email_due.send(sender=Award, award_pks=pks))


def _finish_if_complete(job: BulkAward) -> None:
    if job.chunks.count() >= job.chunk_count:
        BulkAward.objects.filter(
            pk=job.pk, status__in=[BulkAward.Status.QUEUED, BulkAward.Status.RUNNING]
        ).update(status=BulkAward.Status.DONE, finished_at=timezone.now())


def discard(job: BulkAward, by) -> bool:
    """Delete an upload that was never started; False if it has started meanwhile."""
    if not services.can_act_for(by, job.badge_class.issuer):
        raise PermissionError(f"{by} does not act for {job.badge_class.issuer}.")
    deleted, _by_model = BulkAward.objects.filter(
        pk=job.pk, status=BulkAward.Status.CHECKED
    ).delete()
    return bool(deleted)


def failure_reason(job: BulkAward, index: int, error: Exception) -> str:
    """What staff read when a chunk fails: which rows, and why in words they can act on."""
    first = index * job.chunk_size
    rows = job.rows[first : first + job.chunk_size]
    with in_language_of(job.started_by):  # a task: in the words of the person who started it
        if isinstance(error, PermissionError):
            why = _("the person who started it no longer acts for this institution")
        elif isinstance(error, services.AwardError | BulkAwardError):
            why = str(error)
        else:
            why = _("an unexpected error (%(kind)s: %(error)s)") % {
                "kind": type(error).__name__,
                "error": error,
            }
        if rows:
            return _("Stopped at the rows on lines %(first)s–%(last)s: %(why)s.") % {
                "first": rows[0]["line"],
                "last": rows[-1]["line"],
                "why": why,
            }
        return _("Stopped at the rows on chunk %(n)s: %(why)s.") % {"n": index + 1, "why": why}


def fail(job_pk: int, reason: str) -> None:
    """Mark a job stopped (a chunk failed for good); ``start`` resumes it."""
    BulkAward.objects.filter(pk=job_pk).exclude(status=BulkAward.Status.DONE).update(
        status=BulkAward.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def progress(job: BulkAward) -> dict[str, Any]:
    """What the progress page shows (and its JSON): rows done, new credentials issued, status.

    A credential counts as issued once it is signed: a chunk stores its awards first
    and signs them at its end, so a count of stored awards ran ahead of the rows done ("26
    credentials issued" at 0 %).
    """
    done = sum(job.chunks.values_list("rows", flat=True))
    awarded = job.awards.filter(signed_at__isnull=False).count()
    return {
        "status": job.status,
        "status_label": str(BulkAward.Status(job.status).label),
        "total": job.total,
        "done": done,
        "percent": round(100 * done / job.total) if job.total else 100,
        "awarded": awarded,
        "already": max(done - awarded, 0) if job.status == BulkAward.Status.DONE else None,
        "error": job.error,
        "finished": job.status in (BulkAward.Status.DONE, BulkAward.Status.FAILED),
        "stalled": is_stalled(job),
        "skipped": len(job.skipped or []),
    }


SKIPPED_COLUMNS = ("line", "email", "name", "why")


def skipped_table(job: BulkAward) -> list[list[str]]:
    """The rows of the upload that are skipped, and why: a CSV to fix and upload again (every
    cell spreadsheet-safe: "=1@x.org" is an address a spreadsheet would run as a formula)."""
    table = [list(SKIPPED_COLUMNS)]
    for row in sorted(job.skipped or [], key=lambda row: row["line"]):
        table.append(
            [str(row["line"])]
            + [spreadsheet_cell(str(row.get(key, ""))) for key in ("email", "name", "why")]
        )
    return table


RESULT_COLUMNS = ("line", "email", "name", "result", "issued_on", "credential_url")


def results(job: BulkAward) -> list[list[str]]:
    """One row per uploaded line: who got a new credential, who already held one, and its URL;
    and the lines that were skipped as not valid, with why."""
    badge = job.badge_class
    emails = [row["email"] for row in job.rows]
    if badge.allow_reaward:
        keys = {f"badge:{badge.pk}:bulk:{job.public_id}:{row['line']}": row for row in job.rows}
        found = {a.idempotency_key: a for a in Award.objects.filter(idempotency_key__in=list(keys))}
        by_row = {row["line"]: found.get(key) for key, row in keys.items()}
    else:
        held = {a.recipient_email: a for a in badge.awards.filter(recipient_email__in=emails)}
        by_row = {row["line"]: held.get(row["email"]) for row in job.rows}
    lines = [
        [str(row["line"]), spreadsheet_cell(row["email"]), spreadsheet_cell(row.get("name", "")),
         spreadsheet_cell(f"skipped: {row['why']}"), "", ""]
        for row in job.skipped or []
    ]  # fmt: skip
    for row in job.rows:
        award = by_row.get(row["line"])
        if award is None:
            result = "not yet awarded"
        elif award.bulk_award_id == job.pk:
            result = "revoked" if award.is_revoked else "awarded"
        else:
            result = "already held" + (" (revoked)" if award.is_revoked else "")
        lines.append(
            [
                str(row["line"]),
                spreadsheet_cell(row["email"]),  # "=1@x.org" is a valid address
                spreadsheet_cell(row.get("name", "")),
                result,
                timezone.localdate(award.issued_on).isoformat() if award else "",
                links.award_url(award) if award else "",
            ]
        )
    return [list(RESULT_COLUMNS), *sorted(lines, key=lambda cells: int(cells[0]))]
