"""The learner's CLR 2.0 record, at /credentials/mine/record/."""

from django.urls import path

from credentials.web import views_clr

app_name = "clr"

urlpatterns = [
    path("<uuid:institution>/download/", views_clr.download, name="download"),
    path("<uuid:institution>/download/part-<int:part>/", views_clr.download, name="download_part"),
]
