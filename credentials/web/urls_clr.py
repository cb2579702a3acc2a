"""The learner's CLR 2.0 record, at /credentials/mine/record/."""

from django.urls import path  # noqa: F401

app_name = "clr"

urlpatterns: list = []
