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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from credentials import services
from credentials.models import ApprovalRequest, Issuer
from credentials.services import approvals
from credentials.web.second_factor import second_factor_required
from lib.redirects import safe_next


class JoinForm(forms.Form):
    issuer = forms.ModelChoiceField(
        label=_lazy("Institution"),
        queryset=Issuer.objects.order_by("name"),
        empty_label=_lazy("Choose an institution"),
        help_text=_lazy("Its staff are asked to approve you; until then you cannot act for it."),
    )


def _staff_issuer(request, slug: str) -> Issuer:
    issuer = get_object_or_404(Issuer, slug=slug)
    if not services.can_act_for(request.user, issuer):
        raise PermissionDenied(_("Only this institution's staff may decide its requests."))
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
    ApprovalRequest.Kind.STAFF: _lazy("They do not join %(issuer)s's staff and cannot act for it."),
    ApprovalRequest.Kind.MENTOR: _lazy("Their mentor profile does not name %(issuer)s."),
    ApprovalRequest.Kind.COURSE_BADGE: _lazy(
        "The course does not award this badge: learners who complete it get no credential "
        "from %(issuer)s."
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
        if decided.is_approved:
            text = _("%(kind)s for %(subject)s: approved.")
        else:
            text = _("%(kind)s for %(subject)s: declined.")
        messages.success(
            request,
            text % {"kind": decided.get_kind_display(), "subject": decided.subject_label},
        )
    return redirect(back)


def _asker(approval: ApprovalRequest) -> str:
    return approval.requested_by.email if approval.requested_by else _("someone no longer here")


def _confirm_decline(request, issuer: Issuer, approval: ApprovalRequest, back: str):
    if not approval.is_pending:
        messages.info(
            request,
            _("%(kind)s for %(subject)s was %(state)s already.")
            % {
                "kind": approval.get_kind_display(),
                "subject": approval.subject_label,
                "state": approval.get_state_display().lower(),
            },
        )
        return redirect(back)
    facts = [
        (_("Request"), approval.get_kind_display()),
        (pgettext("the subject of a request", "For"), approval.subject_label),
        (_("Asked by"), _asker(approval)),
        (_("Asked on"), date_format(approval.requested_at, "DATE_FORMAT")),
    ]
    if approval.badge_class:
        facts.insert(2, (_("Badge"), approval.badge_class.name))
    explanation = " ".join(
        [
            _DECLINE_MEANS[approval.kind] % {"issuer": issuer.name},
            _(
                "%(asker)s is told by e-mail that %(issuer)s's staff declined; they may "
                "ask again later, and the request then waits here again."
            )
            % {"asker": _asker(approval), "issuer": issuer.name},
        ]
    )
    return render(
        request,
        "credentials/confirm.html",
        {
            "title": _("Decline: %(kind)s for %(subject)s")
            % {"kind": approval.get_kind_display().lower(), "subject": approval.subject_label},
            "issuer": issuer,
            "tab": "approvals",
            "facts": facts,
            "explanation": explanation,
            "action": request.get_full_path(),
            "button": _("Decline the request"),
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
        messages.success(
            request,
            _("%(issuer)s: %(message)s")
            % {"issuer": issuer.name, "message": approvals.waiting_message(made)},
        )
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
        if str(error) in {"There is no such request.", _("There is no such request.")}:
            raise Http404(str(error)) from error
        messages.error(request, str(error))
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    else:
        messages.success(request, _("Request withdrawn."))
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
            raise PermissionDenied(_("Only the person who asked may withdraw this request."))
        raise Http404("There is no such request.")
    if not approval.is_pending:
        messages.info(request, approvals.waiting_message(approval))
        return redirect("credentials_manage:my_approvals")
    facts = [
        (_("Request"), approval.get_kind_display()),
        (_("Institution"), approval.issuer.name),
        (pgettext("the subject of a request", "For"), approval.subject_label),
        (_("Asked on"), date_format(approval.requested_at, "DATE_FORMAT")),
    ]
    if approval.badge_class:
        facts.insert(3, (_("Badge"), approval.badge_class.name))
    return render(
        request,
        "credentials/confirm.html",
        {
            "title": _("Withdraw your request to %(issuer)s") % {"issuer": approval.issuer.name},
            "facts": facts,
            "explanation": _(
                "%(issuer)s's staff no longer see it and cannot approve it. You can "
                "ask again later; the request then waits for their approval from the start."
            )
            % {"issuer": approval.issuer.name},
            "action": request.path,
            "button": _("Withdraw the request"),
            "cancel": reverse("credentials_manage:my_approvals"),
        },
    )
