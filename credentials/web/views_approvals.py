"""Approvals: the institution's desk (approve, decline) and the requester's side (ask to join
an institution's staff, see and withdraw one's requests).

Approving is one click. Declining and withdrawing are not undone by a click, so each asks
first: GET shows ``credentials/confirm.html``, POST does it. The rules live in
``credentials.services.approvals``; these views only call them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

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


# What a decline means for the one who asked, by kind of request.
_DECLINE_MEANS = {
    ApprovalRequest.Kind.STAFF: "They do not join {issuer}'s staff and cannot act for it.",
    ApprovalRequest.Kind.MENTOR: "Their mentor profile does not name {issuer}.",
    ApprovalRequest.Kind.COURSE_BADGE: (
        "The course does not award this badge: learners who complete it get no credential "
        "from {issuer}."
    ),
}


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def decide(request, slug, public_id, decision):
    """POST approves or declines; GET on a decline asks to confirm first (approving is one
    click: it is what the requester asked for, and a wrong one is declined the same way)."""
    issuer = _staff_issuer(request, slug)
    actions = {"approve": approvals.approve, "decline": approvals.decline}
    if decision not in actions:
        raise Http404("No such decision.")
    found = (
        ApprovalRequest.objects.select_related("requested_by", "badge_class")
        .filter(public_id=public_id, issuer=issuer)
        .first()
    )
    if found is None:  # another institution's request is not found here
        raise Http404("No such request for this institution.")
    back = safe_next(request, reverse("credentials_manage:approvals", args=[issuer.slug]))
    if request.method == "GET":
        if decision != "decline":
            return HttpResponseNotAllowed(["POST"])
        return _confirm_decline(request, issuer, found, back)
    try:
        decided = actions[decision](found, by=request.user)
    except approvals.ApprovalError as error:
        messages.error(request, str(error))
    else:
        verb = "approved" if decided.is_approved else "declined"
        messages.success(
            request, f"{decided.get_kind_display()} for {decided.subject_label}: {verb}."
        )
    return redirect(back)


def _asker(approval: ApprovalRequest) -> str:
    return approval.requested_by.email if approval.requested_by else "someone no longer here"


def _confirm_decline(request, issuer: Issuer, approval: ApprovalRequest, back: str):
    if not approval.is_pending:
        messages.info(
            request,
            f"{approval.get_kind_display()} for {approval.subject_label} was "
            f"{approval.get_state_display().lower()} already.",
        )
        return redirect(back)
    facts = [
        ("Request", approval.get_kind_display()),
        ("For", approval.subject_label),
        ("Asked by", _asker(approval)),
        ("Asked on", f"{approval.requested_at:%-d %B %Y}"),
    ]
    if approval.badge_class:
        facts.insert(2, ("Badge", approval.badge_class.name))
    explanation = (
        f"{_DECLINE_MEANS[approval.kind].format(issuer=issuer.name)} "
        f"{_asker(approval)} is told by e-mail that {issuer.name}'s staff declined; they may "
        "ask again later, and the request then waits here again."
    )
    return render(
        request,
        "credentials/confirm.html",
        {
            "title": f"Decline: {approval.get_kind_display().lower()} for {approval.subject_label}",
            "issuer": issuer,
            "tab": "approvals",
            "facts": facts,
            "explanation": explanation,
            "action": request.get_full_path(),
            "button": "Decline the request",
            "cancel": back,
        },
    )


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
@require_http_methods(["GET", "POST"])
def withdraw(request, public_id):
    """GET asks the person who asked to confirm; POST takes the request back."""
    if request.method == "GET":
        return _confirm_withdraw(request, public_id)
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


def _confirm_withdraw(request, public_id):
    approval = (
        approvals.requests_by(request.user)
        .select_related("badge_class")
        .filter(public_id=public_id)
        .first()
    )
    if approval is None:
        if ApprovalRequest.objects.filter(public_id=public_id).exists():
            raise PermissionDenied("Only the person who asked may withdraw this request.")
        raise Http404("There is no such request.")
    if not approval.is_pending:
        messages.info(request, approvals.waiting_message(approval))
        return redirect("credentials_manage:my_approvals")
    facts = [
        ("Request", approval.get_kind_display()),
        ("Institution", approval.issuer.name),
        ("For", approval.subject_label),
        ("Asked on", f"{approval.requested_at:%-d %B %Y}"),
    ]
    if approval.badge_class:
        facts.insert(3, ("Badge", approval.badge_class.name))
    return render(
        request,
        "credentials/confirm.html",
        {
            "title": f"Withdraw your request to {approval.issuer.name}",
            "facts": facts,
            "explanation": (
                f"{approval.issuer.name}'s staff no longer see it and cannot approve it. You can "
                "ask again later; the request then waits for their approval from the start."
            ),
            "action": request.path,
            "button": "Withdraw the request",
            "cancel": reverse("credentials_manage:my_approvals"),
        },
    )
