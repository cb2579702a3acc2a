"""Partnerships: the public pages and the members' workspace."""

from django.urls import path

from partnerships import views_public, views_workspace

app_name = "partnerships"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("<slug:slug>/", views_public.detail, name="detail"),
    path("<slug:slug>/workspace/", views_workspace.workspace, name="workspace"),
]
