"""Imported credentials in the backpack, at /credentials/mine/imported/."""

from django.urls import path  # noqa: F401

app_name = "imports"

urlpatterns: list = []
