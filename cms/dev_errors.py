"""Our own 404 page under ``make run`` (DEBUG on), instead of Django's technical one.

With DEBUG on, Django answers a missing page with its yellow debug page, which lists every URL
pattern of the site to whoever asked. ``cms.settings.dev`` adds :class:`SiteNotFoundMiddleware`
last, so a visitor of the development server meets the page a visitor of the real site meets
(``templates/404.html``). Server errors keep Django's traceback page: that one is for the
developer at the console.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver
from django.views.defaults import page_not_found


class SiteNotFoundMiddleware:
    """Answer every 404 with the site's page, whatever DEBUG says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An address no URL pattern matches fails before any view runs, where process_exception
        # cannot see it: resolve it here first (innermost middleware, so after everything else).
        try:
            get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
        except Resolver404 as missing:
            return page_not_found(request, missing)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
