"""/.well-known/oauth-authorization-server (RFC 8414)."""

from django.urls import path  # noqa: F401

app_name = "oauth_wellknown"

urlpatterns: list = []
