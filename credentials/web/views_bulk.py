"""Issuer staff award one badge to many people from a CSV, and watch it happen.

Upload → every row is checked → a preview of every row waits for the go (rows that are not
valid come first, each with why: award the valid rows and skip those, or fix the file and
upload it again; a file with no valid row is refused with its problems, nothing stored) →
chunks are awarded in the background while the page shows progress (a small script polls
``status/``; without it the page refreshes itself) → a summary. Rules live in
``credentials.services.bulk``; only staff of the badge's issuer get in (``views_issuer._issuer``).
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from credentials.models import Award, BadgeClass, BulkAward
from credentials.services import bulk
from credentials.web.forms import BulkAwardForm
from credentials.web.second_factor import second_factor_required
from credentials.web.views_issuer import _badge, _issuer, _url
from lib.spreadsheet import spreadsheet_cell

PREVIEW_ROWS = 100  # rows per page of the preview (every row is shown, page by page)


def _job(request, slug: str, public_id, with_rows: bool = False) -> BulkAward:
    issuer = _issuer(request, slug)
    jobs = BulkAward.objects.select_related("badge_class", "created_by")
    if not with_rows:
        jobs = jobs.defer("rows")  # up to 5 MB; the progress poll does not need them
    job = get_object_or_404(jobs, public_id=public_id, badge_class__issuer=issuer)
    job.badge_class.issuer = issuer
    return job


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def upload(request, slug, badge_slug):
    issuer = _issuer(request, slug)
    badge = _badge(issuer, badge_slug)
    if badge.status != BadgeClass.Status.PUBLISHED:
        messages.warning(request, _("Publish the badge before you award it."))
        return redirect(_url("badge", issuer.slug, badge.slug))
    form = BulkAwardForm(request.POST or None, request.FILES or None)
    context = {
        "issuer": issuer,
        "badge": badge,
        "form": form,
        "columns": bulk.COLUMNS,
        "max_rows": number_format(bulk.MAX_ROWS, force_grouping=True),
        "jobs": badge.bulk_awards.exclude(status=BulkAward.Status.CHECKED).defer("rows")[:5],
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "credentials/bulk_award_form.html", context, status=400)
        upload_file = form.cleaned_data["file"]
        try:
            rows, problems = bulk.check_csv(badge, upload_file)
        except bulk.BulkAwardError as error:
            form.add_error("file", str(error))
            return render(request, "credentials/bulk_award_form.html", context, status=400)
        if problems and not rows:  # nothing to award: the problems, and nothing stored
            context.update(problems=problems, good_rows=0)
            return render(request, "credentials/bulk_award_form.html", context, status=400)
        job = bulk.create_job(badge, rows, request.user, upload_file.name, skipped=problems)
        return redirect(_url("bulk_award", issuer.slug, job.public_id))
    return render(request, "credentials/bulk_award_form.html", context)


@login_required
@second_factor_required
def template(request, slug, badge_slug):
    _badge(_issuer(request, slug), badge_slug)
    response = HttpResponse(bulk.TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{badge_slug}-recipients.csv"'
    return response


@login_required
@second_factor_required
def detail(request, slug, public_id):
    job = _job(request, slug, public_id, with_rows=True)
    context = {"issuer": job.badge_class.issuer, "badge": job.badge_class, "job": job}
    context["progress"] = bulk.progress(job)
    if job.status == BulkAward.Status.CHECKED:
        held = set()
        if not job.badge_class.allow_reaward:
            held = set(
                Award.objects.filter(
                    badge_class=job.badge_class,
                    recipient_email__in=[row["email"] for row in job.rows],
                ).values_list("recipient_email", flat=True)
            )
        holders = sum(1 for row in job.rows if row["email"] in held)
        # Every row of the file, page by page: the rows that are skipped as not valid first.
        entries = [{**row, "skip": row["why"]} for row in sorted(job.skipped, key=_line)]
        entries += [{**row, "holds": row["email"] in held} for row in job.rows]
        page = Paginator(entries, PREVIEW_ROWS).get_page(request.GET.get("page"))
        context.update(
            page=page,
            holders=holders,
            new=job.total - holders,
            skipped=len(job.skipped),
            lines=job.total + len(job.skipped),
        )
    else:
        context["skipped"] = sorted(job.skipped, key=_line)
    return render(request, "credentials/bulk_award_detail.html", context)


def _line(row: dict) -> int:
    return row["line"]


@login_required
@second_factor_required
def status(request, slug, public_id):
    job = _job(request, slug, public_id)
    response = JsonResponse(bulk.progress(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@second_factor_required
@require_POST
def start(request, slug, public_id):
    job = _job(request, slug, public_id)
    try:
        bulk.start(job, request.user)
    except bulk.BulkAwardError as error:
        messages.error(request, str(error))
    return redirect(_url("bulk_award", job.badge_class.issuer.slug, job.public_id))


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def discard(request, slug, public_id):
    """GET asks to confirm; POST discards the upload (only one that has not started)."""
    job = _job(request, slug, public_id)
    badge = job.badge_class
    if request.method == "GET":
        if job.status != BulkAward.Status.CHECKED:
            return redirect(_url("bulk_award", badge.issuer.slug, job.public_id))
        return render(
            request,
            "credentials/confirm.html",
            {
                "issuer": badge.issuer,
                "title": _("Discard the upload for “%(badge)s”") % {"badge": badge.name},
                "facts": [
                    (_("File"), job.filename or _("CSV upload")),
                    (
                        _("Rows"),
                        _("%(total)s to award, %(skipped)s skipped")
                        % {"total": job.total, "skipped": len(job.skipped)},
                    ),
                ],
                "explanation": _(
                    "Nobody has been awarded from this upload. Discarding forgets its rows; "
                    "you can then upload a corrected file."
                ),
                "action": _url("bulk_award_discard", badge.issuer.slug, job.public_id),
                "button": _("Discard the upload"),
                "cancel": _url("bulk_award", badge.issuer.slug, job.public_id),
                "tab": "badges",
            },
        )
    if bulk.discard(job, request.user):
        messages.info(request, _("The upload is discarded; nobody was awarded."))
    else:
        messages.warning(request, _("This bulk award has started; it cannot be discarded."))
    return redirect(_url("badge_bulk_award", badge.issuer.slug, badge.slug))


def _csv_response(table: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response.write("\ufeff")  # so that spreadsheets read it as UTF-8
    csv.writer(response).writerows([spreadsheet_cell(c) for c in r] for r in table)
    return response


@login_required
@second_factor_required
def skipped(request, slug, public_id):
    """The rows skipped as not valid, with why, as CSV: to fix them and upload them again."""
    job = _job(request, slug, public_id)
    name = (job.filename or "recipients.csv").removesuffix(".csv")
    return _csv_response(bulk.skipped_table(job), f"{name}-skipped.csv")


@login_required
@second_factor_required
def results(request, slug, public_id):
    """The outcome of every uploaded row, as CSV (for a mail merge or the student records)."""
    job = _job(request, slug, public_id, with_rows=True)
    name = (job.filename or "recipients.csv").removesuffix(".csv")
    return _csv_response(bulk.results(job), f"{name}-results.csv")
