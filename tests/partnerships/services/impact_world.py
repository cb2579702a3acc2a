"""Builders for the impact tests and ``bench/impact.py``: institutions, badges, courses and a
partnership made one by one, and the rows the figures count (enrolments, awards, sessions,
verifications, endorsements) bulk-inserted, many at once, without signing anything."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from cms.services import ensure_home_page
from credentials.models import (
    ApprovalRequest,
    Award,
    BadgeClass,
    Endorsement,
    Issuer,
    VerificationEvent,
)
from credentials.services import approvals
from learning import demo
from learning.models import CoursePage, Enrolment, LessonPage, LessonProgress
from mentoring.models import MentoringProgramme, MentorProfile, MentorSession
from partnerships.models import CaseStudyPage, Member, Partnership

_serial = itertools.count(1)
SIGNED = {"type": ["VerifiableCredential"], "bench": True}  # stands in for a signed document


def at(year: int, month: int, day: int = 15, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def issuer(slug: str, kind: str = Issuer.Kind.UNIVERSITY) -> Issuer:
    return Issuer.objects.create(
        slug=slug,
        name=slug.replace("-", " ").title(),
        kind=kind,
        url=f"https://{slug}.example",
        email=f"info@{slug}.example",
        country="NL",
    )


def badge(owner: Issuer, slug: str, competences=()) -> BadgeClass:
    made = BadgeClass.objects.create(
        issuer=owner,
        slug=slug,
        name=slug.replace("-", " ").title(),
        description="Co-created.",
        criteria_narrative="Complete it.",
        status=BadgeClass.Status.PUBLISHED,
    )
    made.alignments.set(competences)
    return made


def catalogue():
    home = ensure_home_page(hero_title="Learn together", hero_intro="Courses and badges.")
    return demo.seed_catalogue(home)


def course(parent, slug: str, institutions=(), badge_class=None) -> CoursePage:
    page = CoursePage(
        slug=slug,
        title=slug.replace("-", " ").title(),
        summary="Co-created.",
        badge_class=badge_class,
    )
    page.institutions = list(institutions)
    parent.add_child(instance=page)
    page.add_child(instance=LessonPage(slug="lesson-1", title="Lesson 1", body=[]))
    return CoursePage.objects.get(pk=page.pk)


def people(count: int, prefix: str = "person") -> list:
    User = get_user_model()
    password = make_password(None)
    batch = next(_serial)
    return User.objects.bulk_create(
        User(email=f"{prefix}{batch}-{n}@example.org", password=password, display_name=f"P{n}")
        for n in range(count)
    )


def enrol(page: CoursePage, learners, when: datetime, **fields) -> list[Enrolment]:
    """One enrolment per learner, enrolled ``when``; ``started=True`` adds lesson progress."""
    started = fields.pop("started", False)
    made = Enrolment.objects.bulk_create(
        Enrolment(user=person, course=page, enrolled_at=when, **fields) for person in learners
    )
    if started:
        lesson = LessonPage.objects.child_of(page).first()
        LessonProgress.objects.bulk_create(
            LessonProgress(enrolment=row, lesson=lesson) for row in made
        )
    return made


def awards(
    badge_class: BadgeClass, count: int, when: datetime, spread_days: int = 0, **fields
) -> list[Award]:
    """``count`` awards of ``badge_class`` issued ``when`` (spread over a few seconds), or
    spread evenly over the ``spread_days`` days before it."""
    rows, spread = [], spread_days * 86_400
    for n in range(count):
        serial = next(_serial)
        rows.append(
            Award(
                public_id=uuid.uuid4(),
                badge_class=badge_class,
                recipient_email=f"holder{serial}@example.org",
                salt="salt",
                identity_hash="sha256$0",
                issued_on=when - timedelta(seconds=n * 7919 % spread if spread else -(n % 60)),
                idempotency_key=f"impact-{serial}",
                status_index=serial,
                ob3_credential=SIGNED,
                **fields,
            )
        )
    return Award.objects.bulk_create(rows, batch_size=2000)


def verifications(checked, day, verifiers: int = 1) -> list[VerificationEvent]:
    return VerificationEvent.objects.bulk_create(
        (
            VerificationEvent(award=award, day=day, verifier=f"v{n}", verdict="valid")
            for award in checked
            for n in range(verifiers)
        ),
        batch_size=2000,
    )


def endorse(badge_class: BadgeClass, endorser: Issuer, when: datetime, **fields) -> Endorsement:
    fields.setdefault("credential", SIGNED)
    return Endorsement.objects.create(
        badge_class=badge_class, endorser=endorser, comment="Good.", issued_on=when, **fields
    )


def mentor(
    owner: Issuer | None, sector: str, email: str | None = None, approved: bool = True
) -> MentorProfile:
    """A mentor naming ``owner``; ``approved`` records that its staff approved the affiliation
    (an institution's figures count only those)."""
    [user] = people(1, prefix=email or "mentor")
    made = MentorProfile.objects.create(
        user=user, organisation="Org", sector=sector, institution=owner, time_zone="UTC"
    )
    if owner is not None and approved:
        approvals.preapprove(ApprovalRequest.Kind.MENTOR, owner, made.pk, label=str(user))
    return made


def sessions(
    by: MentorProfile, learners, when: datetime, minutes: int = 60, every_hours: int = 1, **fields
):
    """One session per learner, ``every_hours`` apart from ``when`` (never overlapping)."""
    return MentorSession.objects.bulk_create(
        (
            MentorSession(
                mentor=by,
                learner=person,
                starts_at=when + timedelta(hours=n * every_hours),
                ends_at=when + timedelta(hours=n * every_hours, minutes=minutes),
                **fields,
            )
            for n, person in enumerate(learners)
        ),
        batch_size=2000,
    )


def programme(slug: str, badge_class: BadgeClass, mentors=(), learners=()) -> MentoringProgramme:
    made = MentoringProgramme.objects.create(name=slug.title(), slug=slug, badge_class=badge_class)
    made.mentors.set(mentors)
    made.learners.set(learners)
    return made


def partnership(name: str, *members: tuple[Issuer, str], **links) -> Partnership:
    made = Partnership.objects.create(
        name=name,
        slug=name.lower().replace("–", "-"),
        summary="Together.",
        started_on=at(2025, 1),
        is_public=True,
        publish_figures=True,
    )
    for member, role in members:
        Member.objects.create(partnership=made, issuer=member, role=role)
    for field, values in links.items():
        getattr(made, field).set(values)
    return made


def case_study(about: Partnership, slug: str, **fields) -> CaseStudyPage:
    home = ensure_home_page(hero_title="Learn together", hero_intro="Courses and badges.")
    page = CaseStudyPage(
        slug=slug,
        title=slug.replace("-", " ").title(),
        partnership=about,
        summary="What happened.",
        quote="It worked.",
        quote_by="Alice, Helix",
        outcome="Three prototypes",
        **fields,
    )
    home.add_child(instance=page)
    return CaseStudyPage.objects.get(pk=page.pk)
