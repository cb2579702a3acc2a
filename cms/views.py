from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credentials.services import issuers_for

from . import roles
from .forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("account")
    return render(
        request,
        "cms/account.html",
        {
            "form": form,
            "roles": [roles.label(role) for role in roles.roles_of(request.user)],
            "issuers": issuers_for(request.user),
        },
    )


def admin_login(request):
    """The Wagtail and Django admins' login pages send people to ours (allauth's): there they
    meet the same e-mail verification and rate limits as everywhere else. allauth checks
    ``next`` (a path on this site only)."""
    url = reverse("account_login")
    if request.GET.get("next"):
        url += "?" + urlencode({"next": request.GET["next"]})
    return redirect(url)


def server_error(request):
    return render(request, "500.html", status=500)
