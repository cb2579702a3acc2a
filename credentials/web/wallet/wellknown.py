"""/.well-known/openid-credential-issuer (OpenID4VCI 1.0 §12.2)."""

from django.urls import path  # noqa: F401

app_name = "wallet_wellknown"

urlpatterns: list = []
