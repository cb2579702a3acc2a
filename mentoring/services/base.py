"""What the mentoring service modules share: the errors they raise, the clock, who acts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring import slots
from mentoring.models import MentorProfile, MentorSession

Status = MentorSession.Status
# Whoever a request carries: a user, or nobody logged in.
AnyUser = AbstractBaseUser | AnonymousUser | None


class MentoringError(ValueError):
    """A request that cannot be carried out, with a message a person can read."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class BookingError(MentoringError):
    """A time that cannot be booked; carries the times that are still free."""

    def __init__(self, message: str, *, reason: str = "", free: Sequence[slots.Interval] = ()):
        super().__init__(message, field="start")
        self.reason = reason
        self.free = list(free)


def resolve_now(now: datetime | None) -> datetime:
    """``now`` when a caller (a test, a task) gives one, else the current time."""
    return now or timezone.now()


def mentor_acting(session_or_profile: MentorSession | MentorProfile, by: AnyUser) -> MentorProfile:
    """The profile (of the session or itself) when ``by`` is its mentor; else PermissionError."""
    profile = getattr(session_or_profile, "mentor", session_or_profile)
    if by is None or profile.user_id != by.pk:
        raise PermissionError(_("Only the mentor may do this."))
    return profile


def require_participant(session: MentorSession, by: AnyUser) -> None:
    """Only the learner and the mentor of a session may change it; else PermissionError."""
    if by is None or by.pk not in (session.learner_id, session.mentor.user_id):
        raise PermissionError(_("Only the learner and the mentor of a session may change it."))


def locked_session(session: MentorSession) -> MentorSession:
    """The session read afresh and locked until the transaction ends."""
    return (
        MentorSession.objects.select_for_update()
        .select_related("mentor__user", "learner")
        .get(pk=session.pk)
    )
