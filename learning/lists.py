"""Lists in a sentence, in the active language: "A, B and C", "A, B or C"."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _


def both(items: Iterable[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def either(items: Iterable[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
