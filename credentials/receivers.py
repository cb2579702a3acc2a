"""Signal receivers of the credentials app (connected in CredentialsConfig.ready)."""

from __future__ import annotations

from typing import Any

from . import verify_site


def forget_issuer_on_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An institution or one of its keys changed: the verifier reads it afresh (on commit)."""
    issuer = getattr(instance, "issuer", instance)
    verify_site.forget_issuer(issuer)


_STATUS_FIELDS = frozenset({"revoked_at", "revoked_by", "revocation_reason"})


def forget_award_on_revocation(
    sender: Any, instance: Any, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """An award's revocation changed (or it was deleted): the verifier reads it afresh.

    Saves that touch only other fields (signing, baking, e-mail) keep the cache.
    """
    if created or (update_fields is not None and not _STATUS_FIELDS & set(update_fields)):
        return
    verify_site.forget_award(instance)
