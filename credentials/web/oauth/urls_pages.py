"""A learner's authorised applications, at /credentials/mine/apps/."""

from django.urls import path

from credentials.web.oauth import views_pages

app_name = "connected_apps"

urlpatterns = [
    path("", views_pages.connected_apps, name="list"),
    path("<int:application_id>/revoke/", views_pages.revoke, name="revoke"),
]
