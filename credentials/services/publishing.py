"""Publishing a badge class: a micro-credential needs every mandatory EU element first.

The mandatory elements of the Council Recommendation of 16 June 2022 (Annex I part 1, as the
table of :mod:`credentials.standards.eu_annex` marks them) that a badge class carries, itself
or through its issuer. Learner identification and date of issue come from each award, so a
badge class never lacks them; level (EQF) is mandatory only "if applicable", so it is optional
here.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.models import BadgeClass
from credentials.services.issuers import can_act_for
from credentials.standards import eu_annex


class PublishError(ValueError):
    """The badge class cannot be published; ``missing`` names what is missing."""

    def __init__(self, message: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.missing = list(missing or [])


def _present(value) -> bool:
    return value is not None and str(value).strip() != ""


def missing_required(badge_class: BadgeClass) -> list[str]:
    """Fields every badge class needs (Open Badges BadgeClass / Achievement)."""
    checks = [
        ("name", badge_class.name),
        ("description", badge_class.description),
        ("criteria", badge_class.criteria_narrative or badge_class.criteria_url),
    ]
    return [label for label, value in checks if not _present(value)]


def required_elements() -> tuple[eu_annex.AnnexElement, ...]:
    """The mandatory EU elements a badge class (or its issuer) must have before it is
    published as a micro-credential: all but those each award carries, in Annex I order."""
    return tuple(e for e in eu_annex.MANDATORY if e.source != eu_annex.AWARD)


def missing_elements(badge_class: BadgeClass) -> list[str]:
    """Human names of the mandatory EU micro-credential elements this badge class lacks."""
    issuer = badge_class.issuer if badge_class.issuer_id else None
    sources = {eu_annex.BADGE: badge_class, eu_annex.ISSUER: issuer}
    return [
        element.label_in(eu_annex.TEXT)
        for element in required_elements()
        if not _present(element.value_of(sources[element.source]))
    ]


def publish(badge_class: BadgeClass, by) -> BadgeClass:
    """Publish ``badge_class`` on behalf of ``by``. Idempotent.

    Raises PermissionError for anyone who does not act for its issuer, and PublishError (with
    ``.missing``) when a required field or — for a micro-credential — a mandatory EU element
    is missing.
    """
    with transaction.atomic():
        locked = (
            BadgeClass.objects.select_for_update().select_related("issuer").get(pk=badge_class.pk)
        )
        if by is not None and not can_act_for(by, locked.issuer):
            raise PermissionError(f"{by} does not act for {locked.issuer}.")
        if locked.status == BadgeClass.Status.PUBLISHED:
            return locked
        missing = missing_required(locked)
        if missing:
            raise PublishError(
                _("Fill in %(missing)s before publishing.")
                % {"missing": _join([_field_name(m) for m in missing])},
                missing,
            )
        if locked.is_micro_credential:
            missing = missing_elements(locked)
            if missing:
                raise PublishError(
                    _(
                        "A micro-credential needs every mandatory EU element before it is "
                        "published. Missing: %(missing)s."
                    )
                    % {"missing": _join(missing)},
                    missing,
                )
        locked.status = BadgeClass.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = by
        locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    badge_class.status, badge_class.published_at = locked.status, locked.published_at
    badge_class.published_by = locked.published_by
    return locked


def _field_name(name: str) -> str:
    """A required field's name as the person reads it (``missing`` keeps the English key)."""
    names = {"name": _("name"), "description": _("description"), "criteria": _("criteria")}
    return names.get(name, name)


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
