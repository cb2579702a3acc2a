"""Imported credentials in the backpack, at /credentials/mine/imported/."""

from django.urls import path

from credentials.web import views_imports as views

app_name = "imports"

urlpatterns: list = [
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/original/", views.original, name="original"),
    path("<uuid:public_id>/check/", views.check_again, name="check"),
    path("<uuid:public_id>/profile/", views.profile_visibility, name="profile"),
    path("<uuid:public_id>/remove/", views.remove, name="remove"),
]
