"""Demo data for mentoring: three mentors in three time zones, a programme with its badge, and
past and upcoming sessions for the demo learner. Idempotent: safe on every `make run`.

Called by ``cms.demo.seed()`` after the accounts and institutions exist. Mentoring imports
nothing from the site, so the caller passes the password for the account this creates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from credentials.models import ApprovalRequest, BadgeClass, Competency, Issuer
from credentials.services import approvals

from . import matching, mentor_profiles, notifications, roles, services
from .models import (
    DateOverride,
    LearnerGoals,
    MentoringProgramme,
    MentorProfile,
    MentorSession,
    SessionNote,
    WeeklyAvailability,
)


@dataclass(frozen=True)
class DemoAccount:
    """Printed by seed_demo like ``cms.demo.DemoAccount``."""

    email: str
    display_name: str
    roles: tuple[str, ...]
    time_zone: str
    what: str


ACADEMIC = DemoAccount(
    "academic@northbridge.example",
    "Dr. Anouk de Vries",
    (roles.MENTORS,),
    "Europe/Amsterdam",
    "mentor from academia (Northbridge University), in Amsterdam time",
)

MENTORS = [
    {
        "email": "mentor@example.com",
        "headline": "Product lead and start-up coach",
        "organisation": "Brightline Product Studio",
        "sector": MentorProfile.Sector.INDUSTRY,
        "institution": None,
        "time_zone": "America/New_York",
        "languages": ["en", "es"],
        "competences": [
            ("entrecomp", "1.1"),
            ("entrecomp", "1.3"),
            ("entrecomp", "2.3"),
            ("entrecomp", "3.2"),
        ],
        "bio": "Maya has launched six products in New York and Madrid and coaches first-time "
        "founders on finding a problem worth solving and testing it cheaply.",
        "weekly": {0: [("09:00", "12:00")], 2: [("13:00", "17:00")], 3: [("09:00", "12:00")]},
        "session_minutes": 45,
        "meeting_url": "",  # each session gets its own private room
    },
    {
        "email": "partner@helix.example",
        "headline": "Head of robotics engineering",
        "organisation": "Helix Robotics GmbH",
        "sector": MentorProfile.Sector.INDUSTRY,
        "institution": "helix-robotics",
        "time_zone": "Europe/Berlin",
        "languages": ["en", "de"],
        "competences": [
            ("entrecomp", "1.2"),
            ("entrecomp", "3.4"),
            ("digcomp", "5.3"),
            ("lifecomp", "S3"),
        ],
        "bio": "Paul leads the engineers who co-teach product discovery with Northbridge, and "
        "mentors student teams working on real industrial challenges.",
        "weekly": {
            1: [("08:30", "11:30"), ("14:00", "16:00")],
            3: [("14:00", "18:00")],
            4: [("09:00", "12:00")],
        },
        "session_minutes": 30,
        "meeting_url": "",  # each session gets its own private room
        "requires_confirmation": False,
    },
    {
        "email": ACADEMIC.email,
        "headline": "Associate professor of innovation management",
        "organisation": "Northbridge University of Technology",
        "sector": MentorProfile.Sector.ACADEMIA,
        "institution": "northbridge",
        "time_zone": "Europe/Amsterdam",
        "languages": ["en", "nl", "de"],
        "competences": [
            ("entrecomp", "1.4"),
            ("entrecomp", "1.5"),
            ("lifecomp", "L2"),
            ("lifecomp", "L3"),
            ("entrecomp", "3.5"),
        ],
        "bio": "Anouk researches how universities and companies turn research into value, and "
        "helps learners reflect on their learning and sharpen their ideas.",
        "weekly": {0: [("14:00", "17:00")], 2: [("10:00", "12:00")], 4: [("13:00", "16:00")]},
        "session_minutes": 60,
        "meeting_url": "",  # each session gets its own private room
        "requires_confirmation": True,
    },
]

PROGRAMME = {
    "slug": "industry-co-creation-mentoring",
    "name": "Industry co-creation mentoring",
    "description": "Three sessions with mentors from industry and academia over at least two "
    "weeks: shape an idea with people who build products, and reflect on it with a researcher.",
    "required_sessions": 3,
    "minimum_weeks": 2,
}

BADGE = {
    "name": "Industry co-creation mentee",
    "description": "Worked with industry and academic mentors over several weeks on a "
    "co-creation challenge, and reflected on each session.",
    "criteria_narrative": "Complete three one-to-one mentoring sessions with the programme's "
    "mentors over at least two weeks, and give feedback on each.",
    "status": BadgeClass.Status.PUBLISHED,
    "achievement_type": BadgeClass.AchievementType.BADGE,
    "tags": ["mentoring", "co-creation"],
}


def _competences(pairs) -> list[Competency]:
    found = []
    for framework, code in pairs:
        item = Competency.objects.filter(framework__code=framework, code=code).first()
        if item is not None:
            found.append(item)
    return found


def _join(user, *group_names: str) -> None:
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in group_names))


def _account(account: DemoAccount, password: str):
    user, created = get_user_model().objects.get_or_create(
        email=account.email,
        defaults={"display_name": account.display_name, "time_zone": account.time_zone},
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    _join(user, *account.roles)
    return user


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def seed_mentors(password: str) -> list[MentorProfile]:
    User = get_user_model()
    _account(ACADEMIC, password)
    profiles = []
    for data in MENTORS:
        user = User.objects.filter(email=data["email"]).first()
        if user is None:
            continue
        _join(user, roles.MENTORS)
        institution = (
            Issuer.objects.filter(slug=data["institution"]).first() if data["institution"] else None
        )
        profile, created = MentorProfile.objects.get_or_create(
            user=user,
            defaults={
                "headline": data["headline"],
                "organisation": data["organisation"],
                "sector": data["sector"],
                "institution": institution,
                "time_zone": data["time_zone"],
                "bio": data["bio"],
                "session_minutes": data["session_minutes"],
                "meeting_url": data["meeting_url"],
                "requires_confirmation": data.get("requires_confirmation", False),
                "min_notice_hours": 12,
                "buffer_after_minutes": 15,
                "max_sessions_per_day": 3,
                "capacity": 6,
            },
        )
        if profile.institution_id:  # the demo's affiliations, as their staff approved them
            approvals.preapprove(
                ApprovalRequest.Kind.MENTOR,
                profile.institution,
                profile.pk,
                label=f"Mentor {user.get_full_name()} ({profile.organisation})",
            )
        if created:
            profile.language_codes = data["languages"]
            profile.save(update_fields=["languages"])
            profile.competences.set(_competences(data["competences"]))
        if not profile.weekly.exists():
            WeeklyAvailability.objects.bulk_create(
                WeeklyAvailability(mentor=profile, weekday=day, start_time=_hm(a), end_time=_hm(b))
                for day, ranges in data["weekly"].items()
                for a, b in ranges
            )
        profiles.append(profile)
    # One day off for the academic mentor, so the calendar shows an exception.
    academic = next((p for p in profiles if p.user.email == ACADEMIC.email), None)
    if academic is not None and not academic.overrides.exists():
        today = mentor_profiles.mentor_today(academic)
        day_off = today + timedelta(days=(4 - today.weekday()) % 7 + 7)  # a Friday ahead
        DateOverride.objects.create(mentor=academic, date=day_off)
    return profiles


def seed_programme(profiles: list[MentorProfile], learner) -> MentoringProgramme | None:
    issuer = Issuer.objects.filter(slug="helix-robotics").first() or Issuer.objects.first()
    if issuer is None:
        return None
    badge, _ = BadgeClass.objects.update_or_create(
        issuer=issuer, slug="industry-co-creation-mentee", defaults=BADGE
    )
    badge.alignments.add(*_competences([("entrecomp", "3.4"), ("lifecomp", "S3")]))
    programme, _ = MentoringProgramme.objects.get_or_create(
        slug=PROGRAMME["slug"], defaults={**PROGRAMME, "badge_class": badge}
    )
    programme.mentors.add(*profiles)
    if learner is not None:
        programme.learners.add(learner)
    return programme


def _past_session(key: str, mentor: MentorProfile, learner, weeks_ago: int, **extra):
    existing = MentorSession.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    # The mentor's first weekly range, on that weekday `weeks_ago` weeks back.
    first = mentor.weekly.order_by("weekday", "start_time").first()
    day = mentor_profiles.mentor_today(mentor, now) - timedelta(weeks=weeks_ago)
    day -= timedelta(days=(day.weekday() - first.weekday) % 7)
    from .slots import wall_range_to_utc

    start = wall_range_to_utc(day, first.start_time, first.end_time, mentor.time_zone)[0][0]
    return MentorSession.objects.create(
        idempotency_key=key,
        mentor=mentor,
        learner=learner,
        starts_at=start,
        ends_at=start + timedelta(minutes=mentor.session_minutes),
        meeting_url=services.new_meeting_link(mentor),
        confirmed_at=start - timedelta(days=3),
        completed_at=start + timedelta(minutes=mentor.session_minutes),
        sent_sequence=0,
        last_change="booked",
        **extra,
    )


def _upcoming_session(key: str, mentor: MentorProfile, learner, index: int, **extra):
    existing = MentorSession.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    free = services.free_slots_for(mentor, learner)
    if len(free) <= index:
        return None
    slot = free[index]
    session = MentorSession.objects.create(
        idempotency_key=key,
        mentor=mentor,
        learner=learner,
        starts_at=slot.start,
        ends_at=slot.end,
        meeting_url=services.new_meeting_link(mentor),
        sent_sequence=0,
        **extra,
    )
    notifications.schedule_reminders(session)
    return session


def seed_sessions(profiles: list[MentorProfile], learner) -> list[MentorSession]:
    by_email = {p.user.email: p for p in profiles}
    maya, paul = by_email.get("mentor@example.com"), by_email.get("partner@helix.example")
    anouk = by_email.get(ACADEMIC.email)
    if not (maya and paul and anouk and learner):
        return []
    done = MentorSession.Status.COMPLETED
    sessions = [
        _past_session(
            "demo:past-maya",
            maya,
            learner,
            3,
            status=done,
            rating=5,
            goal="Find a problem worth solving in hospital logistics",
            agenda="My three interview notes; which problem to pick.",
            feedback="Very concrete: I left with a plan for five more interviews.",
            feedback_at=timezone.now() - timedelta(weeks=3),
        ),
        _past_session(
            "demo:past-paul",
            paul,
            learner,
            1,
            status=done,
            rating=4,
            goal="Test the prototype idea with an engineer",
            feedback="Helpful reality check on what the robot arm can do.",
            feedback_at=timezone.now() - timedelta(weeks=1),
        ),
        _past_session(
            "demo:past-anouk-no-show",
            anouk,
            learner,
            2,
            status=MentorSession.Status.NO_SHOW,
            no_show_side=MentorSession.Side.LEARNER,
            goal="Reflect on the first interviews",
        ),
        _upcoming_session(
            "demo:next-paul",
            paul,
            learner,
            2,
            status=MentorSession.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            last_change="booked",
            goal="Plan the pilot with the Helix team",
            agenda="Pilot scope, which line to start on, what to measure.",
        ),
        _upcoming_session(
            "demo:next-maya",
            maya,
            learner,
            3,
            status=MentorSession.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            last_change="booked",
            goal="Decide which problem to pursue",
            agenda="The five new interviews; pick one problem and a first experiment.",
        ),
        _upcoming_session(
            "demo:next-anouk",
            anouk,
            learner,
            1,
            status=MentorSession.Status.REQUESTED,
            last_change="requested",
            goal="Turn my interviews into a value proposition",
        ),
    ]
    sessions = [s for s in sessions if s is not None]
    first = sessions[0]
    if not first.notes.exists():
        SessionNote.objects.create(
            session=first,
            author=maya.user,
            body="Strong interviews. Next: talk to two ward managers and one porter; write down "
            "the three most painful moments of their day.",
            shared=True,
        )
        SessionNote.objects.create(
            session=first,
            author=maya.user,
            body="Lena is hesitant to pick one problem; push for a decision next time.",
            shared=False,
        )
    return sessions


@transaction.atomic
def seed(password: str) -> dict:
    """``password`` is for the demo account this creates (the academic mentor)."""
    learner = get_user_model().objects.filter(email="learner@example.com").first()
    profiles = seed_mentors(password)
    programme = seed_programme(profiles, learner)
    sessions = seed_sessions(profiles, learner)
    if learner is not None:
        goals = _competences([("entrecomp", "1.1"), ("entrecomp", "3.4"), ("lifecomp", "L2")])
        record = LearnerGoals.objects.filter(user=learner).first()
        if record is None:
            matching.save_goals(
                learner, competences=goals, goals="Turn an idea into a pilot with a company."
            )
    return {
        "accounts": [ACADEMIC],
        "mentors": profiles,
        "programme": programme,
        "sessions": sessions,
    }
