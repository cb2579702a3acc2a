"""Each person's private calendar feed: its secret address, a new one, and its iCalendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from lib.i18n import in_language_of
from mentoring import calendar
from mentoring.models import CalendarFeed
from mentoring.services.access import sessions_of
from mentoring.services.base import AnyUser, resolve_now


@transaction.atomic
def feed_for(user: AnyUser) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": CalendarFeed.new_token()}
    )
    return feed


@transaction.atomic
def rotate_feed(user: AnyUser) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = feed_for(user)
    feed.token = CalendarFeed.new_token()
    feed.save(update_fields=["token"])
    return feed


def feed_ics(token: str, *, now: datetime | None = None) -> bytes | None:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    since = resolve_now(now) - timedelta(days=180)
    sessions = sessions_of(feed.user).filter(starts_at__gte=since)
    with in_language_of(feed.user):  # a calendar app fetches it, with no language of its own
        return calendar.feed(feed.user, sessions)
