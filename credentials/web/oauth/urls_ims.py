"""1EdTech APIs at /ims/: Open Badges 3.0 (/ims/ob/v3p0/) and CLR 2.0 (/ims/clr/v2p0/), and
their privacy page (/ims/privacy)."""

from django.urls import path

from credentials.web.oauth import views_clr, views_ob, views_pages

app_name = "ims"

urlpatterns = [
    path("ob/v3p0/discovery", views_ob.discovery_document, name="ob_discovery"),
    path("ob/v3p0/credentials", views_ob.credentials, name="ob_credentials"),
    path("ob/v3p0/profile", views_ob.profile, name="ob_profile"),
    path("clr/v2p0/discovery", views_clr.discovery_document, name="clr_discovery"),
    path("clr/v2p0/credentials", views_clr.credentials, name="clr_credentials"),
    path("privacy", views_pages.api_privacy, name="privacy"),
]
