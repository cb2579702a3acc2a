from django.urls import include, path

from credentials.web import views

app_name = "credentials"

# Mounted at the site root by cms/urls.py:
#   /institutions/…  issuer pages (institution_patterns below)
#   /credentials/…   the public credential documents and pages (credentials/urls_public.py)

institution_patterns = [
    path("", views.issuer_list, name="issuers"),
    path("<slug:slug>/", views.issuer_detail, name="issuer"),
    path("<slug:slug>/edit/", views.issuer_edit, name="issuer_edit"),
]

urlpatterns = [
    path("institutions/", include(institution_patterns)),
    path("credentials/", include("credentials.web.urls_public")),
]
