"""OpenID4VCI protocol endpoints at /wallet/: credential, nonce, offer by reference.

The token endpoint is /oauth/token/ (the OAuth app dispatches the pre-authorised code grant
to ``views.pre_authorized_token``); the metadata is under /.well-known/ (``wellknown``).
"""

from django.urls import path

from credentials.web.wallet import views

app_name = "wallet"

urlpatterns = [
    path("offers/<uuid:public_id>", views.offer, name="offer"),
    path("nonce", views.nonce, name="nonce"),
    path("credential", views.credential, name="credential"),
]
