"""Bringing badges into the backpack: a file, an address, or another backpack (OB 3.0 API
consumer), at /credentials/mine/import/."""

from django.urls import path  # noqa: F401

app_name = "backpack_import"

urlpatterns: list = []
