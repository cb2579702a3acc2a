"""/.well-known/openid-credential-issuer (OpenID4VCI 1.0 §12.2).

The credential issuer's id is SITE_URL. Should SITE_URL ever carry a path, 1.0 puts the
well-known segment before it (``/.well-known/openid-credential-issuer/<path>``): that form is
answered too (the site is then mounted under the path, so the proxy must route it).
"""

from django.urls import path, re_path

from credentials.web.wallet import views

app_name = "wallet_wellknown"

urlpatterns = [
    path("openid-credential-issuer", views.issuer_metadata, name="issuer_metadata"),
    re_path(
        r"^openid-credential-issuer(?P<suffix>/.+)$",
        views.issuer_metadata,
        name="issuer_metadata_path",
    ),
]
