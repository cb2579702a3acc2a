"""Being written (issue 16)."""

from django.http import Http404


def index(request, **kwargs):
    raise Http404


def detail(request, **kwargs):
    raise Http404
