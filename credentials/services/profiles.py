"""A learner's public profile at /people/<public_id>/, off until they switch it on; and what a
learner's data export holds of their imported credentials and profile, and what deleting the
account removes.

The profile shows the name they give themselves (never as a verified identity), their public,
unrevoked awards here, and the imported credentials they chose, each with our verifier's
verdict (:mod:`credentials.services.imports`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.conf import settings as conf
from credentials.models import Award
from credentials.models.imports import ImportedCredential, PublicProfile
from credentials.services import imports

# A stale verdict seen on a page is queued again at most this often, and at most this many per
# page view; beat's re-check (:func:`recheck_public`) keeps what profiles show fresh anyway.
REFRESH_EVERY_SECONDS = 600
MAX_REFRESH_PER_VIEW = 20


def profile_of(user: Any) -> PublicProfile | None:
    """``user``'s public profile settings (None until they first switch it on)."""
    return PublicProfile.objects.filter(user=user).first()


def set_profile_public(user: Any, public: bool) -> PublicProfile:
    """Switch ``user``'s public profile on or off (its address stays the same)."""
    try:
        with transaction.atomic():
            profile, _created = PublicProfile.objects.get_or_create(user=user)
    except IntegrityError:  # created by a double click in between
        profile = PublicProfile.objects.get(user=user)
    PublicProfile.objects.filter(pk=profile.pk).update(is_public=public)
    profile.is_public = public
    return profile


@dataclass(frozen=True)
class ProfileView:
    profile: PublicProfile
    name: str  # as the learner calls themselves; never a verified identity
    awards: list[Award]
    imported: list[ImportedCredential]


def chosen_name(user: Any) -> str:
    """The name the learner gave themselves ("" if none: their e-mail address is never shown)."""
    full = " ".join(part for part in (user.first_name, user.last_name) if part)
    return (getattr(user, "display_name", "") or full).strip()


def public_profile(public_id: uuid.UUID | str) -> ProfileView | None:
    """What the profile ``public_id`` shows anyone, or None when it is not public."""
    profile = (
        PublicProfile.objects.select_related("user")
        .filter(public_id=public_id, is_public=True, user__is_active=True)
        .first()
    )
    if profile is None:
        return None
    user = profile.user
    awards = (
        Award.objects.filter(recipient=user, is_public=True, revoked_at__isnull=True)
        .select_related("badge_class__issuer")
        .order_by("-issued_on", "-pk")
    )
    # Only what our verifier found valid (a stale "valid" shows as being checked again).
    imported = ImportedCredential.objects.filter(owner=user, on_profile=True, verdict="valid")
    return ProfileView(
        profile=profile, name=chosen_name(user), awards=list(awards), imported=list(imported)
    )


def set_on_profile(owner: Any, public_id: uuid.UUID | str, shown: bool) -> ImportedCredential:
    """Show one of ``owner``'s imported credentials on their public profile, or hide it.

    Only one our verifier found valid may be shown (:class:`imports.Rejected` ``not_valid``);
    hiding is always allowed. DoesNotExist for anyone else's.
    """
    row = imports.own(owner, public_id)
    if shown and row.verdict != "valid":
        raise imports.Rejected(
            "not_valid",
            _(
                "Only a credential our verifier found valid can go on your public profile; "
                "“%(name)s” is not (see its verdict)."
            )
            % {"name": row},
        )
    ImportedCredential.objects.filter(pk=row.pk).update(on_profile=shown)
    row.on_profile = shown
    return row


# --- verdicts expire: checked again in the background ------------------------------------------


def refresh_stale(rows: Iterable[ImportedCredential], limit: int = MAX_REFRESH_PER_VIEW) -> int:
    """Queue our verifier's check of each of ``rows`` whose verdict is stale (at most ``limit``,
    each at most once per :data:`REFRESH_EVERY_SECONDS`); how many were queued. Never checks
    in the caller's request: a visitor's page view only queues."""
    queued = 0
    for row in rows:
        if queued >= limit:
            break
        if row.verdict_is_stale and imports.queue_check(row.pk, REFRESH_EVERY_SECONDS):
            queued += 1
    return queued


def recheck_public() -> int:
    """Queue the check of every imported credential a public profile shows (or hides while it
    is not valid) whose verdict is older than half its lifetime; from beat. How many."""
    older = timezone.now() - timedelta(seconds=conf.IMPORT_VERDICT_MAX_AGE_SECONDS / 2)
    rows = ImportedCredential.objects.filter(
        Q(checked_at__isnull=True) | Q(checked_at__lt=older),
        on_profile=True,
        owner__is_active=True,
        owner__public_profile__is_public=True,
    )
    queued = 0
    for pk in rows.values_list("pk", flat=True).iterator():
        queued += imports.queue_check(pk, REFRESH_EVERY_SECONDS)
    return queued


# --- the learner's data: export and deletion ----------------------------------------------------


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_of(user: Any) -> dict[str, Any]:
    """What ``data.json`` holds of ``user``'s public profile and imported credentials (each
    original is a file of its own: :func:`export_files`)."""
    profile = profile_of(user)
    return {
        "public_profile": {
            "id": str(profile.public_id),
            "public": profile.is_public,
            "created_at": _when(profile.created_at),
        }
        if profile
        else None,
        "imported_credentials": [
            {
                "id": str(row.public_id),
                "file": _file_name(row),
                "credential_id": row.credential_id,
                "format": row.format,
                "claimed_issuer_id": row.claimed_issuer_id,
                "claimed_issuer_name": row.claimed_issuer_name,
                "achievement_name": row.achievement_name,
                "added_by_application": row.application.name if row.application else None,
                "added_at": _when(row.created_at),
                "updated_at": _when(row.updated_at),
                "verdict": row.verdict,
                "checked_at": _when(row.checked_at),
                "on_profile": row.on_profile,
            }
            for row in _imported(user)
        ],
    }


def _imported(user: Any):
    return ImportedCredential.objects.filter(owner=user).select_related("application")


def _file_name(row: ImportedCredential) -> str:
    extension = "jwt" if row.format == ImportedCredential.Format.JWT else "json"
    return f"imported/{row.public_id}.{extension}"


def export_files(user: Any) -> Iterator[tuple[str, bytes]]:
    """(path in the ZIP, the original bytes) of each of ``user``'s imported credentials."""
    for row in _imported(user).iterator():
        yield _file_name(row), row.body.encode("utf-8")


def forget(user: Any) -> None:
    """Deleting the account: its imported credentials and its public profile go."""
    ImportedCredential.objects.filter(owner=user).delete()
    PublicProfile.objects.filter(user=user).delete()
