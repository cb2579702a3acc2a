"""Approvals: the institution's desk (approve, decline) and the requester's side (ask to join
an institution's staff, see and withdraw one's requests).

The rules live in ``credentials.services.approvals``; these views only call them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from credentials import services
from credentials.models import ApprovalRequest, Issuer
from credentials.services import approvals
from credentials.web.second_factor import second_factor_required
from lib.redirects import safe_next


class JoinForm(forms.Form):
    issuer = forms.ModelChoiceField(
        label="Institution",
        queryset=Issuer.objects.order_by("name"),
        empty_label="Choose an institution",
        help_text="Its staff are asked to approve you; until then you cannot act for it.",
    )


def _staff_issuer(request, slug: str) -> Issuer:
    issuer = get_object_or_404(Issuer, slug=slug)
    if not services.can_act_for(request.user, issuer):
        raise PermissionDenied("Only this institution's staff may decide its requests.")
    return issuer


@login_required
@second_factor_required
def desk(request, slug):
    """Every request waiting for this institution's staff."""
    issuer = _staff_issuer(request, slug)
    return render(
        request,
        "credentials/approvals/desk.html",
        {"issuer": issuer, "approvals": approvals.pending_for(issuer)},
    )


@login_required
@second_factor_required
@require_POST
def decide(request, slug, public_id, decision):
    issuer = _staff_issuer(request, slug)
    actions = {"approve": approvals.approve, "decline": approvals.decline}
    if decision not in actions:
        raise Http404("No such decision.")
    found = ApprovalRequest.objects.filter(public_id=public_id, issuer=issuer).first()
    if found is None:  # another institution's request is not found here
        raise Http404("No such request for this institution.")
    try:
        decided = actions[decision](found, by=request.user)
    except approvals.ApprovalError as error:
        messages.error(request, str(error))
    else:
        verb = "approved" if decided.is_approved else "declined"
        messages.success(
            request, f"{decided.get_kind_display()} for {decided.subject_label}: {verb}."
        )
    return redirect(safe_next(request, reverse("credentials_manage:approvals", args=[issuer.slug])))


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    """Ask an institution's staff to let you act for it."""
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issuer = form.cleaned_data["issuer"]
        made = approvals.request_staff(issuer, by=request.user)
        messages.success(request, f"{issuer.name}: {approvals.waiting_message(made)}")
        return redirect("credentials_manage:my_approvals")
    status = 400 if form.is_bound else 200
    return render(
        request, "credentials/approvals/join.html", {"form": form, **_mine(request)}, status=status
    )


def _mine(request) -> dict:
    rows = list(approvals.requests_by(request.user))
    for row in rows:
        row.message = approvals.waiting_message(row)
    return {"requests": rows}


@login_required
def mine(request):
    """The requests this person made, with where each stands."""
    return render(request, "credentials/approvals/mine.html", _mine(request))


@login_required
@require_POST
def withdraw(request, public_id):
    try:
        approvals.withdraw(str(public_id), by=request.user)
    except approvals.ApprovalError as error:
        if str(error) == "There is no such request.":
            raise Http404(str(error)) from error
        messages.error(request, str(error))
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(request, "Request withdrawn.")
    return redirect("credentials_manage:my_approvals")
