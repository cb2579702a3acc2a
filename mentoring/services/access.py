"""Who sees which session, and which of its notes."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from mentoring.models import MentorSession, SessionNote
from mentoring.services.base import AnyUser


def can_view(user: AnyUser, session: MentorSession) -> bool:
    return user.is_authenticated and (
        user.pk in (session.learner_id, session.mentor.user_id) or user.is_superuser
    )


def notes_for(session: MentorSession, user: AnyUser) -> list[SessionNote]:
    """The mentor reads every note; the learner only shared ones; nobody else any."""
    notes = list(session.notes.all())
    if user.pk == session.mentor.user_id:
        return notes
    if user.pk == session.learner_id:
        return [note for note in notes if note.shared]
    return []


def sessions_of(user: AnyUser) -> QuerySet[MentorSession]:
    return (
        MentorSession.objects.filter(Q(learner=user) | Q(mentor__user=user))
        .select_related("mentor__user", "learner")
        .order_by("starts_at")
    )
