"""The site's URLs (cms.urls) behind one bench-only bare view: a response with no work in it."""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cms.urls import handler500  # noqa: F401
from cms.urls import urlpatterns as site_patterns


def bare(request: HttpRequest) -> HttpResponse:
    """The process id of the worker that answered: bench/stack.py warms every worker up."""
    return HttpResponse(str(os.getpid()), content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare), *site_patterns]
