"""Impact dashboards: a partnership's (for its members' staff), an institution's (for those who
act for it), the site's (for editors), each over a date range, with its tables as CSV.

Thin: who may see what is ``partnerships.services.access``, the figures
``partnerships.services.impact``, the tables ``partnerships.tables``. To anyone else a
partnership's or an institution's dashboard does not exist (404); the site's is refused (403).

Every dashboard asks issuer staff for a second factor used in this session
(``second_factor_required``). The site's shows every institution's courses, funnels and badges,
so it asks everyone who may see it, editors who act for no issuer included
(``_site_second_factor``).
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from credentials.models import Issuer
from credentials.services import second_factor_required
from credentials.services.second_factor import FACTORS, demo_exempt, satisfied
from partnerships.models import Partnership
from partnerships.services import access
from partnerships.services.impact import (
    ImpactError,
    Period,
    Scope,
    default_period,
    impact,
    institution_scope,
    parse_period,
    partnership_scope,
    site_scope,
)
from partnerships.tables import csv_text, headlines, impact_tables, sections

TEMPLATE = "partnerships/impact.html"


def _site_second_factor(view):
    """Under ``@second_factor_required``, which gates only people who act for an issuer: anyone
    else who may see the site's dashboard uses a second factor in this session first (or is a
    demo account under ``make run``). The credentials page that explains the rule sends a person
    who acts for no issuer straight back, so they go to allauth's own pages: proving a factor
    they have (then back here), or setting one up."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        user = request.user
        if not access.can_see_site(user) or demo_exempt(user) or satisfied(request):
            return view(request, *args, **kwargs)  # the view refuses those who may not see it
        kinds = set(
            Authenticator.objects.filter(user_id=user.pk, type__in=FACTORS).values_list(
                "type", flat=True
            )
        )
        if not kinds:
            messages.info(
                request,
                _(
                    "The site's impact dashboard needs a second factor. Set one up here, "
                    "then open the dashboard again."
                ),
            )
            return redirect("mfa_index")
        name = "mfa_reauthenticate"
        if Authenticator.Type.TOTP not in kinds:
            name = "mfa_reauthenticate_webauthn"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")

    return gated


@login_required
@second_factor_required
def partnership(request, slug: str):
    found = get_object_or_404(Partnership, slug=slug)
    if not access.is_member_staff(request.user, found):
        raise Http404
    return _dashboard(
        request,
        partnership_scope(found),
        name=found.slug,
        heading=_("Impact of %(name)s") % {"name": found.name},
        back=(reverse("partnerships:workspace", kwargs={"slug": found.slug}), found.name),
    )


@login_required
@second_factor_required
def institution(request, slug: str):
    found = get_object_or_404(Issuer, slug=slug)
    if not access.can_see_institution(request.user, found):
        raise Http404
    return _dashboard(
        request,
        institution_scope(found),
        name=found.slug,
        heading=_("Impact of %(name)s") % {"name": found.name},
    )


@login_required
@second_factor_required
@_site_second_factor
def site(request):
    if not access.can_see_site(request.user):
        raise PermissionDenied
    return _dashboard(request, site_scope(), name="site", heading=_("Impact across the site"))


def _presets(today: date) -> list[tuple[str, Period]]:
    return [
        (_("Last 12 months"), default_period(today)),
        (_("This year"), Period(date(today.year, 1, 1), today)),
        (_("Last year"), Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
    ]


def _query(period: Period, **more: str) -> str:
    return "?" + urlencode(
        {**more, "start": period.start.isoformat(), "end": period.end.isoformat()}
    )


def _dashboard(
    request, scope: Scope, *, name: str, heading: str, back: tuple[str, str] | None = None
):
    today = timezone.localdate()
    start = request.GET.get("start", "").strip()
    end = request.GET.get("end", "").strip()
    context = {
        "heading": heading,
        "scope": scope,
        "back": back,
        "start": start,
        "end": end,
        "presets": [
            {"label": label, "query": _query(p), "period": p} for label, p in _presets(today)
        ],
    }
    try:
        period = parse_period(start, end, today=today) if start or end else default_period(today)
    except ImpactError as error:
        context["error"] = str(error)
        return render(request, TEMPLATE, context, status=400)

    figures = impact(scope, period)
    if request.GET.get("format") == "csv":
        return _csv(figures, request.GET.get("table", ""), name)

    tables = impact_tables(figures)
    for slug, table in tables.items():
        table.download = _query(period, format="csv", table=slug)
    context.update(
        period=period,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        figures=figures,
        headlines=headlines(figures),
        summary=tables["summary"],
        sections=sections(tables),
        case_studies=figures.case_studies,
    )
    for preset in context["presets"]:
        preset["current"] = preset["period"] == period
    return render(request, TEMPLATE, context)


def _csv(figures, slug: str, name: str) -> HttpResponse:
    table = impact_tables(figures, charts=False).get(slug)
    if table is None:
        raise Http404
    period = figures.period
    filename = f"impact-{name}-{table.slug}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.csv"
    response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
