"""OpenID4VCI protocol endpoints at /wallet/: credential, nonce, offer by reference."""

from django.urls import path  # noqa: F401

app_name = "wallet"

urlpatterns: list = []
