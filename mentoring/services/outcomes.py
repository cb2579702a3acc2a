"""After a session's time: completed or a no-show, the mentor's notes, the learner's rating.

Marking a session completed sends ``signals.session_completed``, and rating it sends
``signals.session_rated``, after the transaction commits; ``receivers`` enqueue the tasks that
update course completions and programme badges.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mentoring import signals
from mentoring.models import MentorSession, SessionNote
from mentoring.services.base import (
    AnyUser,
    MentoringError,
    Status,
    locked_session,
    mentor_acting,
    require_participant,
    resolve_now,
)


def _held(current: MentorSession, now: datetime) -> None:
    if current.starts_at > now:
        raise MentoringError(_("The session has not started yet."))


@transaction.atomic
def mark_completed(
    session: MentorSession, *, by: AnyUser, now: datetime | None = None
) -> MentorSession:
    """The mentor says the session took place. Counts towards courses and programmes."""
    now = resolve_now(now)
    mentor_acting(session, by)
    current = locked_session(session)
    if current.status == Status.COMPLETED:
        return current
    if not current.is_active:
        raise MentoringError(
            _("This session is %(status)s.") % {"status": current.get_status_display().lower()}
        )
    _held(current, now)
    current.status, current.completed_at = Status.COMPLETED, now
    current.save()
    pk = current.pk
    transaction.on_commit(
        lambda: signals.session_completed.send(sender=MentorSession, session_pk=pk)
    )
    return current


@transaction.atomic
def mark_no_show(
    session: MentorSession, *, by: AnyUser, side: str, now: datetime | None = None
) -> MentorSession:
    """Record who did not come: the mentor reports the learner, the learner the mentor."""
    now = resolve_now(now)
    require_participant(session, by)
    current = locked_session(session)
    expected = (
        MentorSession.Side.LEARNER if by.pk == current.mentor.user_id else MentorSession.Side.MENTOR
    )
    if side != expected:
        raise MentoringError(_("You can only report that the other person did not come."))
    if current.status == Status.NO_SHOW and current.no_show_side == side:
        return current
    if not current.is_active:
        raise MentoringError(
            _("This session is %(status)s.") % {"status": current.get_status_display().lower()}
        )
    _held(current, now)
    current.status, current.no_show_side = Status.NO_SHOW, side
    current.save()
    return current


@transaction.atomic
def add_note(session: MentorSession, *, by: AnyUser, body: str, shared: bool) -> SessionNote:
    mentor_acting(session, by)
    if not (body or "").strip():
        raise MentoringError(_("Write something in the note."), field="body")
    return SessionNote.objects.create(session=session, author=by, body=body.strip(), shared=shared)


@transaction.atomic
def leave_feedback(
    session: MentorSession, *, by: AnyUser, rating: int, feedback: str, now: datetime | None = None
) -> MentorSession:
    """The learner rates a completed session (1–5) and may say more. Saying it again updates."""
    now = resolve_now(now)
    if by is None or by.pk != session.learner_id:
        raise PermissionError(_("Only the learner of a session may rate it."))
    current = locked_session(session)
    if current.status != Status.COMPLETED:
        raise MentoringError(_("You can rate a session once your mentor marked it completed."))
    if rating not in range(1, 6):
        raise MentoringError(_("Choose a rating from 1 to 5."), field="rating")
    current.rating, current.feedback, current.feedback_at = rating, feedback.strip(), now
    current.save(update_fields=["rating", "feedback", "feedback_at", "updated_at"])
    pk, learner_pk = current.pk, current.learner_id
    transaction.on_commit(
        lambda: signals.session_rated.send(
            sender=MentorSession, session_pk=pk, learner_pk=learner_pk
        )
    )
    return current
