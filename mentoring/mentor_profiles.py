"""Mentors: who is one, their profile, and the hours they offer (weekly ranges in their own
time zone, exceptions for single dates, and time off over several days). Views and the demo
call these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credentials import services as credentials
from credentials.models import ApprovalRequest, Issuer

from . import roles, slots
from .models import DateOverride, MentorProfile, MentorSession, TimeOff, WeeklyAvailability
from .services.base import MentoringError, mentor_acting


def is_mentor(user) -> bool:
    return user.is_authenticated and (
        roles.is_in_mentors_group(user) or MentorProfile.objects.filter(user=user).exists()
    )


@transaction.atomic
def ensure_profile(user) -> MentorProfile:
    """The mentor's profile, created with sensible defaults the first time. Idempotent."""
    if not is_mentor(user):
        raise PermissionError(f"{user} is not a mentor.")
    institution = credentials.issuers_for(user).first() if not user.is_superuser else None
    profile, created = MentorProfile.objects.get_or_create(
        user=user,
        defaults={
            "time_zone": user.time_zone or "UTC",
            "organisation": institution.name if institution else "",
            "institution": institution,
            "sector": (
                MentorProfile.Sector.ACADEMIA
                if institution is not None and institution.kind == "university"
                else MentorProfile.Sector.INDUSTRY
            ),
            "languages": f",{user.language or 'en'},",
        },
    )
    if created and institution is not None:  # its own staff: approved at once
        ask_affiliation(profile, institution, by=user)
    return profile


def ask_affiliation(profile: MentorProfile, institution: Issuer | None, *, by) -> None:
    """Name ``institution`` on the profile; its staff approve before the public sees it.

    Requests to other institutions still waiting are withdrawn (the mentor changed their mind);
    no institution withdraws them all. Idempotent."""
    kind = ApprovalRequest.Kind.MENTOR
    credentials.approvals.withdraw_others(kind, profile.pk, keep=institution)
    if institution is not None:
        credentials.approvals.request_mentor(
            institution,
            profile.pk,
            by=by,
            label=_("Mentor %(name)s (%(organisation)s)")
            % {"name": profile.user.get_full_name(), "organisation": profile.organisation},
            url=profile.get_absolute_url(),
        )
    profile.__dict__.pop("affiliation", None)


PROFILE_FIELDS = {
    "headline", "organisation", "sector", "institution", "bio", "photo", "competences",
    "languages", "time_zone", "session_minutes", "slot_step_minutes", "buffer_before_minutes",
    "buffer_after_minutes", "min_notice_hours", "booking_window_days", "max_sessions_per_day",
    "max_sessions_per_week", "capacity", "cancellation_cutoff_hours", "meeting_url",
    "requires_confirmation", "is_listed",
}  # fmt: skip


@transaction.atomic
def update_profile(profile: MentorProfile, changes: dict, *, by) -> MentorProfile:
    """Apply profile changes made by the mentor. Weekly hours keep their wall-clock times when
    the time zone changes; booked sessions keep their real times."""
    mentor_acting(profile, by)
    changes = dict(changes)
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise MentoringError(
            _("Cannot change %(fields)s here.") % {"fields": ", ".join(sorted(unknown))}
        )
    competences = changes.pop("competences", None)
    languages = changes.pop("languages", None)
    asks_institution = "institution" in changes
    before = profile.institution_id
    photo = changes.pop("photo", None)
    for name, value in changes.items():
        setattr(profile, name, value)
    if languages is not None:
        if not languages:
            raise MentoringError(_("Choose at least one language."), field="languages")
        profile.language_codes = languages
    if photo is False:
        profile.photo = None
    elif photo:
        profile.photo = photo
    profile.full_clean()
    profile.booking_version += 1
    profile.save()
    if competences is not None:
        profile.competences.set(competences)
    if asks_institution and (profile.institution_id != before or profile.affiliation is None):
        ask_affiliation(profile, profile.institution, by=by)
    return profile


# --- availability -----------------------------------------------------------------------------


def _check_ranges(ranges: Sequence[tuple[time, time]], where: str) -> list[tuple[time, time]]:
    cleaned = []
    for start, end in ranges:
        if end != slots.MIDNIGHT and end <= start:
            raise MentoringError(
                _(
                    "%(where)s: the range %(start)s–%(end)s ends before it starts. "
                    "Use 00:00 as the end for midnight."
                )
                % {"where": where, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
                field="ranges",
            )
        cleaned.append((start, end))
    cleaned.sort()

    def end_of(item):
        return time.max if item[1] == slots.MIDNIGHT else item[1]

    for a, b in zip(cleaned, cleaned[1:], strict=False):
        if b[0] < end_of(a):
            raise MentoringError(
                _("%(where)s: %(first)s and %(second)s overlap. Merge them into one range.")
                % {
                    "where": where,
                    "first": f"{a[0]:%H:%M}–{a[1]:%H:%M}",
                    "second": f"{b[0]:%H:%M}–{b[1]:%H:%M}",
                },
                field="ranges",
            )
    return cleaned


@transaction.atomic
def set_weekly_availability(
    profile: MentorProfile, ranges: Iterable[tuple[int, time, time]], *, by
) -> list[WeeklyAvailability]:
    """Replace the mentor's weekly ranges (wall-clock times in their zone)."""
    mentor_acting(profile, by)
    by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, start, end in ranges:
        if weekday not in range(7):
            raise MentoringError(
                _("%(weekday)s is not a weekday (0 = Monday … 6 = Sunday).") % {"weekday": weekday}
            )
        by_day[weekday].append((start, end))
    rows = []
    for weekday, items in sorted(by_day.items()):
        for start, end in _check_ranges(items, str(WEEKDAYS[weekday])):
            rows.append(
                WeeklyAvailability(mentor=profile, weekday=weekday, start_time=start, end_time=end)
            )
    MentorProfile.objects.filter(pk=profile.pk).update(booking_version=F("booking_version") + 1)
    profile.weekly.all().delete()
    return WeeklyAvailability.objects.bulk_create(rows)


def mentor_today(profile: MentorProfile, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(ZoneInfo(profile.time_zone)).date()


@transaction.atomic
def set_date_override(
    profile: MentorProfile,
    day: date,
    ranges: Sequence[tuple[time, time]],
    *,
    by,
    now: datetime | None = None,
) -> list[DateOverride]:
    """Replace what the mentor offers on ``day``: no ranges is a day off, else these hours.

    A range boundary that does not exist on that date (clocks going forward) is refused.
    """
    mentor_acting(profile, by)
    if day < mentor_today(profile, now):
        raise MentoringError(
            _("%(date)s has passed; change today or later.") % {"date": date_format(day, "j F Y")},
            field="date",
        )
    where = date_format(day, "l j F Y")
    cleaned = _check_ranges(ranges, where)
    for start, end in cleaned:
        for moment in (start, end):
            if moment == slots.MIDNIGHT and moment is end:
                continue
            try:
                slots.localize(day, moment, profile.time_zone)
            except slots.NonexistentTimeError as error:
                raise MentoringError(str(error), field="ranges") from error
    MentorProfile.objects.filter(pk=profile.pk).update(booking_version=F("booking_version") + 1)
    profile.overrides.filter(date=day).delete()
    if not cleaned:
        return [DateOverride.objects.create(mentor=profile, date=day)]
    return DateOverride.objects.bulk_create(
        DateOverride(mentor=profile, date=day, start_time=s, end_time=e) for s, e in cleaned
    )


@transaction.atomic
def remove_date_override(profile: MentorProfile, day: date, *, by) -> int:
    mentor_acting(profile, by)
    return profile.overrides.filter(date=day).delete()[0]


# --- time off (holidays) ----------------------------------------------------------------------

MAX_TIME_OFF_DAYS = 183  # longer than half a year: stop taking bookings in the profile instead
MAX_TIME_OFF_AHEAD_DAYS = 2 * 366


@transaction.atomic
def block_dates(
    profile: MentorProfile,
    first_day: date,
    last_day: date,
    *,
    reason: str = "",
    by,
    now: datetime | None = None,
) -> TimeOff:
    """Offer no times from ``first_day`` to ``last_day`` (both included, the mentor's dates).

    Sessions already booked in those days stay as they are: ``sessions_in_time_off`` lists
    them for the mentor to move, cancel or keep. The same range again changes nothing."""
    mentor_acting(profile, by)
    today = mentor_today(profile, now)
    if last_day < first_day:
        raise MentoringError(
            _("The time off ends (%(last)s) before it starts (%(first)s). Swap the dates.")
            % {"last": date_format(last_day, "j F Y"), "first": date_format(first_day, "j F Y")},
            field="last_day",
        )
    if last_day < today:
        raise MentoringError(
            _("%(first)s–%(last)s has passed; block today or later dates.")
            % {"first": date_format(first_day, "j F"), "last": date_format(last_day, "j F Y")},
            field="first_day",
        )
    if first_day < today:
        raise MentoringError(
            _("%(date)s has passed; start the time off today or later.")
            % {"date": date_format(first_day, "j F Y")},
            field="first_day",
        )
    days = (last_day - first_day).days + 1
    if days > MAX_TIME_OFF_DAYS:
        raise MentoringError(
            _(
                "That is %(days)s days. Block at most %(most)s days at once; for a longer "
                "break, turn off “accepting bookings” in your profile."
            )
            % {"days": days, "most": MAX_TIME_OFF_DAYS},
            field="last_day",
        )
    if (first_day - today).days > MAX_TIME_OFF_AHEAD_DAYS:
        raise MentoringError(
            _("That is more than two years ahead; block it closer to the time."),
            field="first_day",
        )
    return _blocked(profile, first_day, last_day, reason)


def _blocked(profile: MentorProfile, first_day: date, last_day: date, reason: str) -> TimeOff:
    MentorProfile.objects.filter(pk=profile.pk).update(booking_version=F("booking_version") + 1)
    time_off, _created = TimeOff.objects.get_or_create(
        mentor=profile,
        first_day=first_day,
        last_day=last_day,
        defaults={"reason": (reason or "").strip()[:140]},
    )
    return time_off


@transaction.atomic
def remove_time_off(profile: MentorProfile, time_off_id: int, *, by) -> TimeOff | None:
    """Offer the weekly hours on those days again. The removed range (``undo_token`` makes its
    undo), or None when there was none: removing it twice changes nothing."""
    mentor_acting(profile, by)
    time_off = profile.time_off.filter(pk=time_off_id).first()
    if time_off is None:
        return None
    time_off.delete()
    return time_off


UNDO_SALT = "mentoring.time-off-undo"
UNDO_SECONDS = 60 * 60
UNDO_GONE = gettext_lazy(
    "That undo has expired. Block the days again below if you still need them."
)


def undo_token(profile: MentorProfile, time_off: TimeOff) -> str:
    """A signed, short-lived note of a removed range, which only ``restore_time_off`` of the
    same mentor reads: an undo restores exactly what was removed, even a range under way."""
    return signing.dumps(
        {
            "mentor": profile.pk,
            "first": time_off.first_day.isoformat(),
            "last": time_off.last_day.isoformat(),
            "reason": time_off.reason,
        },
        salt=UNDO_SALT,
    )


@transaction.atomic
def restore_time_off(
    profile: MentorProfile, token: str, *, by, now: datetime | None = None
) -> TimeOff:
    """Undo a removal: the same range (and reason) again. Restoring twice keeps one; a range
    that has ended, a token of another mentor or an expired one restore nothing."""
    mentor_acting(profile, by)
    try:
        data = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        raise MentoringError(str(UNDO_GONE)) from None
    if data.get("mentor") != profile.pk:
        raise MentoringError(str(UNDO_GONE))
    first_day, last_day = date.fromisoformat(data["first"]), date.fromisoformat(data["last"])
    if last_day < mentor_today(profile, now):
        raise MentoringError(
            _("That time off ended on %(date)s; there is nothing to restore.")
            % {"date": date_format(last_day, "j F Y")}
        )
    return _blocked(profile, first_day, last_day, data.get("reason", ""))


def upcoming_time_off(profile: MentorProfile, now: datetime | None = None) -> list[TimeOff]:
    return list(profile.time_off.filter(last_day__gte=mentor_today(profile, now)))


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def sessions_in_time_off(
    profile: MentorProfile, now: datetime | None = None
) -> list[tuple[TimeOff, list[MentorSession]]]:
    """Each upcoming time off with the requests and bookings still on inside it, for the mentor
    to decide about (nothing is cancelled on its own)."""
    now = now or timezone.now()
    zone = ZoneInfo(profile.time_zone)
    found = []
    for time_off in upcoming_time_off(profile, now):
        start = _day_start(time_off.first_day, zone)
        end = _day_start(time_off.last_day + timedelta(days=1), zone)
        sessions = list(
            profile.sessions.filter(
                status__in=MentorSession.ACTIVE,
                starts_at__lt=end,
                ends_at__gt=max(start, now),
            ).select_related("learner", "mentor")
        )
        found.append((time_off, sessions))
    return found
