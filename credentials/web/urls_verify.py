"""The public verification page, mounted at /verify/ (namespace ``verify``)."""

from django.urls import path

from credentials.web import views_verify

app_name = "verify"

urlpatterns = [
    path("", views_verify.verify_page, name="page"),
]
