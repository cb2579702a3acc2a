"""Being written (issue 16)."""

from django.http import Http404


def workspace(request, **kwargs):
    raise Http404
