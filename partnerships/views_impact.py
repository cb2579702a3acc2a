"""Being written (issue 16)."""

from django.http import Http404


def site(request, **kwargs):
    raise Http404


def partnership(request, **kwargs):
    raise Http404


def institution(request, **kwargs):
    raise Http404
