from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("", views.issuer_list, name="issuers"),
    path("<slug:slug>/", views.issuer_detail, name="issuer"),
    path("<slug:slug>/edit/", views.issuer_edit, name="issuer_edit"),
]
