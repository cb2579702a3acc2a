from allauth.account import views as account_views
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import i18n, sitemaps, views_account_data

from . import views

# Our profile page, and the old URL names the site's templates and views use, as aliases of
# allauth's views at allauth's own paths (allauth serves everything else under /accounts/).
accounts = [
    path("", views.account, name="account"),
    path("my-data/", views_account_data.download, name="account_data_download"),
    path("delete/", views_account_data.delete, name="account_delete"),
    path("login/", account_views.login, name="login"),
    path("signup/", account_views.signup, name="signup"),
    path("logout/", account_views.logout, name="logout"),
    path("password/reset/", account_views.password_reset, name="password_reset"),
    path("password/change/", account_views.password_change, name="password_change"),
]

# Addresses that are the same in every language: the admins, documents, the JSON API, the
# scripts' translations, the language switch and the sitemap.
urlpatterns = [
    # Both admins log in through allauth (verification, rate limits), not their own forms.
    path("django-admin/login/", views.admin_login),
    path("admin/login/", views.admin_login),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("credentials.web.api")),
    # Other systems: OAuth 2.0, the 1EdTech OB 3.0 and CLR 2.0 APIs, wallets (OpenID4VCI).
    path("oauth/", include("credentials.web.oauth.urls")),
    path("ims/", include("credentials.web.oauth.urls_ims")),
    path("wallet/", include("credentials.web.wallet.urls")),
    path(".well-known/", include("credentials.web.urls_wellknown")),
    # Accounts have one address in every language: the addresses identity providers call back
    # (OpenID Connect, SAML) and e-mailed links must not depend on the language of a page.
    path("accounts/", include(accounts)),
    path("accounts/", include("allauth.urls")),
    path("language/", i18n.switch_language, name="switch_language"),
    # The scripts' strings (static/js), one small file per language.
    path("jsi18n/<str:lang>/", i18n.javascript_catalogue, name="javascript-catalog"),
    # Search engines: every public page in every language, with its alternates.
    path("sitemap.xml", sitemaps.page_sitemap, name="sitemap"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages a person reads: English at the bare address, every other language under its prefix
# (/fr/…), so a shared link keeps its language. Credential documents resolve here too, but the
# URLs we sign are always reversed in the default language (credentials/issuing/links.py).
urlpatterns += i18n_patterns(
    path("verify/", include("credentials.web.urls_verify")),
    path("credentials/", include("credentials.web.urls_manage")),  # mine/ (backpack), manage/
    path("", include("credentials.web.urls")),  # /institutions/… and /credentials/…
    path("people/", include("credentials.web.urls_profiles")),
    path("mentors/", include("mentoring.urls")),
    path("learning/", include("learning.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("impact/", include("partnerships.urls_impact")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler500 = "cms.views.server_error"
