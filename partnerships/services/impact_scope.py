"""What belongs to a dashboard's scope, as filters the figures' queries embed (subqueries, never
lists of ids read first): a scope costs no query of its own.

A partnership's scope is only ever its members' work, whatever rows link it to other things
(an editor may tick anyone's course, programme or badge in the admin):
  - courses: its co-created courses (``Partnership.courses``) that at least one member
    co-creates (``CoursePage.institutions``);
  - badges: its own badge classes, the badges of those courses and of its mentoring programmes,
    each only when a member issues it;
  - mentoring: sessions in which a mentor of one of its programmes (one whose badge a member
    issues) meets a learner of that same programme;
  - endorsements given: standing endorsements by a member institution (of anyone's badge: a
    member vouching for another member's badge is the co-creation signal, and counts here);
  - endorsements received: standing endorsements of the scope's badges, by anyone but the
    badge's own issuer.
An institution's scope: the courses it co-creates, its badge classes, the sessions of mentors
who mentor for it (``MentorProfile.institution``, and only once its staff approved that
affiliation: naming an institution in one's profile is a request, not a fact), the
endorsements it gave and those its badges received from other institutions. The site's scope:
everything.

Everywhere, an endorsement stands when it is signed and not withdrawn; an institution never
counts as endorsing its own badge.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from credentials.models import BadgeClass
from credentials.services import approvals
from learning.models import CoursePage
from mentoring.models import MentoringProgramme
from partnerships.models import Member, Partnership

__all__ = ["ScopeFilters", "filters_for"]

EVERYTHING = Q()
MENTOR = approvals.Kind.MENTOR


@dataclass(frozen=True)
class ScopeFilters:
    """One ``Q`` per model the figures read; ``Q()`` means no restriction (the whole site)."""

    enrolments: Q  # on learning.Enrolment
    courses: Q  # on learning.CoursePage
    badges: Q  # on credentials.BadgeClass
    awards: Q  # on credentials.Award
    verifications: Q  # on credentials.VerificationEvent
    sessions: Q  # on mentoring.MentorSession
    endorsements_given: Q  # on credentials.Endorsement
    endorsements_received: Q  # on credentials.Endorsement
    case_studies: Q  # on partnerships.CaseStudyPage


NOT_SELF_ENDORSED = ~Q(endorser=F("badge_class__issuer"))


def filters_for(kind: str, partnership: Partnership | None, issuer) -> ScopeFilters:
    if kind == "partnership" and partnership is not None:
        return _partnership(partnership)
    if kind == "institution" and issuer is not None:
        return _institution(issuer)
    if kind == "site":
        return ScopeFilters(
            enrolments=EVERYTHING,
            courses=EVERYTHING,
            badges=EVERYTHING,
            awards=EVERYTHING,
            verifications=EVERYTHING,
            sessions=EVERYTHING,
            endorsements_given=NOT_SELF_ENDORSED,
            endorsements_received=NOT_SELF_ENDORSED,
            case_studies=EVERYTHING,
        )
    raise ValueError(f"Not a scope: {kind!r}")


def _partnership(partnership: Partnership) -> ScopeFilters:
    members = Member.objects.filter(partnership=partnership).values("issuer_id")
    courses = CoursePage.objects.filter(
        partnerships=partnership,
        pk__in=CoursePage.objects.filter(institutions__in=members).values("pk"),
    )
    programmes = MentoringProgramme.objects.filter(
        partnerships=partnership, badge_class__issuer__in=members
    )
    own_badges = Partnership.badge_classes.through.objects.filter(partnership=partnership)
    badges = BadgeClass.objects.filter(
        Q(pk__in=own_badges.values("badgeclass_id"))
        | Q(pk__in=courses.filter(badge_class__isnull=False).values("badge_class_id"))
        | Q(pk__in=programmes.values("badge_class_id")),
        issuer__in=members,
    ).values("pk")
    shared_programme = programmes.filter(
        mentors=OuterRef("mentor_id"), learners=OuterRef("learner_id")
    )
    return ScopeFilters(
        enrolments=Q(course__in=courses.values("pk")),
        courses=Q(pk__in=courses.values("pk")),
        badges=Q(pk__in=badges),
        awards=Q(badge_class__in=badges),
        verifications=Q(award__badge_class__in=badges),
        sessions=Q(Exists(shared_programme)),
        endorsements_given=Q(endorser__in=members) & NOT_SELF_ENDORSED,
        endorsements_received=Q(badge_class__in=badges) & NOT_SELF_ENDORSED,
        case_studies=Q(partnership=partnership),
    )


def _institution(issuer) -> ScopeFilters:
    courses = CoursePage.objects.filter(institutions=issuer).values("pk")
    return ScopeFilters(
        enrolments=Q(course__in=courses),
        courses=Q(pk__in=courses),
        badges=Q(issuer=issuer),
        awards=Q(badge_class__issuer=issuer),
        verifications=Q(award__badge_class__issuer=issuer),
        sessions=Q(mentor__institution=issuer)
        & Q(approvals.approved_exists(MENTOR, OuterRef("mentor_id"), issuer=issuer)),
        endorsements_given=Q(endorser=issuer) & NOT_SELF_ENDORSED,
        endorsements_received=Q(badge_class__issuer=issuer) & ~Q(endorser=issuer),
        case_studies=Q(
            partnership__in=Member.objects.filter(issuer=issuer).values("partnership_id")
        ),
    )
