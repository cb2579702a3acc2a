"""The OpenID Connect URLs allauth would add, served by cms.sso.views (allauth includes this
module for the provider class configured in settings)."""

from django.urls import include, path, re_path

from . import views

urlpatterns = [
    re_path(
        r"^oidc/(?P<provider_id>[^/]+)/",
        include(
            [
                path("login/", views.login, name="openid_connect_login"),
                path("login/callback/", views.callback, name="openid_connect_callback"),
            ]
        ),
    )
]
