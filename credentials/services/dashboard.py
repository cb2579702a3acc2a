"""What issuer staff see first in the Wagtail admin: their institutions' waiting requests, recent
bulk awards and recent awards — only of the institutions they act for."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from credentials.models import ApprovalRequest, Award, BulkAward, Issuer
from credentials.services.approvals import pending_for_user
from credentials.services.issuers import issuers_for

RECENT = 5


@dataclass
class StaffDesk:
    """The panels' contents for one person; empty (``shown`` False) for someone who acts for no
    institution."""

    issuers: list[Issuer] = field(default_factory=list)
    pending: list[ApprovalRequest] = field(default_factory=list)
    pending_count: int = 0
    bulk_jobs: list[BulkAward] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.issuers)


def staff_desk(user, recent: int = RECENT) -> StaffDesk:
    """The requests waiting for ``user``'s institutions (oldest first), their latest bulk awards
    and awards (newest first); nothing of any institution ``user`` does not act for."""
    if not getattr(user, "is_authenticated", False):
        return StaffDesk()
    issuers: QuerySet[Issuer] = issuers_for(user).order_by("name")
    listed = list(issuers[:20])
    if not listed:
        return StaffDesk()
    pending = pending_for_user(user)
    jobs = (
        BulkAward.objects.filter(badge_class__issuer__in=issuers)
        .select_related("badge_class__issuer")
        .defer("rows", "skipped")
        .order_by("-created_at")
    )
    awards = (
        Award.objects.filter(badge_class__issuer__in=issuers)
        .select_related("badge_class__issuer")
        .order_by("-issued_on", "-pk")
    )
    return StaffDesk(
        issuers=listed,
        pending=list(pending[:recent]),
        pending_count=pending.count(),
        bulk_jobs=list(jobs[:recent]),
        awards=list(awards[:recent]),
    )
