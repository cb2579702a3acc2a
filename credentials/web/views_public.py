"""Every machine-readable format of a credential, at stable absolute URLs, and the award page.

Privacy (the README's "Privacy" section says the same; tests/credentials/web/test_privacy.py
checks each promise). The HTML page and the downloads (baked images, PDF) are for the learner
and the issuer's staff, and for everyone else only when the learner made the award public;
others get 404, as for an unknown id. The documents a verifier fetches (badge, issuer, keys,
revocation and status lists) are public. An award's own documents (the OB 2.0 assertion and
JWS, the OB 3.0 credential and VC-JWT) are public when the award is, and when it is private
only if they carry nothing personal beyond the hashed e-mail: an award with evidence (its
narratives) or whose signed credential names the learner answers 404 to others while private.
A revoked award's 410 answer carries only its id and the reason and is always served.
Answers about a private award are ``Cache-Control: private, no-store``; those about a public
award are revalidated (``no-cache``), so making an award private takes effect at once.

Every GET answer carries ``Access-Control-Allow-Origin: *``, an ETag (a hash of the body) and
answers a matching ``If-None-Match`` with 304.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from credentials import services
from credentials.issuing import baking, openbadges2, openbadges3
from credentials.issuing import endorsements as issued_endorsements
from credentials.issuing.links import absolute
from credentials.issuing.signing import sign_award
from credentials.models import (
    Award,
    BadgeClass,
    Endorsement,
    Issuer,
    IssuerKey,
    StatusList,
)
from credentials.services.editions import in_language, signed_title
from credentials.standards import eu_terms
from credentials.standards.jsonld import default_store
from lib import pagecache
from lib.i18n import with_prefix
from lib.pagecache import cache_anonymous

JSON_LD = "application/ld+json"
CACHE_PUBLIC = "public, max-age=300"
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
# Our own JSON-LD contexts: permanent (w3id.org) URLs under this prefix, served here too.
OWN_CONTEXTS = eu_terms.CONTEXT_URL.rsplit("/contexts/", 1)[0] + "/contexts/"


def _finish(
    request: HttpRequest,
    body: bytes,
    content_type: str,
    *,
    status: int = 200,
    cache: str = CACHE_PUBLIC,
    filename: str | None = None,
) -> HttpResponse:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if status == 200 and etag in [
        t.strip() for t in request.headers.get("If-None-Match", "").split(",")
    ]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type, status=status)
    response["ETag"] = etag
    response["Cache-Control"] = cache
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json(
    request: HttpRequest, document: Any, content_type: str = JSON_LD, **kwargs
) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return _finish(request, body, content_type, **kwargs)


def _award(public_id) -> Award:
    return get_object_or_404(
        Award.objects.select_related("badge_class__issuer", "recipient"), public_id=public_id
    )


def _can_manage(request: HttpRequest, award: Award) -> bool:
    """Issuer staff see a private award, once their second factor is used in this session."""
    acts = services.can_act_for(request.user, award.badge_class.issuer)
    return acts and services.second_factor_cleared(request)


def _is_owner(user, award: Award) -> bool:
    return (
        user.is_authenticated and award.recipient_id is not None and award.recipient_id == user.pk
    )


CACHE_PRIVATE = "private, no-store"


def _may_see(request: HttpRequest, award: Award, can_manage: bool | None = None) -> bool:
    """The learner, the issuer's staff, or anyone when the award is public."""
    if award.is_public or _is_owner(request.user, award):
        return True
    return can_manage if can_manage is not None else _can_manage(request, award)


def _private_guard(request: HttpRequest, award: Award, can_manage: bool | None = None) -> None:
    """The page and downloads: owner, issuer staff, or anyone if public; else 404."""
    if not _may_see(request, award, can_manage):
        raise Http404("No such credential.")


def carries_personal_data(award: Award) -> bool:
    """Whether the award's documents say more about the learner than the hashed e-mail: its
    evidence (names, narratives, links) or, in the signed OB 3.0 credential, their name."""
    if award.evidence or award.names_learner:
        return True
    # Not signed yet: it will name the learner if the issuer chose so and it has a name.
    issuer = award.badge_class.issuer
    return (
        award.signed_at is None
        and bool((award.recipient_name or "").strip())
        and issuer.learner_identification == Issuer.LearnerIdentification.NAME_AND_EMAIL
    )


def _documents_guard(request: HttpRequest, award: Award) -> None:
    """The award's own documents: anyone, unless the award is private and they carry personal
    data (then only the learner and the issuer's staff; others get 404)."""
    if award.is_public or not carries_personal_data(award):
        return
    _private_guard(request, award)


def _privacy_headers(response: HttpResponse, award: Award, public_cache: str) -> HttpResponse:
    """A private award's answers are never stored by any cache; a public one's as asked."""
    if award.is_public:
        if response.status_code in (200, 304):
            response["Cache-Control"] = public_cache
    else:
        response["Cache-Control"] = CACHE_PRIVATE
        patch_vary_headers(response, ["Cookie"])
    return response


def formats(award: Award) -> list[dict[str, str]]:
    """Every other format of the award, for ``<link rel="alternate">`` and the downloads."""
    pid = award.public_id
    return [
        {"label": _("Open Badges 2.0 assertion (JSON-LD)"), "mime": JSON_LD,
         "url": absolute("award_ob2", public_id=pid), "rel": "alternate"},
        {"label": _("Open Badges 2.0 signed assertion (JWS)"), "mime": "application/jose",
         "url": absolute("award_ob2_signed", public_id=pid), "rel": "alternate"},
        {"label": _("Open Badges 3.0 credential (JSON-LD)"), "mime": openbadges3.CONTENT_TYPE,
         "url": absolute("award_ob3", public_id=pid), "rel": "alternate"},
        {"label": _("Open Badges 3.0 VC-JWT"), "mime": openbadges3.JWT_CONTENT_TYPE,
         "url": absolute("award_jwt", public_id=pid), "rel": "alternate"},
        {"label": _("Baked PNG (Open Badges 2.0)"), "mime": "image/png",
         "url": absolute("award_png2", public_id=pid), "rel": "alternate"},
        {"label": _("Baked SVG (Open Badges 2.0)"), "mime": "image/svg+xml",
         "url": absolute("award_svg2", public_id=pid), "rel": "alternate"},
        {"label": _("Baked PNG (Open Badges 3.0)"), "mime": "image/png",
         "url": absolute("award_png3", public_id=pid), "rel": "alternate"},
        {"label": _("Baked SVG (Open Badges 3.0)"), "mime": "image/svg+xml",
         "url": absolute("award_svg3", public_id=pid), "rel": "alternate"},
        {"label": _("PDF certificate"), "mime": "application/pdf",
         "url": absolute("award_pdf", public_id=pid), "rel": "alternate"},
    ]  # fmt: skip


def _wants_json(request: HttpRequest) -> bool:
    """Content negotiation: JSON(-LD) clients get the assertion, browsers the page."""
    accept = request.headers.get("Accept", "")
    best: tuple[float, str] = (-1.0, "")
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mime = fields[0].lower()
        quality = 1.0
        for field in fields[1:]:
            if field.startswith("q="):
                try:
                    quality = float(field[2:])
                except ValueError:
                    quality = 0.0
        known = mime in (JSON_LD, "application/json", "text/html", "application/xhtml+xml")
        # Equal quality: the first listed wins (browsers list text/html first).
        if known and (quality > best[0] or (quality == best[0] and order == 0)):
            best = (quality, mime)
    return best[1] in (JSON_LD, "application/json") and best[0] > 0


def _assertion_type(request: HttpRequest) -> str:
    """The assertion's content type: JSON-LD, unless the client asks for plain JSON only."""
    accept = request.headers.get("Accept", "")
    if "application/ld+json" not in accept and "json" in accept:
        return "application/json"
    return JSON_LD


def _page_or_assertion(request: HttpRequest) -> str:
    """What ``award`` answers this request with (the page cache keeps each apart)."""
    return _assertion_type(request) if _wants_json(request) else "text/html"


def _award_tags(request: HttpRequest, public_id) -> list[str]:
    """An award's page and documents show the award, its badge and issuer, and the menus."""
    return [pagecache.PAGES, pagecache.CREDENTIALS, pagecache.award_tag(public_id)]


def _until_expiry(response: HttpResponse, award: Award) -> HttpResponse:
    """The page cache keeps an answer about an award that expires no longer than its validity."""
    if award.valid_until is not None:
        left = (award.valid_until - timezone.now()).total_seconds()
        response.page_cache_seconds = max(int(left), 0)
    return response


def _assertion_response(request: HttpRequest, award: Award) -> HttpResponse:
    content_type = _assertion_type(request)
    if award.is_revoked:  # only the id and the reason: served to anyone
        response = _json(request, openbadges2.revoked_assertion_document(award), content_type,
                         status=410, cache="no-cache")  # fmt: skip
        return _privacy_headers(response, award, "no-cache")
    _documents_guard(request, award)
    response = _json(request, openbadges2.assertion_document(award), content_type)
    return _until_expiry(_privacy_headers(response, award, "no-cache"), award)


@require_safe
@cache_anonymous(_award_tags, variant=_page_or_assertion)
def award(request: HttpRequest, public_id) -> HttpResponse:
    """The one public URL of an award: the OB 2.0 assertion for JSON clients, else the page."""
    found = _award(public_id)
    if _wants_json(request):
        response = _assertion_response(request, found)
        patch_vary_headers(response, ["Accept"])
        return response
    can_manage = _can_manage(request, found)
    _private_guard(request, found, can_manage)
    # In the reader's language where the badge has an edition in it; its signed words a click
    # away, on the page in the language of issue.
    found.badge_class = in_language(found.badge_class)
    signed_name, signed_language = signed_title(found)
    context = {
        "signed_name": signed_name,
        "signed_language": signed_language,
        "as_signed_url": with_prefix(request.path, signed_language),
        "award": found,
        "badge": found.badge_class,
        "issuer": found.badge_class.issuer,
        "status": services.award_status(found),
        "formats": formats(found),
        "can_manage": can_manage,
        "is_owner": _is_owner(request.user, found),
        "documents_open": not carries_personal_data(found),
        "endorsements": issued_endorsements.carried(found.ob3_credential),
    }
    response = render(request, "credentials/award_detail.html", context)
    response["Cache-Control"] = "private, no-cache" if found.is_public else CACHE_PRIVATE
    patch_vary_headers(response, ["Accept", "Cookie"])
    return _until_expiry(response, found)


@require_safe
@cache_anonymous(_award_tags, variant=_assertion_type)
def award_ob2(request: HttpRequest, public_id) -> HttpResponse:
    return _assertion_response(request, _award(public_id))


def _signed(request: HttpRequest, public_id) -> Award:
    """The award, signed, if this visitor may read its documents (else 404)."""
    found = sign_award(_award(public_id))
    _documents_guard(request, found)
    return found


@require_safe
@cache_anonymous(_award_tags)
def award_ob2_signed(request: HttpRequest, public_id) -> HttpResponse:
    found = _signed(request, public_id)
    response = _finish(request, found.ob2_signed.encode("ascii"), "application/jose")
    return _until_expiry(_privacy_headers(response, found, "public, no-cache"), found)


@require_safe
@cache_anonymous(_award_tags)
def award_ob3(request: HttpRequest, public_id) -> HttpResponse:
    found = _signed(request, public_id)
    response = _json(request, found.ob3_credential, openbadges3.CONTENT_TYPE)
    return _until_expiry(_privacy_headers(response, found, "public, no-cache"), found)


@require_safe
@cache_anonymous(_award_tags)
def award_jwt(request: HttpRequest, public_id) -> HttpResponse:
    found = _signed(request, public_id)
    response = _finish(request, found.ob3_jwt.encode("ascii"), openbadges3.JWT_CONTENT_TYPE)
    return _until_expiry(_privacy_headers(response, found, "public, no-cache"), found)


def _download(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    found = _award(public_id)
    _private_guard(request, found)
    data = baking.baked_image(found, fmt).data  # baked now from the stored signed documents
    slug = found.badge_class.slug or "badge"
    version = "ob2" if fmt.endswith("2") else "ob3"
    response = _finish(request, data, baking.MIME[fmt], cache="private, max-age=300",
                       filename=f"{slug}-{version}.{baking.EXTENSION[fmt]}")  # fmt: skip
    return _privacy_headers(response, found, "private, max-age=300")


@require_safe
def award_png2(request, public_id):
    return _download(request, public_id, baking.Format.PNG2)


@require_safe
def award_svg2(request, public_id):
    return _download(request, public_id, baking.Format.SVG2)


@require_safe
def award_png3(request, public_id):
    return _download(request, public_id, baking.Format.PNG3)


@require_safe
def award_svg3(request, public_id):
    return _download(request, public_id, baking.Format.SVG3)


@require_safe
def award_pdf(request: HttpRequest, public_id) -> HttpResponse:
    from credentials.issuing import pdf

    found = _award(public_id)
    _private_guard(request, found)
    found.badge_class = in_language(found.badge_class)
    response = _finish(request, pdf.certificate(found), "application/pdf",
                       cache="private, no-cache",
                       filename=f"{found.badge_class.slug or 'badge'}-certificate.pdf")  # fmt: skip
    return _privacy_headers(response, found, "private, no-cache")


@require_safe
@cache_anonymous([pagecache.CREDENTIALS])
def issuer_ob2(request: HttpRequest, public_id) -> HttpResponse:
    issuer = get_object_or_404(Issuer, public_id=public_id)
    return _json(request, openbadges2.issuer_document(issuer))


@require_safe
@cache_anonymous([pagecache.CREDENTIALS])
def issuer_profile(request: HttpRequest, public_id) -> HttpResponse:
    issuer = get_object_or_404(Issuer, public_id=public_id)
    return _json(request, openbadges3.profile_document(issuer))


def _key(public_id, key_id) -> IssuerKey:
    return get_object_or_404(
        IssuerKey.objects.select_related("issuer"), issuer__public_id=public_id, key_id=key_id
    )


@require_safe
@cache_anonymous([pagecache.CREDENTIALS])
def issuer_key(request: HttpRequest, public_id, key_id) -> HttpResponse:
    """Ed25519 keys as a Multikey (Data Integrity), RSA keys as an OB 2.0 CryptographicKey."""
    key = _key(public_id, key_id)
    if key.algorithm == IssuerKey.Algorithm.ED25519:
        return _json(request, openbadges3.multikey_document(key))
    return _json(request, openbadges2.key_document(key))


@require_safe
@cache_anonymous([pagecache.CREDENTIALS])
def issuer_key_jwk(request: HttpRequest, public_id, key_id) -> HttpResponse:
    return _json(request, openbadges3.jwk_document(_key(public_id, key_id)), "application/jwk+json")


@require_safe
def issuer_image(request: HttpRequest, public_id) -> HttpResponse:
    issuer = get_object_or_404(Issuer, public_id=public_id)
    if not issuer.image:
        raise Http404("This issuer has no image.")
    with issuer.image.open("rb") as handle:
        data = handle.read()
    kind = baking.bakery.image_type(data)
    return _finish(request, data, "image/png" if kind == "png" else "image/svg+xml")


@require_safe
def revocation_list(request: HttpRequest, public_id) -> HttpResponse:
    issuer = get_object_or_404(Issuer, public_id=public_id)
    return _json(request, openbadges2.revocation_list_document(issuer), cache="no-cache")


def _badge(public_id) -> BadgeClass:
    badge = get_object_or_404(BadgeClass.objects.select_related("issuer"), public_id=public_id)
    if badge.status == BadgeClass.Status.DRAFT and not badge.awards.exists():
        raise Http404("No such badge.")
    return badge


@require_safe
@cache_anonymous([pagecache.CREDENTIALS])
def badge_ob2(request: HttpRequest, public_id) -> HttpResponse:
    return _json(request, openbadges2.badge_document(_badge(public_id)))


@require_safe
def badge_image(request: HttpRequest, public_id) -> HttpResponse:
    badge = get_object_or_404(BadgeClass, public_id=public_id)
    data, kind = baking.source_image(badge)
    return _finish(request, data, "image/png" if kind == "png" else "image/svg+xml")


@require_safe
def status_list(request: HttpRequest, public_id) -> HttpResponse:
    """The badge's own status list (awards made before per-issuer lists reference it)."""
    badge = _badge(public_id)
    if not badge.awards.filter(status_list=None).exists():
        raise Http404("This badge's awards are in their issuer's status list.")
    return _json(request, openbadges3.status_list_credential(badge), openbadges3.CONTENT_TYPE,
                 cache="no-cache")  # fmt: skip


@require_safe
def issuer_status_list(request: HttpRequest, public_id, purpose: str) -> HttpResponse:
    """The issuer's Bitstring Status List for ``purpose`` (revocation), signed."""
    found = get_object_or_404(
        StatusList.objects.select_related("issuer"), issuer__public_id=public_id, purpose=purpose
    )
    return _json(request, openbadges3.issuer_status_list_credential(found),
                 openbadges3.CONTENT_TYPE, cache="no-cache")  # fmt: skip


@require_safe
def vocabulary(request: HttpRequest) -> HttpResponse:
    """The inline JSON-LD context that credentials signed before the versioned EU context
    carry: their EU terms' IRIs are at this address."""
    return _json(request, {"@context": openbadges3.legacy_eu_context()})


@require_safe
@cache_anonymous([])
def json_ld_context(request: HttpRequest, context: str, version: str) -> HttpResponse:
    """One of our versioned JSON-LD contexts, exactly as shipped (its permanent w3id.org URL
    redirects here). Verifiers we did not write fetch it from there."""
    url = f"{OWN_CONTEXTS}{context}/{version}"
    if url not in default_store.urls:
        raise Http404("No such context.")
    return _json(request, default_store.get_context(url), cache=CACHE_IMMUTABLE)


def _endorsement(public_id) -> Endorsement:
    return get_object_or_404(
        Endorsement.objects.select_related("badge_class__issuer", "endorser").exclude(
            credential=None
        ),
        public_id=public_id,
    )


@require_safe
@cache_anonymous([pagecache.CREDENTIALS])
def endorsement_ob2(request: HttpRequest, public_id) -> HttpResponse:
    """The hosted OB 2.0 Endorsement (410 Gone with ``revoked`` once withdrawn)."""
    found = _endorsement(public_id)
    if found.is_withdrawn:
        return _json(
            request, openbadges2.withdrawn_endorsement_document(found), status=410, cache="no-cache"
        )
    return _json(request, openbadges2.endorsement_document(found), cache="no-cache")


@require_safe
@cache_anonymous([pagecache.CREDENTIALS])
def endorsement_ob3(request: HttpRequest, public_id) -> HttpResponse:
    """The signed OB 3.0 EndorsementCredential (410 Gone once withdrawn)."""
    found = _endorsement(public_id)
    if found.is_withdrawn:
        return _json(
            request, openbadges2.withdrawn_endorsement_document(found), status=410, cache="no-cache"
        )
    return _json(request, openbadges3.as_proof_set(found.credential), openbadges3.CONTENT_TYPE,
                 cache="no-cache")  # fmt: skip
