"""A learner's public profile at /people/<public_id>/, and the switch that turns it on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from credentials.services import imports, profiles


@require_GET
def profile(request, public_id):
    shown = profiles.public_profile(public_id)
    if shown is None:  # off, or never on: the same answer as an unknown id
        raise Http404("No public profile has this address.")
    profiles.refresh_stale(shown.imported)  # queued for the background, never checked here
    context = {
        "shown": shown,
        "imported": [(row, imports.stored_result(row)) for row in shown.imported],
    }
    return render(request, "credentials/profiles/profile.html", context)


@login_required
@require_POST
def switch(request):
    """The backpack's switch: a public profile on (it keeps its address) or off."""
    public = request.POST.get("public") == "1"
    profiles.set_profile_public(request.user, public)
    if public:
        messages.success(
            request,
            _("Your public profile is on: anyone with its link sees what you chose to show."),
        )
    else:
        messages.success(request, _("Your public profile is off: its link answers “not found”."))
    return redirect(f"{reverse('credentials_manage:backpack')}#public-profile")
