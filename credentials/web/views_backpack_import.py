"""The backpack's "Add a badge" and "Bring badges from another backpack" pages. Thin: the
rules are in :mod:`credentials.services.backpack_import` and
:mod:`credentials.services.remote_hosts`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credentials.services import backpack_import as service
from credentials.services import remote_hosts
from credentials.verify.fetch import client_scope
from credentials.web.forms_backpack_import import AddBadgeForm, RemoteHostForm
from credentials.web.views_verify import client_address

SUMMARY_KEY = "backpack_remote_summary"


def _found(form: AddBadgeForm) -> service.Found:
    data = form.cleaned_data
    if data.get("file"):
        return service.from_image(data["file"].read(service.MAX_FILE_BYTES + 1), field="file")
    if data.get("url"):
        return service.from_url(data["url"], field="url")
    return service.from_text(data["text"], field="text")


@login_required
@require_http_methods(["GET", "POST"])
def add(request):
    posted = request.method == "POST"
    form = AddBadgeForm(request.POST, request.FILES) if posted else AddBadgeForm()
    if posted and form.is_valid():
        field = next(name for name in ("file", "url", "text") if form.cleaned_data.get(name))
        try:
            if not service.may_try(request.user):
                raise service.too_many_attempts(field)
            with client_scope(client_address(request)):
                found = _found(form)
            row, created = service.add(request.user, found, field=field)
        except service.ImportRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            name = str(row)
            if created:
                messages.success(request, _("“%(name)s” is in your backpack.") % {"name": name})
            else:
                messages.info(
                    request,
                    _("“%(name)s” was already in your backpack: it is kept once.") % {"name": name},
                )
            return redirect(reverse("credentials_manage:backpack") + "#imported")
    status = 400 if form.errors else 200
    return render(request, "credentials/backpack_import/add.html", {"form": form}, status=status)


def _remote_page(request, form: RemoteHostForm, status: int = 200):
    context = {"form": form, "connections": remote_hosts.connections_of(request.user)}
    return render(request, "credentials/backpack_import/remote.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def remote(request):
    form = RemoteHostForm(request.POST) if request.method == "POST" else RemoteHostForm()
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["address"]
        try:
            if not service.may_try(request.user):
                raise service.too_many_attempts("address")
            with client_scope(client_address(request)):
                target = remote_hosts.start(request.user, address, request.session)
        except service.ImportRefused as refused:
            form.add_error("address", refused.message)
        except remote_hosts.RemoteError as error:
            form.add_error("address", error.message)
        else:
            return HttpResponseRedirect(target)  # the host's own authorisation page (checked)
    return _remote_page(request, form, status=400 if form.errors else 200)


def _show_summary(request, summary: service.Summary):
    request.session[SUMMARY_KEY] = summary.as_dict()
    return redirect("credentials_manage:backpack_import:remote_summary")


def _failed(request, error: remote_hosts.RemoteError):
    context = {"message": error.message}
    return render(request, "credentials/backpack_import/failed.html", context, status=400)


@login_required
@require_GET
def remote_callback(request):
    try:
        with client_scope(client_address(request)):
            summary = remote_hosts.finish(request.user, request.session, request.GET)
    except remote_hosts.RemoteError as error:
        return _failed(request, error)
    return _show_summary(request, summary)


@login_required
@require_GET
def remote_summary(request):
    summary = request.session.get(SUMMARY_KEY)
    if not isinstance(summary, dict):
        return redirect("credentials_manage:backpack_import:remote")
    return render(request, "credentials/backpack_import/summary.html", {"summary": summary})


@login_required
@require_POST
def remote_pull(request, connection_id: int):
    if not service.may_try(request.user):
        refused = service.too_many_attempts("")
        return _failed(request, remote_hosts.RemoteError(refused.message, refused.code))
    try:
        with client_scope(client_address(request)):
            summary = remote_hosts.pull_again(request.user, connection_id)
    except remote_hosts.RemoteError as error:
        if error.code == "not_found":
            raise Http404(error.message) from error
        return _failed(request, error)
    return _show_summary(request, summary)


@login_required
@require_POST
def remote_disconnect(request, connection_id: int):
    try:
        address = remote_hosts.disconnect(request.user, connection_id)
    except remote_hosts.RemoteError as error:
        raise Http404(error.message) from error
    messages.success(
        request,
        _("Disconnected from %(host)s: its tokens are deleted here.") % {"host": address},
    )
    return redirect("credentials_manage:backpack_import:remote")
