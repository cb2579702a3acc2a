"""Mentoring programmes and their badges: a learner who holds enough sessions with the
programme's mentors over enough weeks, and rates each, is awarded the programme's badge through
``credentials``. Also joining a programme, and its report for the issuer's staff.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credentials import services as credentials
from credentials.models import Award, BadgeClass
from lib.i18n import in_language_of

from .models import MentoringProgramme, MentorSession
from .services.base import MentoringError
from .services.reports import total_minutes

logger = logging.getLogger(__name__)
Status = MentorSession.Status


@dataclass
class Progress:
    programme: MentoringProgramme
    learner: object
    counted: list[MentorSession]
    weeks: float
    award: Award | None

    @property
    def sessions_done(self) -> int:
        return len(self.counted)

    @property
    def sessions_needed(self) -> int:
        return max(self.programme.required_sessions - len(self.counted), 0)

    @property
    def weeks_needed(self) -> float:
        return max(self.programme.minimum_weeks - self.weeks, 0)

    @property
    def still_to_go(self) -> str:
        """What is left to earn the badge, in words."""
        sessions = self.sessions_needed
        weeks = int(self.weeks_needed + 0.5)  # as shown: rounded half up
        session_text = ngettext("%(n)s session", "%(n)s sessions", sessions) % {"n": sessions}
        week_text = ngettext(
            "%(n)s more week of mentoring", "%(n)s more weeks of mentoring", weeks
        ) % {"n": weeks}
        if sessions and self.weeks_needed:
            return _("Still to go: %(sessions)s and %(weeks)s.") % {
                "sessions": session_text,
                "weeks": week_text,
            }
        if sessions:
            return _("Still to go: %(sessions)s.") % {"sessions": session_text}
        if self.weeks_needed:
            return _("Still to go: %(weeks)s.") % {"weeks": week_text}
        return ""

    @property
    def met(self) -> bool:
        return self.sessions_needed == 0 and self.weeks_needed == 0

    @property
    def percent(self) -> int:
        return min(100, round(100 * len(self.counted) / self.programme.required_sessions))


def _counted_sessions(programme: MentoringProgramme, learners) -> QuerySet[MentorSession]:
    """The sessions that count towards the programme: held with its mentors, with feedback."""
    return (
        MentorSession.objects.filter(
            learner__in=learners,
            mentor__in=programme.mentors.all(),
            status=Status.COMPLETED,
            feedback_at__isnull=False,
        )
        .select_related("mentor__user")
        .order_by("starts_at")
    )


def _progress(programme, learner, counted: list[MentorSession], award) -> Progress:
    weeks = (counted[-1].starts_at - counted[0].starts_at).days / 7 if len(counted) > 1 else 0.0
    return Progress(programme, learner, counted, weeks, award)


def programme_progress(programme: MentoringProgramme, learner, *, award_map=None) -> Progress:
    counted = list(_counted_sessions(programme, [learner]))
    if award_map is not None:
        award = award_map.get(learner.pk)
    else:
        award = (
            Award.objects.filter(badge_class=programme.badge_class, recipient=learner)
            .order_by("issued_on")
            .first()
        )
    return _progress(programme, learner, counted, award)


def evaluate_programme(programme: MentoringProgramme, learner) -> Award | None:
    """Award the programme's badge if the learner meets its rule. Idempotent."""
    if not programme.learners.filter(pk=learner.pk).exists():
        return None
    progress = programme_progress(programme, learner)
    if progress.award is not None or not progress.met:
        return progress.award
    badge = BadgeClass.objects.get(pk=programme.badge_class_id)
    if badge.status != BadgeClass.Status.PUBLISHED:
        logger.warning("%s met %s but its badge is not published", learner, programme)
        return None
    with in_language_of(learner):  # the evidence is written for the badge's holder
        evidence = [
            credentials.Evidence(
                name=_("Mentoring session with %(mentor)s") % {"mentor": s.mentor.name},
                narrative=_(
                    "%(minutes)s-minute one-to-one session on %(date)s with %(mentor)s "
                    "(%(organisation)s, %(sector)s); the learner rated it %(rating)s/5."
                )
                % {
                    "minutes": s.minutes,
                    "date": date_format(s.starts_at, "j F Y"),
                    "mentor": s.mentor.name,
                    "organisation": s.mentor.organisation,
                    "sector": s.mentor.get_sector_display(),
                    "rating": s.rating,
                },
            )
            for s in progress.counted
        ]
        evidence.append(
            credentials.Evidence(
                name=programme.name,
                narrative=_("Met the rule of the programme: %(rule)s.")
                % {"rule": programme.rule_text},
                url=f"{settings.SITE_URL}{programme.get_absolute_url()}",
            )
        )
    return credentials.award(
        badge,
        learner,
        evidence,
        idempotency_key=f"mentoring-programme:{programme.pk}:{learner.pk}",
    )


def evaluate_programmes(learner) -> list[Award]:
    awards = []
    for programme in MentoringProgramme.objects.filter(learners=learner).select_related(
        "badge_class"
    ):
        try:
            given = evaluate_programme(programme, learner)
        except credentials.AwardError:
            logger.exception("Could not award the badge of %s to %s", programme, learner)
            continue
        if given is not None:
            awards.append(given)
    return awards


def session_completed(session_id: int) -> None:
    """After a session is marked completed: course completions and programme badges."""
    session = MentorSession.objects.select_related("learner").get(pk=session_id)
    try:
        from learning import services as learning_services
    except ImportError:
        learning_services = None
    update = getattr(learning_services, "update_completions_for", None)
    if update is not None:
        update(session.learner)
    evaluate_programmes(session.learner)


@transaction.atomic
def join_programme(programme: MentoringProgramme, learner) -> None:
    if not learner.is_authenticated:
        raise PermissionError(_("Log in to join a programme."))
    if not programme.open_enrolment and not programme.learners.filter(pk=learner.pk).exists():
        raise MentoringError(_("This programme takes learners by invitation only."))
    programme.learners.add(learner)


def can_manage_programme(user, programme: MentoringProgramme) -> bool:
    return user.is_authenticated and (
        user.is_superuser or credentials.can_act_for(user, programme.badge_class.issuer)
    )


def programme_report(programme: MentoringProgramme) -> dict:
    """The programme dashboard: learners' progress and the sessions given."""
    learners = list(programme.learners.all())
    awards = {
        a.recipient_id: a
        for a in Award.objects.filter(badge_class=programme.badge_class, recipient__in=learners)
    }
    sessions = MentorSession.objects.filter(
        mentor__in=programme.mentors.all(), learner__in=learners
    )
    held = sessions.filter(status=Status.COMPLETED)
    counted: dict[int, list[MentorSession]] = {learner.pk: [] for learner in learners}
    for session in _counted_sessions(programme, learners):  # one query for all learners
        counted[session.learner_id].append(session)
    return {
        "progress": [
            _progress(programme, learner, counted[learner.pk], awards.get(learner.pk))
            for learner in learners
        ],
        "mentors": programme.mentors.select_related("user", "institution"),
        "upcoming": sessions.filter(status__in=MentorSession.ACTIVE, starts_at__gte=timezone.now())
        .select_related("mentor__user", "learner")
        .order_by("starts_at")[:20],
        "completed": held.count(),
        "hours": round(total_minutes(held) / 60, 1),
        "rating": held.aggregate(avg=Avg("rating"))["avg"],
        "no_shows": sessions.filter(status=Status.NO_SHOW).count(),
        "awarded": len(awards),
    }
