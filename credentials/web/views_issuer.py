"""Issuer staff's pages: define badge classes, publish them, award, revoke, list awards.

Only staff of the issuer in the URL (``services.can_act_for``) get in — superusers everywhere;
anyone else signed in gets 403, anonymous visitors are sent to log in. Business rules live in
``credentials.services`` and ``credentials.services.publishing``; these views only call them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from credentials import services
from credentials.issuing import endorsements as issued_endorsements
from credentials.models import Award, BadgeClass, Issuer
from credentials.services import approvals, backlog, editions, emails
from credentials.services.publishing import PublishError, publish
from credentials.services.recipients import account_with_verified_email
from credentials.web.forms import (
    AwardFilterForm,
    AwardForm,
    BadgeClassForm,
    RevokeForm,
    eu_checklist,
)
from credentials.web.second_factor import second_factor_required

AWARDS_PER_PAGE = 25


def _issuer(request, slug: str) -> Issuer:
    issuer = get_object_or_404(Issuer, slug=slug)
    if not services.can_act_for(request.user, issuer):
        raise PermissionDenied(_("Only this institution's staff may manage its badges."))
    return issuer


def _badge(issuer: Issuer, badge_slug: str) -> BadgeClass:
    badge = get_object_or_404(BadgeClass, issuer=issuer, slug=badge_slug)
    badge.issuer = issuer
    return badge


def _url(name: str, *args) -> str:
    return reverse(f"credentials_manage:{name}", args=args)


def _choose_issuer(request, page: str):
    """The one institution's ``page``, or a choice of the institutions this person acts for."""
    issuers = list(services.issuers_for(request.user))
    if not issuers:
        raise PermissionDenied(_("You do not act for any institution."))
    if len(issuers) == 1:
        return redirect(_url(page, issuers[0].slug))
    return render(request, "credentials/manage_home.html", {"issuers": issuers})


@login_required
@second_factor_required
def home(request):
    """Where "Issue badges" leads."""
    return _choose_issuer(request, "badges")


@login_required
@second_factor_required
def awards_home(request):
    return _choose_issuer(request, "awards")


@login_required
@second_factor_required
def badge_list(request, slug):
    issuer = _issuer(request, slug)
    badges = (
        BadgeClass.objects.filter(issuer=issuer)
        .annotate(
            issued=Count("awards"),
            revoked=Count("awards", filter=Q(awards__revoked_at__isnull=False)),
        )
        .order_by("status", "name")
    )
    badges = list(badges)
    checks = services.checks_by_badge(badges)
    for badge in badges:
        badge.verified = checks.get(badge.pk, 0)
    context = {"issuer": issuer, "badges": badges, "approvals": approvals.pending_for(issuer)}
    return render(request, "credentials/manage_badges.html", context)


def _form_page(request, issuer, form, badge=None, status=200):
    checklist_badge = form.instance if form.is_bound else (badge or BadgeClass(issuer=issuer))
    checklist_badge.issuer = issuer
    context = {
        "issuer": issuer,
        "form": form,
        "badge": badge,
        "groups": form.groups(),
        **_checklist(checklist_badge),
        "image_url": _image_url(badge) if badge else "",
    }
    return render(request, "credentials/badge_form.html", context, status=status)


def _checklist(badge: BadgeClass) -> dict:
    items = eu_checklist(badge)
    return {"checklist": items, "missing_count": sum(not item["present"] for item in items)}


def _image_url(badge: BadgeClass) -> str:
    """The badge's image, with a version so that a new upload shows at once."""
    if not badge.pk:
        return ""
    path = reverse("credentials:badge_image", kwargs={"public_id": badge.public_id})
    return f"{path}?v={int(badge.updated_at.timestamp())}"


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def badge_create(request, slug):
    issuer = _issuer(request, slug)
    form = BadgeClassForm(request.POST or None, request.FILES or None, issuer=issuer)
    if request.method == "POST":
        if form.is_valid():
            badge = form.save()
            messages.success(request, _("“%(badge)s” is saved as a draft.") % {"badge": badge.name})
            return redirect(_url("badge", issuer.slug, badge.slug))
        return _form_page(request, issuer, form, status=400)
    return _form_page(request, issuer, form)


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def badge_edit(request, slug, badge_slug):
    issuer = _issuer(request, slug)
    badge = _badge(issuer, badge_slug)
    form = BadgeClassForm(
        request.POST or None,
        request.FILES or None,
        issuer=issuer,
        instance=_badge(issuer, badge_slug),
    )
    if request.method == "POST":
        if form.is_valid():
            saved = form.save()
            messages.success(request, _("“%(badge)s” is saved.") % {"badge": saved.name})
            return redirect(_url("badge", issuer.slug, saved.slug))
        return _form_page(request, issuer, form, badge=badge, status=400)
    return _form_page(request, issuer, form, badge=badge)


def _detail_page(request, issuer, badge, *, missing=None, status=200):
    awards = badge.awards.select_related("recipient").order_by("-issued_on")[:10]
    counts = badge.awards.aggregate(
        issued=Count("pk"), revoked=Count("pk", filter=Q(revoked_at__isnull=False))
    )
    context = {
        "issuer": issuer,
        "badge": badge,
        **_checklist(badge),
        "missing": missing,
        "awards": [(award, services.award_status(award)) for award in awards],
        "counts": counts,
        "image_url": _image_url(badge),
        "alignments": badge.alignments.select_related("framework"),
        "endorsements": issued_endorsements.active(badge),
        "editions": list(editions.editions_of(badge).values()),
        "edition_languages": len(editions.languages_open(badge)),
    }
    return render(request, "credentials/badge_detail.html", context, status=status)


@login_required
@second_factor_required
def badge_detail(request, slug, badge_slug):
    issuer = _issuer(request, slug)
    return _detail_page(request, issuer, _badge(issuer, badge_slug))


@login_required
@second_factor_required
@require_POST
def badge_publish(request, slug, badge_slug):
    issuer = _issuer(request, slug)
    badge = _badge(issuer, badge_slug)
    try:
        publish(badge, by=request.user)
    except PublishError as error:
        return _detail_page(request, issuer, badge, missing=error.missing, status=400)
    messages.success(
        request, _("“%(badge)s” is published: you can award it now.") % {"badge": badge.name}
    )
    return redirect(_url("badge", issuer.slug, badge.slug))


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def award_create(request, slug, badge_slug):
    issuer = _issuer(request, slug)
    badge = _badge(issuer, badge_slug)
    form = AwardForm(request.POST or None)
    context = {"issuer": issuer, "badge": badge, "form": form}
    if badge.status != BadgeClass.Status.PUBLISHED:
        messages.warning(request, _("Publish the badge before you award it."))
        return redirect(_url("badge", issuer.slug, badge.slug))
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "credentials/award_form.html", context, status=400)
        email = form.cleaned_data["email"]
        person = account_with_verified_email(email)  # else: the claim link
        started = timezone.now()
        try:
            with backlog.watch() as not_queued:
                given = services.award(
                    badge, person or email, form.evidence(), awarded_by=request.user
                )
        except services.AwardError as error:
            form.add_error(None, str(error))
            return render(request, "credentials/award_form.html", context, status=400)
        if given.created_at < started:
            if given.is_revoked:
                text = _("%(email)s was revoked (awarded %(date)s); nothing was changed.")
            else:
                text = _("%(email)s already holds it (awarded %(date)s); nothing was changed.")
            messages.warning(
                request,
                text % {"email": email, "date": date_format(given.issued_on, "DATE_FORMAT")},
            )
        elif not_queued:
            messages.warning(
                request,
                _(
                    "Saved: “%(badge)s” is awarded to %(email)s. Signing and the e-mail are "
                    "queued and will run when the task queue is back."
                )
                % {"badge": badge.name, "email": email},
            )
        else:
            messages.success(
                request,
                _("“%(badge)s” is awarded to %(email)s.") % {"badge": badge.name, "email": email},
            )
        return redirect(_url("awards", issuer.slug) + f"?badge={badge.pk}")
    return render(request, "credentials/award_form.html", context)


@login_required
@second_factor_required
def award_list(request, slug):
    issuer = _issuer(request, slug)
    awards = Award.objects.filter(badge_class__issuer=issuer)
    totals = awards.aggregate(
        issued=Count("pk"), revoked=Count("pk", filter=Q(revoked_at__isnull=False))
    )
    form = AwardFilterForm(request.GET or None, issuer=issuer)
    matching = form.filter(awards).select_related("badge_class").order_by("-issued_on", "-pk")
    page = Paginator(matching, AWARDS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(award, services.award_status(award)) for award in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "issuer": issuer,
        "form": form,
        "page": page,
        "rows": rows,
        "totals": totals,
        "query": query.urlencode(),
    }
    return render(request, "credentials/award_list.html", context)


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def award_revoke(request, slug, public_id):
    issuer = _issuer(request, slug)
    award = get_object_or_404(
        Award.objects.select_related("badge_class"), public_id=public_id, badge_class__issuer=issuer
    )
    form = RevokeForm(request.POST or None)
    context = {"issuer": issuer, "award": award, "form": form}
    if award.is_revoked:
        messages.info(request, _("This credential is already revoked."))
        return redirect(_url("awards", issuer.slug))
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "credentials/award_revoke.html", context, status=400)
        try:
            services.revoke(award, form.cleaned_data["reason"], by=request.user)
        except services.AwardError as error:
            form.add_error("reason", str(error))
            return render(request, "credentials/award_revoke.html", context, status=400)
        messages.success(
            request,
            _("The “%(badge)s” credential of %(email)s is revoked.")
            % {"badge": award.badge_class.name, "email": award.recipient_email},
        )
        return redirect(_url("awards", issuer.slug))
    return render(request, "credentials/award_revoke.html", context)


@login_required
@second_factor_required
@require_POST
def award_resend_email(request, slug, public_id):
    """Send an award e-mail that was not delivered again (staff of the award's issuer)."""
    issuer = _issuer(request, slug)
    award = get_object_or_404(
        Award.objects.select_related("badge_class__issuer"),
        public_id=public_id,
        badge_class__issuer=issuer,
    )
    with backlog.watch() as not_queued:
        resent = emails.request_resend(award, request.user)
    if not resent:
        messages.info(request, _("There is nothing to resend: it was sent, or it is revoked."))
    elif not_queued:
        messages.warning(
            request,
            _("The e-mail to %(email)s is queued and will go out when the task queue is back.")
            % {"email": award.recipient_email},
        )
    else:
        messages.success(
            request,
            _("The e-mail to %(email)s is on its way again.") % {"email": award.recipient_email},
        )
    return redirect(_url("awards", issuer.slug) + f"?badge={award.badge_class_id}")
