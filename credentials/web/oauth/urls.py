"""OAuth 2.0 endpoints at /oauth/: registration (RFC 7591), authorise, token, revoke."""

from django.urls import path  # noqa: F401

app_name = "oauth"

urlpatterns: list = []
