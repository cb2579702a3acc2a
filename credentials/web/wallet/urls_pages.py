"""A learner's wallet offers, at /credentials/mine/wallet/."""

from django.urls import path  # noqa: F401

app_name = "wallet_pages"

urlpatterns: list = []
