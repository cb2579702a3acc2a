"""What a partnership's public page shows, chosen by its members' staff: the page itself, the
agreed vision and goals, and the headline figures. Nothing is public until a member chooses so
(editors may also set it in the Wagtail admin)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.models import Partnership
from partnerships.services.access import members_signed_for

__all__ = ["CHOICES", "PublicationError", "set_publication"]

CHOICES = ("is_public", "publish_framework", "publish_figures")


class PublicationError(PermissionError):
    """Why the choice was refused, for the person who tried (translated)."""


@transaction.atomic
def set_publication(
    partnership: Partnership,
    by,
    *,
    is_public: bool,
    publish_framework: bool,
    publish_figures: bool,
) -> Partnership:
    """``by`` (listed in the staff of a member institution) sets what the public page shows.
    Setting the same choices again changes nothing."""
    if not members_signed_for(by, partnership).exists():
        raise PublicationError(
            _("Only the staff of a member institution may choose what is published.")
        )
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    wanted = {
        "is_public": bool(is_public),
        "publish_framework": bool(publish_framework),
        "publish_figures": bool(publish_figures),
    }
    changed = [name for name, value in wanted.items() if getattr(locked, name) != value]
    if changed:
        for name in changed:
            setattr(locked, name, wanted[name])
        locked.save(update_fields=[*changed, "updated_at"])
    for name in CHOICES:
        setattr(partnership, name, getattr(locked, name))
    return locked
