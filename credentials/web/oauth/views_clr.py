"""The CLR 2.0 API, at /ims/clr/v2p0/: discovery, and the learner's signed records.

``GET credentials`` (the CLR credential.readonly scope) answers the learner's signed
``ClrCredential`` of each institution (credentials.services.clr signs them).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from credentials.web.oauth import discovery
from credentials.web.oauth.ims import imsx_error, json_response, protected


def discovery_document(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = imsx_error(405, _("This method is not allowed here."))
        response["Allow"] = "GET"
        return response
    return JsonResponse(discovery.clr_document())


@protected({"GET": settings.CLR_SCOPE_PREFIX + "credential.readonly"})
def credentials(request: HttpRequest) -> HttpResponse:
    from credentials.services import clr

    records = clr.signed_records(request.api_user)  # one per institution
    document = {"clrCredential": records, "compactJwsString": []}
    response = json_response(document)
    response["X-Total-Count"] = str(len(document["clrCredential"]))
    return response
