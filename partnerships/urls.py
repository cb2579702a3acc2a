"""Partnerships: the public pages and the members' workspace."""

from django.urls import path

from partnerships import views_public, views_workspace

app_name = "partnerships"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("<slug:slug>/", views_public.detail, name="detail"),
    path("<slug:slug>/workspace/", views_workspace.workspace, name="workspace"),
    path("<slug:slug>/workspace/agree/", views_workspace.agree, name="agree"),
    path("<slug:slug>/workspace/framework/", views_workspace.propose, name="propose"),
    path(
        "<slug:slug>/workspace/framework/<int:number>/",
        views_workspace.version,
        name="version",
    ),
]
