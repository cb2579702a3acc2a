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
from urllib.parse import urlsplit

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.urls import Resolver404, ResolverMatch, URLResolver, get_script_prefix
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django.views.i18n import JavaScriptCatalog
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from lib.i18n import supported, with_prefix, without_prefix


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


def _urlconf(request: HttpRequest) -> str:
    return getattr(request, "urlconf", None) or settings.ROOT_URLCONF


def _answering(path: str, urlconf: str) -> ResolverMatch | None:
    """The view answering ``path`` at its one address, if one does."""
    try:
        return _everywhere(urlconf).resolve(path)
    except Resolver404:
        return None


def has_one_address(path: str, urlconf: str | None = None) -> bool:
    """Whether ``path`` (a path without a language prefix or query) is outside ``i18n_patterns``:
    the same address in every language. So is one lacking only its trailing slash (``/admin``,
    which CommonMiddleware completes) and anything below their folders that nothing answers
    (``/api/v1/nonexistent``): a 404 there has no address in another language either."""
    urlconf = urlconf or settings.ROOT_URLCONF
    if _answering(path, urlconf) is not None:
        return True
    if settings.APPEND_SLASH and not path.endswith("/") and _answering(f"{path}/", urlconf):
        return True
    below = path[1:] if path.startswith("/") else path
    return any(
        isinstance(pattern, URLResolver) and pattern.pattern.match(below)
        for pattern in _everywhere(urlconf).url_patterns
    )


def address_in(url: str, language: str, urlconf: str | None = None) -> str:
    """``url`` (a path of this site, maybe with a query) in ``language``: the same path under
    the language's prefix on the translated site; the one address, unprefixed, elsewhere (there
    the ``language`` cookie, the account or the browser chooses the language)."""
    bare = without_prefix(url)
    if has_one_address(urlsplit(bare).path, urlconf):
        return bare
    return with_prefix(bare, language)


def _prefixed(request: HttpRequest, language: str) -> str | None:
    """This request's address under ``language``'s prefix; None outside ``i18n_patterns``."""
    if has_one_address(request.path_info, _urlconf(request)):
        return None
    script_prefix = get_script_prefix()
    return request.get_full_path().replace(script_prefix, f"{script_prefix}{language}/", 1)


def same_for_everyone(view):
    """Mark a view whose answer depends on its address alone (the scripts' catalogue of the
    language it names, the sitemap): the middleware neither reads the person nor varies the
    answer on their cookie, so caches keep one copy."""
    view.same_for_everyone = True
    return view


def _redirect_in(request: HttpRequest, language: str) -> HttpResponse | None:
    """A Wagtail redirect (wagtail.contrib.redirects) of the bare address, reached under
    ``language``'s prefix (``/fr/old-slug``): to its page in that language. Editors make a
    redirect once, for the bare address; Wagtail's middleware only looks the full path up."""
    path = Redirect.normalise_path(without_prefix(request.get_full_path()), decode_unicode=False)
    redirect = get_redirect(request, path)
    if redirect is None and urlsplit(path).path != path:
        redirect = get_redirect(request, urlsplit(path).path)
    link = redirect.link if redirect is not None else None
    if link is None:
        return None
    if _is_local(request, link):
        link = address_in(link, language, _urlconf(request))
    if redirect.is_permanent:
        return HttpResponsePermanentRedirect(link)
    return HttpResponseRedirect(link)


class PreferredLanguageMiddleware:
    """After sign-in is known: the language of an address without a language prefix.

    Django's LocaleMiddleware has already taken a prefix from the path. A bare address of the
    translated site resolves only in the default language, so a browser navigating to one
    (GET, ``Accept: text/html``) whose person prefers another language is sent on to its
    prefixed address before any view runs; links on that page then keep the language. Documents
    (JSON, images), the API, the admins and the switch are not under ``i18n_patterns``: they
    run in the preferred language at their one address (``has_one_address``), and views marked
    ``same_for_everyone`` in none. A 404 under a prefix may be a Wagtail redirect made for the
    bare address (``_redirect_in``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_address = translation.get_language_from_path(request.path_info)
        if in_address:
            response = self.get_response(request)
            if response.status_code == 404:
                return _redirect_in(request, in_address) or response
            return response
        view = _answering(request.path_info, _urlconf(request))
        if view is not None and getattr(view.func, "same_for_everyone", False):
            response = self.get_response(request)
            session = getattr(request, "session", None)
            if session is not None and not session.modified:
                # Other middlewares read who is signed in on every request; the answer does not
                # depend on it, so SessionMiddleware adds no "Vary: Cookie" for this reading.
                session.accessed = False
            return response
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
    target = address_in(next_url, language, _urlconf(request))
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


@same_for_everyone
def javascript_catalogue(request: HttpRequest, lang: str) -> HttpResponse:
    """The scripts' translations in ``lang``: one address per language, so caches keep each
    (whoever asks: no ``Vary`` on the cookie or the browser's language)."""
    language = supported(lang)
    if language is None or language != lang:
        raise Http404("No such language.")
    with translation.override(language):
        response = ProjectJavaScriptCatalog.as_view()(request)
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Language"] = language
    return response


def _here(request: HttpRequest, query: bool) -> tuple[str, bool]:
    """This request's address without a language prefix, and whether it is the same in every
    language."""
    here = without_prefix(request.get_full_path() if query else escape_uri_path(request.path))
    return here, has_one_address(without_prefix(request.path_info), _urlconf(request))


def alternates(request: HttpRequest, query: bool = True) -> list[tuple[str, str, str]]:
    """(code, name, path) of this page in every language: the header's switch, with the query
    so that switching keeps a search (``hreflang`` names the same paths without it). An address
    that is the same in every language (accounts, the admins, the API, and their 404s) is that
    address for each: the switch's cookie changes its language."""
    here, one = _here(request, query)
    return [
        (code, name, here if one else with_prefix(here, code)) for code, name in settings.LANGUAGES
    ]


def hreflang(request: HttpRequest) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of this page in every language, then ``x-default`` (the bare
    address, English), without the query: ``<link rel="alternate">`` for search engines. None
    for an address that is the same in every language: it has no editions."""
    here, one = _here(request, query=False)
    if one:
        return []
    links = [(code, with_prefix(here, code)) for code, _ in settings.LANGUAGES]
    links.append(("x-default", with_prefix(here, settings.LANGUAGE_CODE)))
    return [(code, settings.SITE_URL + path) for code, path in links]
