"""A learner's public profile, at /people/."""

from django.urls import path

from credentials.web import views_profiles as views

app_name = "profiles"

urlpatterns: list = [
    path("me/", views.switch, name="switch"),
    path("<uuid:public_id>/", views.profile, name="profile"),
]
