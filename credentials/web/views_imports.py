"""A learner's credentials from other issuers: the page of each, its original bytes, and what
the learner does with it (check again, show on the public profile, remove). Only the owner
reaches any of it: anyone else gets the 404 an unknown id gets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credentials.models import ImportedCredential
from credentials.services import imports, profiles
from lib.redirects import safe_next

_MEDIA_TYPES = {
    ImportedCredential.Format.JSON: ("application/json", "json"),
    ImportedCredential.Format.JWT: ("application/jwt", "jwt"),
}


def _own(request, public_id) -> ImportedCredential:
    try:
        return imports.own(request.user, public_id)
    except ImportedCredential.DoesNotExist:
        raise Http404("No imported credential of yours has this id.") from None


def _back(row: ImportedCredential) -> str:
    return f"{reverse('credentials_manage:backpack')}#imported-{row.public_id}"


@login_required
@require_GET
def detail(request, public_id):
    row = _own(request, public_id)
    result = imports.stored_result(row)
    matched = result.recipient_matched if result else None
    if result is not None:  # said here in the learner's terms, not the verify page's
        result.recipient_matched = None
        if (result.issuer_trust or {}).get("kind") == "platform" and not row.issuer_is_ours:
            # A forgery naming one of ours: the signature is not theirs, so never "ours" here.
            result.issuer_trust = None
            result.checks = [check for check in result.checks if check.name != "issuer"]
    context = {
        "row": row,
        "result": result,
        "recipient_matched": matched,
        "unchecked_at": (row.verdict_detail or {}).get("unchecked_at"),
    }
    return render(request, "credentials/imports/detail.html", context)


@login_required
@require_GET
def original(request, public_id):
    """The credential exactly as it was received, byte for byte."""
    row = _own(request, public_id)
    media_type, extension = _MEDIA_TYPES.get(row.format, ("text/plain", "txt"))
    response = HttpResponse(row.body.encode("utf-8"), content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="imported-{row.public_id}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def check_again(request, public_id):
    row = _own(request, public_id)
    if imports.recheck(request.user, row.public_id):
        messages.success(request, _("We are checking “%(name)s” again.") % {"name": row})
    else:
        messages.info(
            request,
            _("“%(name)s” was checked less than a minute ago. Try again in a minute.")
            % {"name": row},
        )
    return redirect(safe_next(request, _back(row)))


@login_required
@require_POST
def profile_visibility(request, public_id):
    shown = request.POST.get("shown") == "1"
    row = _own(request, public_id)
    try:
        row = profiles.set_on_profile(request.user, row.public_id, shown)
    except imports.Rejected as refused:
        messages.error(request, refused.description)
        return redirect(_back(row))
    if shown:
        messages.success(
            request,
            _("“%(name)s” is on your public profile, with our verifier’s verdict.") % {"name": row},
        )
    else:
        messages.success(request, _("“%(name)s” is off your public profile.") % {"name": row})
    return redirect(_back(row))


@login_required
@require_http_methods(["GET", "POST"])
def remove(request, public_id):
    """GET asks for a second, explicit yes; POST removes it."""
    row = _own(request, public_id)
    if request.method == "POST":
        imports.remove(request.user, row.public_id)
        messages.success(request, _("“%(name)s” was removed from your backpack.") % {"name": row})
        return redirect(f"{reverse('credentials_manage:backpack')}#imported")
    context = {
        "title": _("Remove “%(name)s”") % {"name": row},
        "facts": [
            (_("Says it was issued by"), row.claimed_issuer_name or row.claimed_issuer_id),
            (_("Added"), row.created_at),
        ],
        "explanation": _(
            "It leaves your backpack and your public profile. The issuer’s credential itself "
            "is not changed; an application you authorised may add it again."
        ),
        "action": request.path,
        "button": _("Remove"),
        "cancel": _back(row),
    }
    return render(request, "credentials/confirm.html", context)
