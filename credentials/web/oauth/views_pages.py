"""A learner's connected applications: the list, and taking one's access back; and the APIs'
privacy page (the discovery documents' ``x-imssf-privacyPolicyUrl``).

Only the signed-in learner's own grants and tokens are listed or deleted (the service filters
on the user): another person's application id revokes nothing of theirs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from oauth2_provider.models import get_application_model

from credentials.services import connected_apps as service


@login_required
@require_GET
def connected_apps(request: HttpRequest) -> HttpResponse:
    apps = service.connected_apps(request.user)
    return render(request, "credentials/oauth/connected_apps.html", {"apps": apps})


@login_required
@require_POST
def revoke(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_application_model().objects.filter(pk=application_id).first()
    deleted = service.revoke(request.user, application_id)
    if deleted and application is not None:
        messages.success(
            request,
            _("The application calling itself “%(name)s” can no longer reach your backpack.")
            % {"name": application.name},
        )
    else:
        messages.info(request, _("That application had no access to your backpack."))
    return redirect("credentials_manage:connected_apps:list")


@require_GET
def api_privacy(request: HttpRequest) -> HttpResponse:
    """What an application the learner allows in may see, what we keep, how to stop it."""
    context = {
        "scope_words": [str(words) for words in service.SCOPE_WORDS.values()],
        "access_hours": settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"] // 3600,
        "refresh_days": settings.OAUTH2_PROVIDER["REFRESH_TOKEN_EXPIRE_SECONDS"] // 86400,
    }
    return render(request, "credentials/oauth/privacy.html", context)
