"""Public credential URLs, mounted at /credentials/ (namespace ``credentials``).

Included from credentials/urls.py; the stable public URLs of issued credentials live here.
"""

from django.urls import path

from credentials.web import views_editions
from credentials.web import views_public as v

urlpatterns = [
    # One award, every format. <uuid>/ negotiates: JSON-LD clients get the OB 2.0 assertion.
    path("<uuid:public_id>/", v.award, name="award"),
    path("<uuid:public_id>/assertion.json", v.award_ob2, name="award_ob2"),
    path("<uuid:public_id>/assertion.jws", v.award_ob2_signed, name="award_ob2_signed"),
    path("<uuid:public_id>/credential.json", v.award_ob3, name="award_ob3"),
    path("<uuid:public_id>/credential.jwt", v.award_jwt, name="award_jwt"),
    path("<uuid:public_id>/badge-ob2.png", v.award_png2, name="award_png2"),
    path("<uuid:public_id>/badge-ob2.svg", v.award_svg2, name="award_svg2"),
    path("<uuid:public_id>/badge-ob3.png", v.award_png3, name="award_png3"),
    path("<uuid:public_id>/badge-ob3.svg", v.award_svg3, name="award_svg3"),
    path("<uuid:public_id>/certificate.pdf", v.award_pdf, name="award_pdf"),
    # Issuers: OB 2.0 Issuer, OB 3.0 Profile, keys, revocation list, status lists.
    path("issuers/<uuid:public_id>/", v.issuer_ob2, name="issuer_ob2"),
    path("issuers/<uuid:public_id>/profile", v.issuer_profile, name="issuer_profile"),
    path("issuers/<uuid:public_id>/image", v.issuer_image, name="issuer_image"),
    path("issuers/<uuid:public_id>/revocations", v.revocation_list, name="revocation_list"),
    path(
        "issuers/<uuid:public_id>/status/<slug:purpose>",
        v.issuer_status_list,
        name="issuer_status_list",
    ),
    path("issuers/<uuid:public_id>/keys/<slug:key_id>", v.issuer_key, name="issuer_key"),
    path(
        "issuers/<uuid:public_id>/keys/<slug:key_id>.jwk",
        v.issuer_key_jwk,
        name="issuer_key_jwk",
    ),
    # Badge classes: OB 2.0 BadgeClass (= OB 3.0 Achievement id), image, and the status list
    # of the awards made before per-issuer status lists.
    path("badges/<uuid:public_id>/", v.badge_ob2, name="badge_ob2"),
    path("badges/<uuid:public_id>/image", v.badge_image, name="badge_image"),
    path("badges/<uuid:public_id>/status", v.status_list, name="status_list"),
    # A badge class's language edition: the OB 3.0 Achievement its credentials link as related.
    path(
        "badges/<uuid:public_id>/editions/<str:language>",
        views_editions.badge_edition,
        name="badge_edition",
    ),
    path("endorsements/<uuid:public_id>/", v.endorsement_ob2, name="endorsement_ob2"),
    path(
        "endorsements/<uuid:public_id>/credential.json",
        v.endorsement_ob3,
        name="endorsement_ob3",
    ),
    # The legacy inline EU context's namespace; our versioned JSON-LD contexts.
    path("vocab", v.vocabulary, name="vocabulary"),
    path("contexts/<slug:context>/<slug:version>", v.json_ld_context, name="json_ld_context"),
]
