"""/.well-known/: the OAuth authorization server's metadata and the credential issuer's."""

from django.urls import include, path

urlpatterns = [
    path("", include("credentials.web.oauth.wellknown")),
    path("", include("credentials.web.wallet.wellknown")),
]
