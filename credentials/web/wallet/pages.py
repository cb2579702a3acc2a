"""The learner's side: "Add to a wallet" (make an offer) and the offer's page with its QR code.

Only the credential's holder: anyone else gets 404 (the same answer as for no credential).
"""

from __future__ import annotations

import base64
import io

import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from credentials.models import Award
from credentials.models.wallets import WalletOffer
from credentials.services import wallet


def qr_data_uri(text: str) -> str:
    """A PNG QR code as a ``data:`` URI (our CSP allows data: images, no inline SVG styles)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@login_required
@require_POST
def create(request: HttpRequest, public_id) -> HttpResponse:
    award = Award.objects.filter(public_id=public_id, recipient=request.user).first()
    if award is None:  # someone else's, or none at all: the same answer
        raise Http404("No credential of yours has this id.")
    try:
        offer, _created = wallet.create_offer(
            award, request.user, renew=request.POST.get("renew") == "1"
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("credentials:award", public_id=award.public_id)
    return redirect("credentials_manage:wallet_pages:offer", public_id=offer.public_id)


@login_required
@require_GET
def offer(request: HttpRequest, public_id) -> HttpResponse:
    found = (
        WalletOffer.objects.select_related("award__badge_class__issuer", "award__recipient")
        .filter(public_id=public_id, created_by=request.user, award__recipient=request.user)
        .first()
    )
    if found is None:
        raise Http404("No offer of yours has this id.")
    state = wallet.offer_state(found)
    context = {
        "offer": found,
        "award": found.award,
        "badge": found.award.badge_class,
        "state": state,
        "received": list(found.issued.all()),
        "masked_address": wallet.masked(wallet.holder_address(found.award)),
    }
    if state == "live":
        link = wallet.deep_link(found)
        context.update(deep_link=link, qr=qr_data_uri(link))
    response = render(request, "credentials/wallet/offer.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
