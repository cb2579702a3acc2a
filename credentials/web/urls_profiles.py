"""A learner's public profile, at /people/."""

from django.urls import path  # noqa: F401

app_name = "profiles"

urlpatterns: list = []
