"""The people's side of credentials, mounted at /credentials/ (namespace ``credentials_manage``).

* ``mine/`` — the learner's backpack ("My credentials") and the public/private switch.
* ``manage/`` — issuer staff: badge classes, publishing, awarding, revoking, the award list.
"""

from django.urls import path

from . import views_backpack, views_issuer

app_name = "credentials_manage"

urlpatterns = [
    path("mine/", views_backpack.backpack, name="backpack"),
    path(
        "mine/<uuid:public_id>/visibility/",
        views_backpack.award_visibility,
        name="award_visibility",
    ),
    path("claim/<str:token>/", views_backpack.claim, name="claim"),
    path("manage/", views_issuer.home, name="home"),
    path("manage/awards/", views_issuer.awards_home, name="awards_home"),
    path("manage/<slug:slug>/badges/", views_issuer.badge_list, name="badges"),
    path("manage/<slug:slug>/badges/new/", views_issuer.badge_create, name="badge_new"),
    path("manage/<slug:slug>/badges/<slug:badge_slug>/", views_issuer.badge_detail, name="badge"),
    path(
        "manage/<slug:slug>/badges/<slug:badge_slug>/edit/",
        views_issuer.badge_edit,
        name="badge_edit",
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
    path("manage/<slug:slug>/awards/", views_issuer.award_list, name="awards"),
    path(
        "manage/<slug:slug>/awards/<uuid:public_id>/revoke/",
        views_issuer.award_revoke,
        name="award_revoke",
    ),
]
