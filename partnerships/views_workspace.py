"""The members' workspace of a partnership: its framework and each member's agreement, the form
to propose a new version, one version in full, and what the partnership runs.

For the staff of its member institutions only (superusers too), with a second factor: anyone
else signed in gets "not found", as if it did not exist; visitors are sent to log in. The rules
live in ``partnerships.services.framework``; these views only call it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from credentials.models import Issuer
from credentials.services import second_factor_required
from partnerships import forms
from partnerships.models import Partnership
from partnerships.services import access, framework
from partnerships.services import publication as publishing
from partnerships.views_public import members_of, runs_of


def _partnership(request, slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not access.is_member_staff(request.user, partnership):
        raise Http404
    return partnership


def _number(text: str | None) -> int:
    """A posted whole number; 0 (which matches nothing) for anything else."""
    return int(text) if text and text.isdigit() else 0


def _workspace_url(partnership: Partnership) -> str:
    return reverse("partnerships:workspace", kwargs={"slug": partnership.slug})


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def workspace(request, slug: str):
    """The workspace; a POST is the publication form (what the public page shows)."""
    partnership = _partnership(request, slug)
    if request.method == "POST":
        return _publication(request, partnership)
    members = members_of(partnership)
    changes = framework.history(partnership)
    current = changes[0] if changes else None
    to_agree, agreed_for = _to_agree(request.user, partnership, current)
    context = {
        "partnership": partnership,
        "members": members,
        "current": current,
        "to_agree": to_agree,
        "agreed_for": agreed_for,
        "publication_form": forms.PublicationForm(instance=partnership),
        "may_publish": access.members_signed_for(request.user, partnership).exists(),
        "history": changes,
        "agreed": framework.current_agreed(partnership),
        "runs": runs_of(partnership, members),
        "impact_url": reverse("impact:partnership", kwargs={"slug": partnership.slug}),
    }
    return render(request, "partnerships/workspace.html", context)


def _to_agree(user, partnership: Partnership, current: framework.Change | None):
    """The members ``user`` may still agree the current version for — none once they agreed it
    for one institution (then that agreement is returned too, for the note why)."""
    if current is None:
        return [], None
    mine = next(
        (
            s.agreement
            for s in current.states
            if s.agreement and s.agreement.agreed_by_id == user.pk
        ),
        None,
    )
    if mine is not None:
        return [], mine
    staff_of = {m.issuer_id: m for m in access.members_signed_for(user, partnership)}
    waiting = [
        staff_of[s.member.issuer_id]
        for s in current.states
        if s.agreement is None and s.member.issuer_id in staff_of
    ]
    return waiting, None


def _publication(request, partnership: Partnership):
    """A member's staff choose what the public page shows."""
    form = forms.PublicationForm(request.POST, instance=partnership)
    if not form.is_valid():
        messages.error(request, _("Those publication choices could not be saved."))
        return redirect(_workspace_url(partnership))
    try:
        publishing.set_publication(partnership, request.user, **form.cleaned_data)
    except publishing.PublicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The public page now shows what you chose."))
    return redirect(_workspace_url(partnership))


@login_required
@second_factor_required
@require_POST
def agree(request, slug: str):
    partnership = _partnership(request, slug)
    number, member_id = _number(request.POST.get("version")), _number(request.POST.get("member"))
    version = partnership.framework_versions.filter(number=number).first()
    member = partnership.members.select_related("issuer").filter(pk=member_id).first()
    if version is None or member is None:
        messages.error(request, _("That version or institution is not part of this partnership."))
        return redirect(_workspace_url(partnership))
    try:
        framework.agree(version, member, request.user)
    except framework.FrameworkError as error:
        messages.error(request, error.message)
    else:
        done = framework.agreed_on(version)
        if done:
            messages.success(
                request,
                _(
                    "You agreed version %(number)s for %(institution)s. "
                    "Every member has now agreed it."
                )
                % {"number": version.number, "institution": member.issuer.name},
            )
        else:
            messages.success(
                request,
                _("You agreed version %(number)s for %(institution)s.")
                % {"number": version.number, "institution": member.issuer.name},
            )
    return redirect(_workspace_url(partnership))


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def propose(request, slug: str):
    partnership = _partnership(request, slug)
    previous = framework.latest(partnership)
    owners = partnership_owners(partnership)
    if request.method == "POST":
        data = request.POST
        if "add_row" in request.POST:
            data = forms.with_another_row(request.POST)
        form = forms.FrameworkForm(data)
        results = forms.ResultFormSet(data, prefix="results", form_kwargs={"owners": owners})
        if "add_row" not in request.POST and form.is_valid() and results.is_valid():
            try:
                version = framework.propose_version(
                    partnership, request.user, results=results.results(), **form.cleaned_data
                )
            except framework.FrameworkError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                if previous is not None and version.pk == previous.pk:
                    messages.info(
                        request,
                        _("Nothing changed: version %(number)s stays the latest.")
                        % {"number": version.number},
                    )
                else:
                    messages.success(
                        request,
                        _("Version %(number)s is saved. Each member now agrees it.")
                        % {"number": version.number},
                    )
                return redirect(_workspace_url(partnership))
    else:
        form = forms.FrameworkForm(initial=forms.initial_words(previous))
        results = forms.ResultFormSet(
            prefix="results",
            initial=forms.initial_results(previous),
            form_kwargs={"owners": owners},
        )
    context = {"partnership": partnership, "form": form, "results": results, "previous": previous}
    return render(request, "partnerships/framework_form.html", context)


def partnership_owners(partnership: Partnership):
    """The institutions that may own an expected result: the members."""
    return Issuer.objects.filter(partnership_memberships__partnership=partnership).order_by("name")


@login_required
@second_factor_required
def version(request, slug: str, number: int):
    partnership = _partnership(request, slug)
    change = framework.change_of(partnership, number)
    if change is None:
        raise Http404
    latest = framework.latest(partnership)
    context = {
        "partnership": partnership,
        "change": change,
        "is_latest": latest is not None and latest.pk == change.version.pk,
    }
    return render(request, "partnerships/framework_version.html", context)
