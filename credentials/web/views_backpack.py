"""The learner's "My credentials" (the backpack): every award, its downloads, sharing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credentials.models import Award
from credentials.services import backpack as service
from credentials.services import clr, imports, profiles
from lib.redirects import safe_next


@login_required
@require_GET
def backpack(request):
    items = service.backpack(request.user)
    counts = {"total": len(items), "public": sum(1 for i in items if i.award.is_public)}
    imported = list(imports.imported_of(request.user))
    profiles.refresh_stale(imported)  # "checking again" is then true; never checked here
    context = {
        "items": items,
        "counts": counts,
        "imported": imported,
        "public_profile": profiles.profile_of(request.user),
        "records": [
            {"institution": issuer, "parts": range(1, parts + 1) if parts > 1 else ()}
            for issuer, parts in clr.record_index(request.user)
        ],
    }
    return render(request, "credentials/backpack.html", context)


@login_required
@require_POST
def award_visibility(request, public_id):
    award = (
        Award.objects.select_related("badge_class")
        .filter(public_id=public_id, recipient=request.user)
        .first()
    )
    if award is None:  # someone else's, or none at all: the same answer
        raise Http404("No credential of yours has this id.")
    make_public = request.POST.get("visibility") == "public"
    service.set_visibility(award, make_public, by=request.user)
    if make_public:
        messages.success(
            request,
            _("“%(badge)s” is public: anyone with its link can see and verify it.")
            % {"badge": award.badge_class.name},
        )
    else:
        messages.success(
            request,
            _(
                "“%(badge)s” is private: only you and the institution’s staff "
                "can see its page and downloads."
            )
            % {"badge": award.badge_class.name},
        )
    backpack_url = reverse("credentials_manage:backpack")
    return redirect(safe_next(request, f"{backpack_url}#award-{award.public_id}"))


@require_http_methods(["GET", "POST"])
def claim(request, token: str):
    """The link in the award e-mail for someone who had no account: add it to theirs."""
    try:
        award = service.award_for_claim(token)
    except service.ClaimError as error:
        return render(request, "credentials/claim.html", {"error": str(error)}, status=400)
    if not request.user.is_authenticated:
        return render(request, "credentials/claim.html", {"award": award, "next": request.path})
    if request.method == "POST":
        try:
            service.claim(token, request.user)
        except service.ClaimError as error:
            return render(
                request, "credentials/claim.html", {"award": award, "error": str(error)}, status=409
            )
        messages.success(
            request,
            _("“%(badge)s” is now in your credentials.") % {"badge": award.badge_class.name},
        )
        return redirect("credentials_manage:backpack")
    return render(request, "credentials/claim.html", {"award": award})
