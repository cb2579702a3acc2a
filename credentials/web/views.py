from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credentials import services
from credentials.models import BadgeClass, Endorsement, Issuer
from credentials.services import editions
from credentials.web.forms import IssuerProfileForm
from credentials.web.second_factor import second_factor_required
from lib import pagecache


def issuer_list(request):
    issuers = Issuer.objects.all()
    mine = set(services.issuers_for(request.user).values_list("pk", flat=True))
    return render(request, "credentials/issuer_list.html", {"issuers": issuers, "mine": mine})


@pagecache.cache_anonymous([pagecache.PAGES, pagecache.CREDENTIALS])
def issuer_detail(request, slug):
    """An institution's public page: who they are and the badges they award, with endorsements."""
    issuer = get_object_or_404(Issuer, slug=slug)
    badges = list(
        BadgeClass.objects.filter(issuer=issuer, status=BadgeClass.Status.PUBLISHED)
        .prefetch_related(
            Prefetch(
                "endorsements",
                queryset=Endorsement.objects.standing(),
                to_attr="standing",
            )
        )
        .order_by("name")
    )
    mine = set(
        services.issuers_for(request.user).exclude(pk=issuer.pk).values_list("pk", flat=True)
    )
    badges = editions.in_language_many(badges)  # in the reader's language, where written
    for badge in badges:
        badge.my_endorsements = [e for e in badge.standing if e.endorser_id in mine]
    context = {
        "issuer": issuer,
        "can_edit": services.can_act_for(request.user, issuer),
        "badges": badges,
        "can_endorse": bool(mine),
    }
    return render(request, "credentials/issuer_detail.html", context)


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def issuer_edit(request, slug):
    issuer = get_object_or_404(Issuer, slug=slug)
    if not services.can_act_for(request.user, issuer):
        raise PermissionDenied(_("Only this institution's staff may edit its profile."))
    form = IssuerProfileForm(request.POST or None, instance=Issuer.objects.get(pk=issuer.pk))
    if request.method == "POST" and form.is_valid():
        services.update_issuer_profile(issuer, form.cleaned_data, by=request.user)
        messages.success(
            request, _("The profile of %(issuer)s is saved.") % {"issuer": issuer.name}
        )
        return redirect(issuer)
    return render(request, "credentials/issuer_form.html", {"issuer": issuer, "form": form})
