"""Which language a page is shown in, and the switch between languages.

The order is the issue's: the account's language, else the browser's (the ``language`` cookie
the switch sets, then ``Accept-Language``), else the site's default. Pages a person reads are
under ``i18n_patterns`` (cms/urls.py): English at the bare address, other languages under their
prefix. The language in an address always wins, so a shared ``/fr/…`` link stays French; a bare
address is sent on to the preferred language's prefix when that is not the default.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, URLResolver, get_script_prefix
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django.views.i18n import JavaScriptCatalog

from lib.i18n import supported, with_prefix


class ProjectJavaScriptCatalog(JavaScriptCatalog):
    """Only our own scripts' strings (locale/<lang>/LC_MESSAGES/djangojs.po), not every app's."""

    packages = ["cms"]

    def get_paths(self, packages):
        return [str(path) for path in settings.LOCALE_PATHS]


def preferred_language(request: HttpRequest) -> str:
    """The account's language, else the switch's cookie or the browser's, else the default."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = supported(getattr(user, "language", ""))
        if chosen:
            return chosen
    cookie = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie
    return supported(translation.get_language_from_request(request)) or settings.LANGUAGE_CODE


@lru_cache(maxsize=8)
def _everywhere(urlconf: str) -> URLResolver:
    """A resolver of the addresses outside ``i18n_patterns`` (they have one address each)."""
    patterns = [
        p
        for p in import_module(urlconf).urlpatterns
        if not isinstance(p.pattern, LocalePrefixPattern)
    ]
    return URLResolver(RegexPattern(r"^/"), patterns)


def _prefixed(request: HttpRequest, language: str) -> str | None:
    """This request's address under ``language``'s prefix; None outside ``i18n_patterns``."""
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    try:
        _everywhere(urlconf).resolve(request.path_info)
    except Resolver404:
        script_prefix = get_script_prefix()
        return request.get_full_path().replace(script_prefix, f"{script_prefix}{language}/", 1)
    return None


class PreferredLanguageMiddleware:
    """After sign-in is known: the language of an address without a language prefix.

    Django's LocaleMiddleware has already taken a prefix from the path. A bare address of the
    translated site resolves only in the default language, so a browser navigating to one
    (GET, ``Accept: text/html``) whose person prefers another language is sent on to its
    prefixed address before any view runs; links on that page then keep the language. Documents
    (JSON, images), the API, the admins and the switch are not under ``i18n_patterns``: they
    run in the preferred language at their one address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if translation.get_language_from_path(request.path_info):
            return self.get_response(request)
        language = preferred_language(request)
        if language != settings.LANGUAGE_CODE:
            target = _prefixed(request, language)
            if target is None:
                # Not a page of the translated site: it has one address, in every language.
                translation.activate(language)
                request.LANGUAGE_CODE = language
            elif request.method in ("GET", "HEAD") and "text/html" in request.headers.get(
                "Accept", ""
            ):
                redirect = HttpResponseRedirect(target)
                patch_vary_headers(redirect, ("Accept", "Accept-Language", "Cookie"))
                redirect["Cache-Control"] = "private, no-cache"
                return redirect
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def _is_local(request: HttpRequest, url: str) -> bool:
    """A path of this site: one slash, then no second slash or backslash, no scheme or host."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


@require_http_methods(["GET", "POST"])
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch to ``language`` and go back to ``next`` in it.

    Anyone may switch by following a link (GET): it only sets the ``language`` cookie, so the
    header's links can sit on cached anonymous pages. A signed-in person switches with the
    header's form (POST, CSRF-checked), which also stores the choice on their account, so their
    e-mails follow it; a GET never changes an account.
    """
    data = request.POST if request.method == "POST" else request.GET
    language = supported(data.get("language"))
    if language is None or language != data.get("language"):
        raise Http404("No such language.")
    next_url = data.get("next") or "/"
    if not _is_local(request, next_url):
        next_url = "/"
    target = with_prefix(next_url, language)
    if not _is_local(request, target):
        target = with_prefix("/", language)
    response = HttpResponseRedirect(target)
    if request.method == "POST" and request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def javascript_catalogue(request: HttpRequest, lang: str) -> HttpResponse:
    """The scripts' translations in ``lang``: one address per language, so caches keep each."""
    language = supported(lang)
    if language is None or language != lang:
        raise Http404("No such language.")
    with translation.override(language):
        response = ProjectJavaScriptCatalog.as_view()(request)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def alternates(request: HttpRequest) -> list[tuple[str, str, str]]:
    """(code, name, path) of this page in every language: the switch's links and hreflang."""
    here = request.get_full_path()
    return [(code, name, with_prefix(here, code)) for code, name in settings.LANGUAGES]
