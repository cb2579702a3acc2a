"""The people's side of credentials, mounted at /credentials/ (namespace ``credentials_manage``).

* ``mine/`` — the learner's backpack ("My credentials") and the public/private switch.
* ``manage/`` — issuer staff: badge classes, publishing, awarding (one by one or from a CSV),
  revoking, the award list, a badge's language editions.
"""

from django.urls import include, path

from credentials.web import (
    second_factor,
    views_approvals,
    views_backpack,
    views_bulk,
    views_editions,
    views_endorse,
    views_issuer,
)

app_name = "credentials_manage"

urlpatterns = [
    path("mine/", views_backpack.backpack, name="backpack"),
    path(
        "mine/<uuid:public_id>/visibility/",
        views_backpack.award_visibility,
        name="award_visibility",
    ),
    path("mine/apps/", include("credentials.web.oauth.urls_pages")),
    path("mine/imported/", include("credentials.web.urls_imports")),
    path("mine/import/", include("credentials.web.urls_backpack_import")),
    path("mine/record/", include("credentials.web.urls_clr")),
    path("mine/wallet/", include("credentials.web.wallet.urls_pages")),
    path("claim/<str:token>/", views_backpack.claim, name="claim"),
    path("manage/", views_issuer.home, name="home"),
    path("manage/second-factor/", second_factor.explain, name="second_factor"),
    path("manage/endorse/<uuid:public_id>/", views_endorse.endorse, name="endorse"),
    path(
        "manage/endorsements/<uuid:public_id>/withdraw/",
        views_endorse.withdraw,
        name="endorsement_withdraw",
    ),
    path("manage/awards/", views_issuer.awards_home, name="awards_home"),
    path("manage/join/", views_approvals.join, name="join"),
    path("manage/requests/", views_approvals.mine, name="my_approvals"),
    path(
        "manage/requests/<uuid:public_id>/withdraw/",
        views_approvals.withdraw,
        name="approval_withdraw",
    ),
    path("manage/<slug:slug>/approvals/", views_approvals.desk, name="approvals"),
    path(
        "manage/<slug:slug>/approvals/<uuid:public_id>/<str:decision>/",
        views_approvals.decide,
        name="approval_decide",
    ),
    path("manage/<slug:slug>/badges/", views_issuer.badge_list, name="badges"),
    path("manage/<slug:slug>/badges/new/", views_issuer.badge_create, name="badge_new"),
    path("manage/<slug:slug>/badges/<slug:badge_slug>/", views_issuer.badge_detail, name="badge"),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/edit/",
        views_issuer.badge_edit,
        name="badge_edit",
    ),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/editions/",
        views_editions.edition_list,
        name="badge_editions",
    ),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/editions/<str:language>/",
        views_editions.edition_edit,
        name="badge_edition_edit",
    ),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/editions/<str:language>/delete/",
        views_editions.edition_delete,
        name="badge_edition_delete",
    ),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/publish/",
        views_issuer.badge_publish,
        name="badge_publish",
    ),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/award/",
        views_issuer.award_create,
        name="badge_award",
    ),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/award/bulk/",
        views_bulk.upload,
        name="badge_bulk_award",
    ),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/award/bulk/template.csv",
        views_bulk.template,
        name="badge_bulk_template",
    ),
    path("manage/<slug:slug>/bulk/<uuid:public_id>/", views_bulk.detail, name="bulk_award"),
    path(
        "manage/<slug:slug>/bulk/<uuid:public_id>/status/",
        views_bulk.status,
        name="bulk_award_status",
    ),
    path(
        "manage/<slug:slug>/bulk/<uuid:public_id>/results.csv",
        views_bulk.results,
        name="bulk_award_results",
    ),
    path(
        "manage/<slug:slug>/bulk/<uuid:public_id>/skipped.csv",
        views_bulk.skipped,
        name="bulk_award_skipped",
    ),
    path(
        "manage/<slug:slug>/bulk/<uuid:public_id>/start/",
        views_bulk.start,
        name="bulk_award_start",
    ),
    path(
        "manage/<slug:slug>/bulk/<uuid:public_id>/discard/",
        views_bulk.discard,
        name="bulk_award_discard",
    ),
    path("manage/<slug:slug>/awards/", views_issuer.award_list, name="awards"),
    path(
        "manage/<slug:slug>/awards/<uuid:public_id>/revoke/",
        views_issuer.award_revoke,
        name="award_revoke",
    ),
    path(
        "manage/<slug:slug>/awards/<uuid:public_id>/resend-email/",
        views_issuer.award_resend_email,
        name="award_resend_email",
    ),
]
