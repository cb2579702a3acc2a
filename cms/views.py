from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
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
        messages.success(request, "Your profile is saved.")
        return redirect("account")
    return render(
        request,
        "cms/account.html",
        {
            "form": form,
            "roles": roles.roles_of(request.user),
            "issuers": issuers_for(request.user),
        },
    )


def server_error(request):
    return render(request, "500.html", status=500)
