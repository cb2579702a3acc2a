"""The mentor finder: listed mentors scored for a learner, each score explained, and the
learner's goals it reads.

What the learner is learning comes from their enrolments in learning's course pages, each
aligned to ``credentials.Competency`` (mentoring may import learning).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning.models import Enrolment

from . import slots
from .models import LearnerGoals, MentoringProgramme, MentorProfile
from .services.free_times import has_room, learner_busy, load_inputs, rules_for


def course_competences(user) -> dict[int, list[str]]:
    """Competency id → titles of the learner's courses aligned to it (two queries)."""
    if not user.is_authenticated:
        return {}
    found: dict[int, list[str]] = {}
    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("course")
        .prefetch_related("course__competences")
    )
    for enrolment in enrolments:
        for competency in enrolment.course.competences.all():
            found.setdefault(competency.pk, []).append(str(enrolment.course.title))
    return found


def course_competence_ids(course_page) -> set[int]:
    try:
        return set(course_page.competences.values_list("pk", flat=True))
    except (AttributeError, ValueError):
        return set()


# --- learners: goals and suggestions ----------------------------------------------------------


@transaction.atomic
def save_goals(user, *, competences: Iterable, goals: str) -> LearnerGoals:
    record, _created = LearnerGoals.objects.get_or_create(user=user)
    record.goals = goals.strip()
    record.save()
    record.competences.set(competences)
    return record


@dataclass
class Suggestion:
    profile: MentorProfile
    score: float
    reasons: list[str]
    free: list[slots.Interval]
    room: bool

    @property
    def next_slot(self) -> slots.Interval | None:
        return self.free[0] if self.free else None


def suggest(
    learner,
    profiles: Sequence[MentorProfile],
    *,
    now: datetime | None = None,
    horizon_days: int = 14,
) -> list[Suggestion]:
    """Every mentor scored for this learner, each score explained; best first.

    Points: 3 for each competence shared with the learner's courses, 2 for each shared with the
    learner's stated goals, 1.5 for a common language, 1 for a shared programme, up to 2 for
    free time in the next two weeks; a mentor with no free time or no room scores nothing.
    """
    now = now or timezone.now()
    until = now + timedelta(days=horizon_days)
    inputs = load_inputs(profiles, now=now, until=until)
    mine = learner_busy(learner, now=now, until=until)
    from_courses = course_competences(learner) if learner.is_authenticated else {}
    goals = (
        LearnerGoals.objects.filter(user=learner).prefetch_related("competences").first()
        if learner.is_authenticated
        else None
    )
    goal_ids = {c.pk for c in goals.competences.all()} if goals else set()
    programme_mentors = (
        set(
            MentoringProgramme.mentors.through.objects.filter(
                mentoringprogramme__learners=learner
            ).values_list("mentorprofile_id", flat=True)
        )
        if learner.is_authenticated
        else set()
    )
    language = getattr(learner, "language", "") or ""
    language_name = dict(settings.LANGUAGES).get(language, language)
    suggestions = []
    for profile in profiles:
        data = inputs[profile.pk]
        reasons: list[str] = []
        score = 0.0
        competences = list(profile.competences.all())
        shared_course = [c for c in competences if c.pk in from_courses]
        if shared_course:
            courses = sorted({t for c in shared_course for t in from_courses[c.pk]})
            score += 3 * len(shared_course)
            reasons.append(
                ngettext(
                    "Coaches %(competences)s — taught in your course %(courses)s",
                    "Coaches %(competences)s — taught in your courses %(courses)s",
                    len(courses),
                )
                % {
                    "competences": ", ".join(c.name for c in shared_course),
                    "courses": ", ".join(courses),
                }
            )
        shared_goals = [c for c in competences if c.pk in goal_ids and c not in shared_course]
        if shared_goals:
            score += 2 * len(shared_goals)
            reasons.append(
                _("Matches your goals: %(competences)s")
                % {"competences": ", ".join(c.name for c in shared_goals)}
            )
        if language and language in profile.language_codes:
            score += 1.5
            reasons.append(_("Speaks %(language)s") % {"language": language_name})
        if profile.pk in programme_mentors:
            score += 1
            reasons.append(_("Mentors in a programme you are in"))
        room = has_room(profile, data, learner if learner.is_authenticated else None)
        free = (
            slots.free_slots(
                rules_for(profile),
                data.weekly,
                data.overrides,
                data.busy,
                now=now,
                end=until,
                learner_busy=mine,
            )  # fmt: skip
            if room
            else []
        )
        if not room:
            score = 0.0
            reasons.append(
                _("Has no room for new learners right now (%(capacity)s at once)")
                % {"capacity": profile.capacity}
            )
        elif not free:
            score = 0.0
            reasons.append(_("No free time in the next %(days)s days") % {"days": horizon_days})
        else:
            score += min(len(free), 20) / 10
            reasons.append(
                ngettext(
                    "%(n)s free time in the next %(days)s days",
                    "%(n)s free times in the next %(days)s days",
                    len(free),
                )
                % {"n": len(free), "days": horizon_days}
            )
            spare = profile.capacity - len(data.learners)
            if learner.pk not in data.learners and spare > 0:
                reasons.append(
                    ngettext("Room for %(n)s more learner", "Room for %(n)s more learners", spare)
                    % {"n": spare}
                )
        suggestions.append(Suggestion(profile, round(score, 1), reasons, free, room))
    suggestions.sort(
        key=lambda s: (-s.score, s.next_slot.start if s.next_slot else now, s.profile.name)
    )
    return suggestions


def mentors_listed() -> QuerySet[MentorProfile]:
    return (
        MentorProfile.objects.filter(is_listed=True, user__is_active=True)
        .select_related("user", "institution")
        .prefetch_related("competences__framework")
    )
