"""A learner's wallet offers, at /credentials/mine/wallet/."""

from django.urls import path

from credentials.web.wallet import pages

app_name = "wallet_pages"

urlpatterns = [
    path("<uuid:public_id>/offer/", pages.create, name="create"),
    path("offers/<uuid:public_id>/", pages.offer, name="offer"),
]
