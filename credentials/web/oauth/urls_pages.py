"""A learner's authorised applications, at /credentials/mine/apps/."""

from django.urls import path  # noqa: F401

app_name = "connected_apps"

urlpatterns: list = []
