"""1EdTech APIs at /ims/: Open Badges 3.0 (/ims/ob/v3p0/) and CLR 2.0 (/ims/clr/v2p0/)."""

from django.urls import path  # noqa: F401

app_name = "ims"

urlpatterns: list = []
