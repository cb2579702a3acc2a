"""The account page's two actions on the person's own data: download it, delete the account.

Thin: the rules are in :mod:`cms.account_data`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cms import account_data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.CharField(
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The word to type stays DELETE in every language (the rule checks that word).
        self.fields["confirmation"].label = _("Type %(word)s to confirm") % {
            "word": account_data.CONFIRMATION
        }


@login_required
@require_GET
def download(request: HttpRequest) -> StreamingHttpResponse:
    """A ZIP of everything the site holds about the signed-in person (nobody else's)."""
    response = StreamingHttpResponse(
        account_data.export_chunks(request.user), content_type="application/zip"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="co-create-academy-data-{day}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Asks for the password and a typed confirmation, then deletes and signs out."""
    if not request.user.is_authenticated:
        if request.method == "POST":  # a second click after the account is gone: no harm
            return redirect("/")
        return redirect(f"/accounts/login/?next={request.path}")
    form = DeleteAccountForm(request.POST or None)
    blockers = account_data.deletion_blockers(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_data.delete_account(
                request.user,
                password=form.cleaned_data["password"],
                confirmation=form.cleaned_data["confirmation"],
            )
        except account_data.AccountDataError as error:
            form.add_error(error.field, str(error))
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. Credentials you were given stay verifiable with "
                    "the files you downloaded and your e-mail address."
                ),
            )
            return redirect("/")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "blockers": blockers, "confirmation": account_data.CONFIRMATION}
    response = render(request, "cms/account_delete.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response
