"""Where a session meets: each booking gets its own link, and the mentor may change one.

By default a session gets a private video room of its own (``MENTORING_MEETING_ROOM_URL``, its
``{room}`` an unguessable name), so one session's link never opens another's. A mentor may give
their own link instead (with ``{room}`` in it for a room per session; without it every session
meets at that one link) and may change the link of a single session; both sides then get the
updated invitation.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from mentoring import signals
from mentoring.conf import settings as conf
from mentoring.models import MentorProfile, MentorSession
from mentoring.services.base import (
    AnyUser,
    MentoringError,
    locked_session,
    mentor_acting,
    resolve_now,
)

ROOM = "{room}"
MAX_LENGTH = MentorSession._meta.get_field("meeting_url").max_length


def room_name() -> str:
    """An unguessable room name (128 random bits), safe in any URL."""
    return secrets.token_hex(16)


def _template(profile: MentorProfile) -> str:
    return (profile.meeting_url or "").strip() or conf.MENTORING_MEETING_ROOM_URL


def room_per_session(profile: MentorProfile) -> bool:
    """Whether each session of ``profile`` gets a link of its own (a ``{room}`` in the mentor's
    link, or in the default room address when they gave none) rather than one fixed link."""
    return ROOM in _template(profile)


def new_meeting_link(profile: MentorProfile) -> str:
    """The link a new session of ``profile`` meets at: the mentor's own, or a private room."""
    template = _template(profile)
    return template.replace(ROOM, room_name()) if ROOM in template else template


def _checked(url: str) -> str:
    url = url.strip()
    if len(url) > MAX_LENGTH:
        raise MentoringError(
            _("That link is %(length)s characters long; use one of at most %(most)s.")
            % {"length": len(url), "most": MAX_LENGTH},
            field="meeting_url",
        )
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as error:
        raise MentoringError(
            _("Paste the full meeting link, starting with https://"), field="meeting_url"
        ) from error
    return url


@transaction.atomic
def set_meeting_link(
    session: MentorSession, url: str, *, by: AnyUser, now: datetime | None = None
) -> bool:
    """The mentor changes where one session meets; an empty link gives it a new link of the
    mentor's kind (a new private room, or their one fixed link). Whether the link changed: the
    same link again changes nothing and sends no update."""
    now = resolve_now(now)
    profile = mentor_acting(session, by)
    current = locked_session(session)
    if not current.is_active or current.ends_at <= now:
        raise MentoringError(_("Only the link of an upcoming session can be changed."))
    link = _checked(url) if (url or "").strip() else new_meeting_link(profile)
    if link == current.meeting_url:
        return False
    current.meeting_url = link
    current.last_change = "new link"
    current.sequence += 1
    current.save(update_fields=["meeting_url", "last_change", "sequence", "updated_at"])
    pk = current.pk
    transaction.on_commit(lambda: signals.session_changed.send(sender=MentorSession, session_pk=pk))
    return True
