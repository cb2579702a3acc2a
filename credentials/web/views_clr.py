"""The learner's CLR 2.0 records, downloaded from the backpack: thin, the service signs."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from credentials.models import Issuer
from credentials.services import clr
from credentials.standards import clr as clr_standard


@never_cache
@login_required
@require_GET
def download(request, institution, part=1):
    """The signed record of the signed-in learner at ``institution`` (its ``part``, when it
    comes in parts), as a JSON file.

    Only ever the requester's own record: no learner is named in the address.
    """
    issuer = Issuer.objects.filter(public_id=institution).first()
    if issuer is None:
        raise Http404("No such institution.")
    try:
        record = clr.signed_record(request.user, issuer, part)
    except clr.NoRecord as exc:
        raise Http404("You hold no credential of this institution.") from exc
    body = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
    response = HttpResponse(body, content_type=clr_standard.CONTENT_TYPE)
    suffix = f"-part-{part}" if part > 1 else ""
    filename = f"learner-record-{slugify(issuer.name)[:60] or 'institution'}{suffix}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
