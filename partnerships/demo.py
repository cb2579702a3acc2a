"""Demo data for partnerships (``manage.py seed_demo``): the Northbridge–Helix partnership.

Called by ``cms.demo.seed()`` after the institutions, courses, mentoring programme and badges
exist. Adds the partnership (public, figures and framework published, started about fourteen
months ago), its two members, what it runs (two co-created courses, the mentoring programme,
their badges and the badge Helix endorses), its framework in two versions through the framework
service (version 1 by Northbridge's staff, agreed by both; version 2 by Helix's, agreed by
Northbridge only: one agreement waits), a published case study under the home page, and a year
of history so every chart of the dashboard has a shape (``partnerships.demo_history``).

Idempotent: found by slug, e-mail or key; the framework and the history are written once.
Partnerships import nothing from the site, so the caller passes the home page and the groups
of the learners this creates.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from credentials.models import BadgeClass, Issuer
from learning.models import CoursePage
from mentoring.models import MentoringProgramme
from partnerships import demo_content as content
from partnerships.demo_history import months_before, seed_history
from partnerships.models import CaseStudyPage, Member, Partnership
from partnerships.services import framework

UNIVERSITY_STAFF = "staff@northbridge.example"
PARTNER_STAFF = "partner@helix.example"
STARTED_MONTHS_AGO = 14


def seed(home: Page | None = None, groups: tuple[str, ...] = ()) -> dict:
    """Create or refresh the demo partnership; returns what it made (empty without the
    demo's institutions). ``home`` is the parent of the case study (none without it)."""
    with transaction.atomic():
        issuers = {
            i.slug: i for i in Issuer.objects.filter(slug__in=(content.NORTHBRIDGE, content.HELIX))
        }
        if len(issuers) < 2:
            return {}
        today = timezone.localdate()
        partnership = seed_partnership(today)
        members = seed_members(partnership, issuers)
        links = seed_links(partnership)
        versions = seed_framework(partnership, members, issuers, today)
        case_study = seed_case_study(partnership, home) if home is not None else None
        history = seed_history(partnership, links, groups=groups, today=today)
    return {
        "partnership": partnership,
        "members": members,
        "versions": versions,
        "case_study": case_study,
        "history": history,
        **links,
    }


def seed_partnership(today: date) -> Partnership:
    data = content.PARTNERSHIP
    partnership, created = Partnership.objects.get_or_create(
        slug=data["slug"],
        defaults={**data, "started_on": months_before(today, STARTED_MONTHS_AGO)},
    )
    return partnership


def seed_members(partnership: Partnership, issuers: dict[str, Issuer]) -> dict[str, Member]:
    roles = {content.NORTHBRIDGE: Member.Role.UNIVERSITY, content.HELIX: Member.Role.INDUSTRY}
    members = {}
    for slug, role in roles.items():
        members[slug], _created = Member.objects.get_or_create(
            partnership=partnership,
            issuer=issuers[slug],
            defaults={"role": role, "joined_on": partnership.started_on},
        )
    return members


def seed_links(partnership: Partnership) -> dict:
    """The co-created courses (those of both members, by slug), the mentoring programme, their
    badges and the endorsed badge. Adding again changes nothing."""
    courses = [
        course
        for slug in content.COURSES
        for course in CoursePage.objects.filter(slug=slug, locale__language_code="en")[:1]
    ]
    programme = MentoringProgramme.objects.filter(slug=content.PROGRAMME).first()
    badges = [course.badge_class for course in courses if course.badge_class_id]
    if programme is not None and programme.badge_class_id:
        badges.append(programme.badge_class)
    endorsed = [
        badge
        for issuer_slug, slug in content.ENDORSED_BADGES
        for badge in BadgeClass.objects.filter(issuer__slug=issuer_slug, slug=slug)
    ]
    partnership.courses.add(*courses)
    if programme is not None:
        partnership.programmes.add(programme)
    partnership.badge_classes.add(*badges, *endorsed)
    return {"courses": courses, "programme": programme, "badges": badges + endorsed}


def _results(rows: list[dict], issuers: dict[str, Issuer], changes: dict | None = None):
    changes = changes or {}
    return [
        {**row, **changes.get(row["title"], {}), "owner": issuers[row["owner"]]} for row in rows
    ]


def seed_framework(
    partnership: Partnership, members: dict[str, Member], issuers: dict[str, Issuer], today: date
) -> list:
    """Version 1 by Northbridge's staff, agreed by both; version 2 by Helix's, agreed by
    Northbridge only. Written once: a partnership with versions is left as it is."""
    if partnership.framework_versions.exists():
        return list(partnership.framework_versions.order_by("number"))
    User = get_user_model()
    sofia = User.objects.filter(email=UNIVERSITY_STAFF).first()
    paul = User.objects.filter(email=PARTNER_STAFF).first()
    if sofia is None or paul is None:
        return []
    university, industry = members[content.NORTHBRIDGE], members[content.HELIX]
    first = framework.propose_version(
        partnership,
        sofia,
        **content.FRAMEWORK_V1,
        change_note="First version, drafted at the kick-off meeting",
        results=_results(content.RESULTS_V1, issuers),
    )
    framework.agree(first, university, sofia)
    framework.agree(first, industry, paul)
    second = framework.propose_version(
        partnership,
        paul,
        **(content.FRAMEWORK_V1 | content.V2_CHANGES),
        change_note=content.V2_NOTE,
        results=_results(content.RESULTS_V1, issuers, content.RESULT_V2_CHANGES),
    )
    framework.agree(second, university, sofia)
    _backdate(first, second, partnership.started_on, today)
    return [first, second]


def _backdate(first, second, started_on: date, today: date) -> None:
    """Give the history believable dates: version 1 a few weeks after the start, agreed within
    two weeks; version 2 three weeks ago, agreed by Northbridge a week later."""
    now = timezone.now()
    begun = timezone.make_aware(datetime.combine(started_on + timedelta(days=20), time(10)))
    type(first).objects.filter(pk=first.pk).update(created_at=begun)
    first.agreements.filter(member__role=Member.Role.UNIVERSITY).update(
        agreed_at=begun + timedelta(days=2, hours=3)
    )
    first.agreements.filter(member__role=Member.Role.INDUSTRY).update(
        agreed_at=begun + timedelta(days=11, hours=6)
    )
    proposed = now - timedelta(days=21)
    type(second).objects.filter(pk=second.pk).update(created_at=proposed)
    second.agreements.update(agreed_at=proposed + timedelta(days=6, hours=2))


def seed_case_study(partnership: Partnership, home: Page) -> CaseStudyPage:
    """The published case study under the home page; never overwritten once made."""
    data = content.CASE_STUDY
    page = CaseStudyPage.objects.child_of(home).filter(slug=data["slug"]).first()
    if page is not None:
        return page
    page = CaseStudyPage(partnership=partnership, show_in_menus=False, **data)
    home.add_child(instance=page)
    page.save_revision().publish()
    return CaseStudyPage.objects.get(pk=page.pk)
