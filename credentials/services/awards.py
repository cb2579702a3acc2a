"""The issuer's business rules: who acts for which issuer, awarding and revoking.

Everything that gives or takes back a credential — a course completing, a mentoring programme,
issuer staff in the admin, a bulk CSV, a command — calls ``award()`` and ``revoke()``.
"""

import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials import signals
from credentials.models import Award, BadgeClass, StatusList
from credentials.services.issuers import can_act_for
from credentials.standards import statuslist
from credentials.standards.identity import hash_identity

MAX_EMAIL_LENGTH = 254  # what Award.recipient_email holds (RFC 5321's path limit)
# Storing awards is retried when a concurrent call took a drawn status list position first.
STORE_ATTEMPTS = 5
_IN_CHUNK = 500  # status positions checked per query (SQLite's variable limit)


class AwardError(ValueError):
    """An award or revocation that cannot be made, with a reason a person can read."""


@dataclass(frozen=True)
class Evidence:
    """What the awarding app sends to show why the credential was earned."""

    name: str
    narrative: str = ""
    url: str = ""

    def as_dict(self) -> dict:
        return {key: value for key, value in vars(self).items() if value}


def _recipient(recipient) -> tuple[object | None, str, str]:
    """Split ``recipient`` (a user or an e-mail address) into user, e-mail and display name."""
    if isinstance(recipient, str):
        user, email, name = None, recipient.strip().lower(), ""
    else:
        user, email, name = recipient, (recipient.email or "").lower(), recipient.get_full_name()
    try:
        validate_email(email)
    except ValidationError as error:
        raise AwardError(
            _("%(email)s is not a valid e-mail address.") % {"email": email}
            if email
            else _("An empty address is not a valid e-mail address.")
        ) from error
    if len(email) > MAX_EMAIL_LENGTH:
        raise AwardError(
            _("An e-mail address may be at most %(n)s characters long.") % {"n": MAX_EMAIL_LENGTH}
        )
    return user, email, name


def _evidence(evidence: Iterable[Evidence | dict] | None) -> list[dict]:
    items = []
    for item in evidence or []:
        data = item.as_dict() if isinstance(item, Evidence) else dict(item)
        if not data.get("name") and not data.get("narrative"):
            raise AwardError(_("Each piece of evidence needs a name or a narrative."))
        items.append({k: str(v) for k, v in data.items() if k in {"name", "narrative", "url"}})
    return items


@dataclass(frozen=True)
class Grant:
    """One recipient of :func:`award_many`: a user or an e-mail address, and why."""

    recipient: object
    evidence: tuple = ()
    idempotency_key: str | None = None
    name: str = ""


def award(
    badge_class: BadgeClass,
    recipient,
    evidence: Iterable[Evidence | dict] | None = None,
    awarded_by=None,
    *,
    idempotency_key: str | None = None,
    issued_on: datetime | None = None,
) -> Award:
    """Give ``badge_class`` to ``recipient`` (a user or an e-mail address). Atomic, idempotent.

    The same person does not get the same badge twice unless the badge allows re-award; then
    callers pass an ``idempotency_key`` (a course run, a programme enrolment…) so that a retry
    still awards once. ``awarded_by`` is the person acting, or None for an automatic award;
    a person must act for the badge's issuer.
    """
    grant = Grant(recipient, tuple(evidence or ()), idempotency_key)
    [(given, _created)] = award_many(badge_class, [grant], awarded_by, issued_on=issued_on)
    return given


def award_many(
    badge_class: BadgeClass,
    grants: Sequence[Grant],
    awarded_by=None,
    *,
    issued_on: datetime | None = None,
    bulk_award=None,
    bake: bool = True,
    send_email: bool = True,
) -> list[tuple[Award, bool]]:
    """``award()`` for many recipients in one transaction: ``(award, created)`` per grant, in order.

    Every grant is checked before anything is stored (an ``AwardError`` names the bad one).
    A recipient who already holds the badge (or a repeated grant) gets the existing award with
    ``created`` False. After commit, each new award is announced (``signals.award_issued``;
    ``awards_issued`` queues the e-mail unless ``send_email`` is False: a bulk chunk sends
    its own right after signing them) and, unless ``bake`` is False (the bulk job signs its
    chunk itself), signed by a background task. Each new award takes a random free position
    in its issuer's revocation status list (one list per issuer, shared by all its badges:
    herd privacy).
    """
    if awarded_by is not None and not can_act_for(awarded_by, badge_class.issuer):
        raise PermissionError(f"{awarded_by} does not act for {badge_class.issuer}.")
    if badge_class.status != BadgeClass.Status.PUBLISHED:
        raise AwardError(
            _("“%(badge)s” is not published, so it cannot be awarded yet.")
            % {"badge": badge_class.name}
        )
    prepared = []
    for grant in grants:
        user, email, name = _recipient(grant.recipient)
        if badge_class.allow_reaward:
            key = f"badge:{badge_class.pk}:{grant.idempotency_key or uuid.uuid4()}"
        else:
            key = f"badge:{badge_class.pk}:{email}"
        prepared.append((user, email, name or grant.name, _evidence(grant.evidence), key))
    keys = [item[4] for item in prepared]
    found = {a.idempotency_key: a for a in Award.objects.filter(idempotency_key__in=keys)}
    if all(key in found for key in keys):
        return [(found[key], False) for key in keys]
    issued = issued_on or timezone.now()
    for attempt in range(STORE_ATTEMPTS):
        try:
            found, new = _store(
                badge_class, prepared, awarded_by, issued, bulk_award, bake, send_email=send_email
            )
            break
        except IntegrityError:
            # A concurrent call stored the same key (theirs is the award: found on the next
            # try) or took a status list position we drew (we draw again).
            if attempt == STORE_ATTEMPTS - 1:
                raise
    seen: set[str] = set()
    result = []
    for key in keys:
        result.append((found[key], found[key].pk in new and key not in seen))
        seen.add(key)
    return result


def _store(
    badge_class: BadgeClass,
    prepared: list[tuple],
    awarded_by,
    issued: datetime,
    bulk_award,
    bake: bool,
    *,
    send_email: bool = True,
) -> tuple[dict[str, Award], set[int]]:
    """Store the awards ``prepared`` for keys not yet awarded, in one transaction."""
    keys = [item[4] for item in prepared]
    with transaction.atomic():
        locked = BadgeClass.objects.select_for_update().get(pk=badge_class.pk)
        if BadgeClass.issuer.is_cached(badge_class):
            locked.issuer = badge_class.issuer  # read once by whoever signs these awards
        found = {a.idempotency_key: a for a in Award.objects.filter(idempotency_key__in=keys)}
        count = len({key for key in keys if key not in found})
        status_list = revocation_list_for_update(locked.issuer_id) if count else None
        positions = free_status_positions(status_list, count) if status_list else []
        valid_for = timedelta(days=locked.validity_days) if locked.validity_days else None
        made: list[Award] = []
        for user, email, name, items, key in prepared:
            if key in found:
                continue
            salt = secrets.token_hex(16)
            found[key] = Award(
                public_id=uuid.uuid4(),
                badge_class=locked,
                recipient=user,
                recipient_email=email,
                recipient_name=name,
                salt=salt,
                identity_hash=hash_identity(email, salt),
                issued_on=issued,
                valid_until=issued + valid_for if valid_for else None,
                evidence=items,
                awarded_by=awarded_by,
                idempotency_key=key,
                status_list=status_list,
                status_index=positions[len(made)],
                bulk_award=bulk_award,
            )
            made.append(found[key])
        Award.objects.bulk_create(made)
        pks = [a.pk for a in made]
        transaction.on_commit(lambda: _after_award(made, bake=bake, email=send_email))
    return found, set(pks)


def revocation_list_for_update(issuer_id: int) -> StatusList:
    """The issuer's revocation status list (made on first use), locked until commit."""
    status_list, _created = StatusList.objects.get_or_create(
        issuer_id=issuer_id, purpose=StatusList.Purpose.REVOCATION
    )
    return StatusList.objects.select_for_update().get(pk=status_list.pk)


def free_status_positions(status_list: StatusList, count: int) -> list[int]:
    """``count`` random, unused positions in ``status_list`` (locked by the caller), growing
    the list first if these would fill it more than half."""
    used = Award.objects.filter(status_list=status_list).count()
    length = statuslist.grown_length(status_list.length, used, count)
    if length != status_list.length:
        status_list.length = length
        status_list.save(update_fields=["length"])

    def taken(candidates: set[int]) -> set[int]:
        ordered = sorted(candidates)
        found: set[int] = set()
        for start in range(0, len(ordered), _IN_CHUNK):
            found.update(
                Award.objects.filter(
                    status_list=status_list, status_index__in=ordered[start : start + _IN_CHUNK]
                ).values_list("status_index", flat=True)
            )
        return found

    return statuslist.draw_indexes(count, length, taken)


@transaction.atomic
def revoke(award_: Award, reason: str, by) -> Award:
    """Revoke an award with a reason. Atomic and idempotent: revoking again changes nothing.

    After the revocation commits, ``award_revoked`` is sent (a receiver queues the e-mail that
    tells the recipient); not for an award that was already revoked.
    """
    with transaction.atomic():
        locked = (
            Award.objects.select_for_update()
            .select_related("badge_class__issuer")
            .get(pk=award_.pk)
        )
        if by is not None and not can_act_for(by, locked.badge_class.issuer):
            raise PermissionError(f"{by} does not act for {locked.badge_class.issuer}.")
        if not (reason or "").strip():
            raise AwardError(_("Say why the credential is revoked; the reason is public."))
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = by
            locked.revocation_reason = reason.strip()
            locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
            pk = locked.pk
            transaction.on_commit(lambda: signals.award_revoked.send(sender=Award, award_pk=pk))
    return locked


def _after_award(created: list[Award], *, bake: bool = True, email: bool = True) -> None:
    """After new awards commit: ask for them to be signed and tell listeners (the e-mail,
    unless the caller sends it itself). The awards are the objects just stored, not read again."""
    if bake:
        signals.awards_to_bake.send(sender=Award, award_pks=[each.pk for each in created])
    for each in created:
        signals.award_issued.send(sender=Award, award=each)
    if created:
        signals.awards_issued.send(sender=Award, awards=created, email=email)
