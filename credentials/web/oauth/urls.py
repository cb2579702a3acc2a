"""OAuth 2.0 endpoints at /oauth/: registration (RFC 7591), authorise, token, revoke."""

from django.urls import path

from credentials.web.oauth import views_oauth

app_name = "oauth"

urlpatterns = [
    path("register", views_oauth.register, name="register"),
    path("authorize/", views_oauth.AuthorizationView.as_view(), name="authorize"),
    path("token/", views_oauth.TokenView.as_view(), name="token"),
    path("revoke/", views_oauth.RevokeTokenView.as_view(), name="revoke"),
]
