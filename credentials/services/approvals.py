"""Approvals: what only an institution's own staff may allow.

Three things are done in an institution's name and so need its staff's approval first:

* **staff** — a person joining its staff (``Issuer.staff``): approving adds them;
* **mentor** — a mentor showing it as the institution they mentor for;
* **course badge** — a course awarding one of its badges on completion.

Other apps ask through ``request_mentor`` and ``request_course_badge`` with the primary key of
their subject (this app never imports them) and read the answer with ``is_approved`` or
``approved_exists``. Asking twice returns the same request; a person who already acts for the
institution (its staff, a superuser) is approved at once. Deciding is atomic and locks the row:
a second click on the same decision changes nothing, a different decision is refused.

After commit, ``signals.approval_requested`` (staff are e-mailed) and
``signals.approval_decided`` (the requester is e-mailed; learning awards waiting completions)
are sent; receivers enqueue the work.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from credentials import signals
from credentials.models import ApprovalRequest, BadgeClass, Issuer
from credentials.services.issuers import can_act_for, issuers_for

Kind = ApprovalRequest.Kind
State = ApprovalRequest.State


class ApprovalError(Exception):
    """A request that cannot be made or decided as asked; the message says why."""


def _already(approval: ApprovalRequest, on_day: bool = True) -> str:
    """Why a decided request cannot be decided again: its state, and when (if known)."""
    if on_day and approval.decided_at:
        day = formats.date_format(approval.decided_at, "DATE_FORMAT")
        sentences = {
            State.APPROVED: _("This request was approved already on %(day)s."),
            State.DECLINED: _("This request was declined already on %(day)s."),
            State.WITHDRAWN: _("This request was withdrawn already on %(day)s."),
        }
        return sentences[approval.state] % {"day": day}
    return {
        State.APPROVED: _("This request was approved already."),
        State.DECLINED: _("This request was declined already."),
        State.WITHDRAWN: _("This request was withdrawn already."),
    }[approval.state]


def _announce(approval: ApprovalRequest, decided: bool) -> None:
    pk = approval.pk
    if not decided:
        transaction.on_commit(
            lambda: signals.approval_requested.send(sender=ApprovalRequest, approval_pk=pk),
            robust=True,
        )
        return
    details = {
        "approval_pk": pk,
        "kind": approval.kind,
        "state": approval.state,
        "subject_id": approval.subject_id,
        "issuer_id": approval.issuer_id,
        "badge_class_id": approval.badge_class_id,
    }
    transaction.on_commit(
        lambda: signals.approval_decided.send(sender=ApprovalRequest, **details), robust=True
    )


def _apply(approval: ApprovalRequest) -> None:
    """What an approval does in this app: a new staff member joins."""
    if approval.kind == Kind.STAFF and approval.state == State.APPROVED:
        approval.issuer.staff.add(approval.subject_id)


def _ask(
    kind: str,
    issuer: Issuer,
    subject_id: int,
    *,
    by,
    label: str,
    url: str = "",
    badge: BadgeClass | None = None,
) -> ApprovalRequest:
    if by is None or not by.is_authenticated or not by.is_active:
        raise PermissionError(_("Sign in to ask an institution for approval."))
    if not isinstance(issuer, Issuer) or issuer.pk is None:
        raise ApprovalError(_("Choose an institution of this platform."))
    if not Issuer.objects.filter(pk=issuer.pk).exists():
        raise ApprovalError(_("That institution does not exist (any more)."))
    now = timezone.now()
    lookup = {"kind": kind, "subject_id": subject_id}
    lookup |= {"badge_class": badge} if badge is not None else {"issuer": issuer}
    with transaction.atomic():
        approval = ApprovalRequest.objects.select_for_update().filter(**lookup).first()
        if approval is None:
            try:
                with transaction.atomic():
                    approval = ApprovalRequest.objects.create(
                        **(lookup | {"issuer": issuer}),
                        subject_label=label[:300],
                        subject_url=url[:500],
                        requested_by=by,
                        requested_at=now,
                    )
            except IntegrityError:  # asked at the same moment: that request is this one
                approval = ApprovalRequest.objects.select_for_update().get(**lookup)
        elif approval.state in (State.PENDING, State.APPROVED):
            fresh = {"subject_label": label[:300], "subject_url": url[:500]}
            if any(getattr(approval, f) != v for f, v in fresh.items()):
                ApprovalRequest.objects.filter(pk=approval.pk).update(**fresh)
                for field, value in fresh.items():
                    setattr(approval, field, value)
            return approval
        else:  # declined or withdrawn before: asking again opens it anew
            approval.state = State.PENDING
            approval.requested_by, approval.requested_at = by, now
            approval.decided_by = approval.decided_at = None
            approval.subject_label, approval.subject_url = label[:300], url[:500]
            approval.save()
        if can_act_for(by, issuer):  # its own staff (or a superuser) need not ask themselves
            approval.state, approval.decided_by, approval.decided_at = State.APPROVED, by, now
            approval.save(update_fields=["state", "decided_by", "decided_at"])
            _apply(approval)
            _announce(approval, decided=True)
        else:
            _announce(approval, decided=False)
    return approval


def request_staff(issuer: Issuer, *, by) -> ApprovalRequest:
    """``by`` asks to join ``issuer``'s staff. Idempotent."""
    name = by.get_full_name() if hasattr(by, "get_full_name") else ""
    label = f"{name} ({by.email})" if name and name != by.email else by.email
    return _ask(Kind.STAFF, issuer, by.pk, by=by, label=label)


def request_mentor(issuer: Issuer, profile_id: int, *, by, label: str, url: str = ""):
    """``by`` asks to show ``issuer`` as the institution their mentor profile mentors for."""
    return _ask(Kind.MENTOR, issuer, profile_id, by=by, label=label, url=url)


def request_course_badge(badge: BadgeClass, course_id: int, *, by, label: str, url: str = ""):
    """``by`` (a course editor) asks that the course ``course_id`` may award ``badge``."""
    if not isinstance(badge, BadgeClass) or badge.pk is None:
        raise ApprovalError(_("Choose a badge of this platform."))
    return _ask(
        Kind.COURSE_BADGE, badge.issuer, course_id, by=by, label=label, url=url, badge=badge
    )


def preapprove(
    kind: str, issuer: Issuer, subject_id: int, *, label: str, badge: BadgeClass | None = None
) -> ApprovalRequest:
    """Record an approval nobody has to ask for (the demo data, a superuser's seeding).

    Sends nothing. Idempotent."""
    lookup = {"kind": kind, "subject_id": subject_id}
    lookup |= {"badge_class": badge} if badge is not None else {"issuer": issuer}
    now = timezone.now()
    with transaction.atomic():
        approval, _created = ApprovalRequest.objects.update_or_create(
            **lookup,
            defaults={"issuer": issuer, "state": State.APPROVED, "decided_at": now},
            create_defaults={
                "issuer": issuer,
                "subject_label": label[:300],
                "state": State.APPROVED,
                "requested_at": now,
                "decided_at": now,
            },
        )
        _apply(approval)
    return approval


def _decide(approval: ApprovalRequest | str, state: str, by) -> ApprovalRequest:
    public_id = getattr(approval, "public_id", approval)
    with transaction.atomic():
        locked = (
            ApprovalRequest.objects.select_for_update(of=("self",))
            .select_related("issuer")
            .filter(public_id=public_id)
            .first()
        )
        if locked is None:
            raise ApprovalError(_("There is no such request."))
        if by is None or not can_act_for(by, locked.issuer):
            raise PermissionError(
                _("Only %(institution)s's staff may decide this request.")
                % {"institution": locked.issuer.name}
            )
        if locked.state == state:
            return locked  # the same decision twice (a double click): nothing changes
        if locked.state != State.PENDING:
            raise ApprovalError(_already(locked))
        locked.state, locked.decided_by, locked.decided_at = state, by, timezone.now()
        locked.save(update_fields=["state", "decided_by", "decided_at"])
        _apply(locked)
        _announce(locked, decided=True)
    return locked


def approve(approval: ApprovalRequest | str, *, by) -> ApprovalRequest:
    """``by``, staff of the request's institution, approves it. Idempotent."""
    return _decide(approval, State.APPROVED, by)


def decline(approval: ApprovalRequest | str, *, by) -> ApprovalRequest:
    """``by``, staff of the request's institution, declines it. Idempotent."""
    return _decide(approval, State.DECLINED, by)


def withdraw(approval: ApprovalRequest | str, *, by) -> ApprovalRequest:
    """The person who asked takes a pending request back. Idempotent."""
    public_id = getattr(approval, "public_id", approval)
    with transaction.atomic():
        locked = ApprovalRequest.objects.select_for_update().filter(public_id=public_id).first()
        if locked is None:
            raise ApprovalError(_("There is no such request."))
        if by is None or not by.is_authenticated or locked.requested_by_id != by.pk:
            raise PermissionError(_("Only the person who asked may withdraw this request."))
        if locked.state == State.WITHDRAWN:
            return locked
        if locked.state != State.PENDING:
            raise ApprovalError(_already(locked, on_day=False))
        locked.state, locked.decided_at = State.WITHDRAWN, timezone.now()
        locked.save(update_fields=["state", "decided_at"])
    return locked


def withdraw_others(kind: str, subject_id: int, *, keep: Issuer | None = None) -> int:
    """Withdraw the subject's pending requests to any institution but ``keep`` (a mentor who
    changed institution). Returns how many."""
    pending = ApprovalRequest.objects.filter(kind=kind, subject_id=subject_id, state=State.PENDING)
    if keep is not None:
        pending = pending.exclude(issuer=keep)
    return pending.update(state=State.WITHDRAWN, decided_at=timezone.now())


# --- reading ------------------------------------------------------------------------------------


def is_approved(
    kind: str, subject_id: int, issuer: Issuer | None = None, badge: BadgeClass | None = None
) -> bool:
    rows = ApprovalRequest.objects.filter(kind=kind, subject_id=subject_id, state=State.APPROVED)
    rows = rows.filter(badge_class=badge) if badge is not None else rows.filter(issuer=issuer)
    return rows.exists()


def request_for(
    kind: str, subject_id: int, issuer: Issuer | None = None, badge: BadgeClass | None = None
) -> ApprovalRequest | None:
    """The subject's request to this institution (or for this badge), whatever its state."""
    rows = ApprovalRequest.objects.select_related("issuer").filter(kind=kind, subject_id=subject_id)
    rows = rows.filter(badge_class=badge) if badge is not None else rows.filter(issuer=issuer)
    return rows.first()


def approved_exists(kind: str, subject: OuterRef | str, *, issuer=None, badge=None) -> Exists:
    """An ``Exists`` for querysets of other apps: ``subject`` (and ``issuer`` or ``badge``) are
    ``OuterRef``s, e.g.
    ``approved_exists("mentor", OuterRef("pk"), issuer=OuterRef("institution"))``.
    """
    rows = ApprovalRequest.objects.filter(kind=kind, subject_id=subject, state=State.APPROVED)
    if badge is not None:
        rows = rows.filter(badge_class=badge)
    if issuer is not None:
        rows = rows.filter(issuer=issuer)
    return Exists(rows)


def pending_for(issuer: Issuer) -> QuerySet[ApprovalRequest]:
    """What waits on this institution's desk, oldest first."""
    return (
        ApprovalRequest.objects.filter(issuer=issuer, state=State.PENDING)
        .select_related("requested_by", "badge_class")
        .order_by("requested_at")
    )


def pending_for_user(user) -> QuerySet[ApprovalRequest]:
    """Every pending request of every institution this person acts for."""
    return (
        ApprovalRequest.objects.filter(issuer__in=issuers_for(user), state=State.PENDING)
        .select_related("issuer", "requested_by", "badge_class")
        .order_by("requested_at")
    )


def requests_by(user) -> QuerySet[ApprovalRequest]:
    """The requests this person made, newest first."""
    if not user.is_authenticated:
        return ApprovalRequest.objects.none()
    return ApprovalRequest.objects.filter(requested_by=user).select_related("issuer")


def waiting_message(approval: ApprovalRequest) -> str:
    """What the requester reads about their request."""
    name = approval.issuer.name
    return {
        State.PENDING: f"Waiting for {name}'s staff to approve.",
        State.APPROVED: f"Approved by {name}.",
        State.DECLINED: f"{name}'s staff declined this request.",
        State.WITHDRAWN: "You withdrew this request.",
    }[approval.state]
