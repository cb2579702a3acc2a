"""Bringing badges into the backpack: a file, an address, or another backpack (OB 3.0 API
consumer), at /credentials/mine/import/."""

from django.urls import path

from credentials.web import views_backpack_import as views

app_name = "backpack_import"

urlpatterns = [
    path("", views.add, name="add"),
    path("hosts/", views.remote, name="remote"),
    path("hosts/callback/", views.remote_callback, name="remote_callback"),
    path("hosts/summary/", views.remote_summary, name="remote_summary"),
    path("hosts/<int:connection_id>/pull/", views.remote_pull, name="remote_pull"),
    path(
        "hosts/<int:connection_id>/disconnect/",
        views.remote_disconnect,
        name="remote_disconnect",
    ),
]
