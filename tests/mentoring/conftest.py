"""Fixtures for mentoring: a mentor in Berlin with weekday hours, learners elsewhere, a clock."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from cms import roles
from credentials.models import BadgeClass, Issuer
from mentoring import services
from mentoring.models import MentoringProgramme, MentorProfile, WeeklyAvailability

PASSWORD = "correct-horse-battery"
# Monday 2 March 2026, 08:00 UTC (09:00 in Berlin): before any DST change of the year.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def at(day: date, hour: int, minute: int = 0, zone: str = "Europe/Berlin") -> datetime:
    """An aware UTC datetime for a wall time in ``zone``."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def make_mentor(email: str, *, zone: str = "Europe/Berlin", hours=((9, 17),), **extra):
    user = get_user_model().objects.create_user(
        email=email, password=PASSWORD, display_name=email.split("@")[0].title(), time_zone=zone
    )
    roles.grant(user, roles.MENTORS)
    fields = {
        "organisation": "Helix Robotics",
        "time_zone": zone,
        "session_minutes": 60,
        "slot_step_minutes": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "min_notice_hours": 0,
        "booking_window_days": 60,
        "cancellation_cutoff_hours": 24,
        "capacity": 5,
        "meeting_url": "https://meet.example/room",
    }
    profile = MentorProfile.objects.create(user=user, **{**fields, **extra})
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(mentor=profile, weekday=d, start_time=time(a), end_time=time(b))
        for d in range(5)
        for a, b in hours
    )
    return profile


@pytest.fixture
def mentor(db):
    return make_mentor("paul@helix.example")


@pytest.fixture
def mentee(make_user):
    return make_user(
        "lena@example.org", roles.LEARNERS, display_name="Lena", time_zone="America/New_York"
    )


@pytest.fixture
def omar(make_user):
    return make_user(
        "omar@example.org", roles.LEARNERS, display_name="Omar", time_zone="Asia/Tokyo"
    )


@pytest.fixture
def monday():
    return date(2026, 3, 9)  # a Monday a week after NOW


@pytest.fixture
def booked(mentor, mentee, monday):
    """A confirmed session on Monday 9 March 2026, 10:00–11:00 Berlin."""
    return services.book(mentor, mentee, at(monday, 10), goal="Plan a pilot", now=NOW)


@pytest.fixture
def issuer(db):
    return Issuer.objects.create(
        slug="helix",
        name="Helix Robotics",
        kind=Issuer.Kind.COMPANY,
        url="https://helix.example",
        email="academy@helix.example",
        country="DE",
    )


@pytest.fixture
def mentee_badge(issuer):
    return BadgeClass.objects.create(
        issuer=issuer,
        slug="co-creation-mentee",
        name="Co-creation mentee",
        description="Worked with mentors.",
        criteria_narrative="Three sessions with feedback over two weeks.",
        status=BadgeClass.Status.PUBLISHED,
    )


@pytest.fixture
def programme(mentee_badge, mentor, mentee):
    programme = MentoringProgramme.objects.create(
        name="Industry co-creation mentoring",
        slug="industry-co-creation",
        badge_class=mentee_badge,
        required_sessions=3,
        minimum_weeks=2,
    )
    programme.mentors.add(mentor)
    programme.learners.add(mentee)
    return programme


@pytest.fixture
def clock(monkeypatch):
    """Freeze ``django.utils.timezone.now`` (used by views and tasks) at a settable time."""
    from django.utils import timezone

    state = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def set_(moment: datetime) -> None:
        state["now"] = moment

    set_.now = lambda: state["now"]
    set_.advance = lambda **kw: set_(state["now"] + timedelta(**kw))
    return set_
