"""Staff of one institution endorse another's badge, and take it back.

The badges to endorse are listed on each institution's public page; rules live in
``credentials.services.endorsements``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credentials import services
from credentials.models import BadgeClass, Endorsement
from credentials.services import endorsements
from credentials.web.forms import EndorsementForm
from credentials.web.second_factor import second_factor_required


def _back(badge: BadgeClass) -> str:
    return reverse("credentials:issuer", args=[badge.issuer.slug]) + f"#badge-{badge.slug}"


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def endorse(request, public_id):
    badge = get_object_or_404(
        BadgeClass.objects.select_related("issuer"),
        public_id=public_id,
        status=BadgeClass.Status.PUBLISHED,
    )
    endorsers = list(endorsements.endorsers_for(request.user, badge))
    if not endorsers:
        raise PermissionDenied(_("Only staff of another institution may endorse this badge."))
    existing = {
        e.endorser_id: e
        for e in Endorsement.objects.filter(badge_class=badge, endorser__in=endorsers)
    }
    initial = {}
    standing = [e for e in existing.values() if not e.is_withdrawn]
    if standing:
        initial = {"endorser": standing[0].endorser_id, "comment": standing[0].comment}
    form = EndorsementForm(request.POST or None, initial=initial, endorsers=endorsers)
    context = {"badge": badge, "form": form, "standing": standing}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "credentials/endorsement_form.html", context, status=400)
        endorser = form.cleaned_data["endorser"]
        try:
            endorsements.endorse(badge, endorser, form.cleaned_data["comment"], request.user)
        except endorsements.EndorsementError as error:
            form.add_error("comment", str(error))
            return render(request, "credentials/endorsement_form.html", context, status=400)
        messages.success(
            request,
            _("%(endorser)s endorses “%(badge)s”. Credentials awarded from now on carry it.")
            % {"endorser": endorser.name, "badge": badge.name},
        )
        return redirect(_back(badge))
    return render(request, "credentials/endorsement_form.html", context)


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def withdraw(request, public_id):
    """GET asks to confirm (the endorser's staff, or the badge's own institution); POST does it."""
    endorsement = get_object_or_404(
        Endorsement.objects.select_related("badge_class__issuer", "endorser"),
        public_id=public_id,
    )
    if request.method == "GET":
        return _confirm_withdraw(request, endorsement)
    try:
        endorsements.withdraw(endorsement, request.user)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    badge = endorsement.badge_class
    if services.issuers_for(request.user).filter(pk=endorsement.endorser_id).exists():
        messages.info(
            request,
            _(
                "%(endorser)s no longer endorses “%(badge)s”. "
                "Credentials already awarded keep what they carry."
            )
            % {"endorser": endorsement.endorser.name, "badge": badge.name},
        )
        return redirect(_back(badge))
    messages.info(  # the badge's own institution took it off
        request,
        _(
            "New credentials of “%(badge)s” no longer carry %(endorser)s's "
            "endorsement; those already awarded keep what they carry."
        )
        % {"badge": badge.name, "endorser": endorsement.endorser.name},
    )
    return redirect("credentials_manage:badge", badge.issuer.slug, badge.slug)


def _confirm_withdraw(request, endorsement: Endorsement):
    badge = endorsement.badge_class
    mine = services.issuers_for(request.user)
    by_endorser = mine.filter(pk=endorsement.endorser_id).exists()
    if not by_endorser and not mine.filter(pk=badge.issuer_id).exists():
        raise PermissionDenied(_("Only the endorser's or the badge's institution may withdraw it."))
    if endorsement.is_withdrawn:
        messages.info(request, _("This endorsement is already withdrawn."))
        return redirect(_back(badge) if by_endorser else _badge_page(badge))
    names = {"endorser": endorsement.endorser.name, "badge": badge.name}
    if by_endorser:
        title = _("Withdraw %(endorser)s's endorsement of “%(badge)s”") % names
        explanation = _(
            "%(issuer)s is told by e-mail. Credentials awarded from now on no longer "
            "carry your endorsement, and its public documents say it is withdrawn; credentials "
            "already awarded keep what was signed into them. You can endorse the badge again "
            "later."
        ) % {"issuer": badge.issuer.name}
        button, cancel = _("Withdraw the endorsement"), _back(badge)
    else:
        title = _("Remove %(endorser)s's endorsement from “%(badge)s”") % names
        explanation = (
            _(
                "Credentials of “%(badge)s” awarded from now on no longer carry "
                "%(endorser)s's endorsement; those already awarded keep what was "
                "signed into them. Only %(endorser)s can endorse it again."
            )
            % names
        )
        button, cancel = _("Remove the endorsement"), _badge_page(badge)
    return render(
        request,
        "credentials/confirm.html",
        {
            "title": title,
            "facts": [
                (_("Endorser"), endorsement.endorser.name),
                (_("Badge"), f"{badge.name} ({badge.issuer.name})"),
                (_("Endorsed on"), date_format(endorsement.issued_on, "DATE_FORMAT")),
                (_("Comment"), endorsement.comment),
            ],
            "explanation": explanation,
            "action": request.path,
            "button": button,
            "cancel": cancel,
        },
    )


def _badge_page(badge: BadgeClass) -> str:
    return reverse("credentials_manage:badge", args=[badge.issuer.slug, badge.slug])
