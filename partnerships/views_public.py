"""A partnership's public pages: the list of public partnerships, and one partnership with what
its members chose to publish. Governance, intellectual-assets terms, expected results and drafts
are never shown here; they stay in the members' workspace (views_workspace.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from credentials.models import BadgeClass, Endorsement
from credentials.services import badges_in_language
from learning.models import CoursePage
from lib.translations import in_language_many, in_source_tree
from mentoring.models import MentoringProgramme
from partnerships.models import CaseStudyPage, FrameworkVersion, Member, Partnership
from partnerships.services import access, framework


@dataclass(frozen=True)
class Runs:
    """What a partnership runs, in the reader's language: live courses, mentoring programmes,
    published badges and the standing endorsements between its members."""

    courses: list[CoursePage]
    programmes: list[MentoringProgramme]
    badges: list[BadgeClass]
    endorsements: list[Endorsement]

    @property
    def anything(self) -> bool:
        return bool(self.courses or self.programmes or self.badges or self.endorsements)


def members_of(partnership: Partnership) -> list[Member]:
    """Its members, the university first."""
    members = list(partnership.members.select_related("issuer"))
    return sorted(members, key=lambda m: (framework.ROLE_ORDER.get(m.role, 9), m.issuer.name))


def runs_of(partnership: Partnership, members: list[Member]) -> Runs:
    issuers = [m.issuer_id for m in members]
    courses = in_source_tree(partnership.courses.live()).order_by("title")
    # Only badges a member issues: a link the admin would refuse never shows another
    # institution's badge under the partnership's name (the figures are scoped the same way).
    programmes = (
        partnership.programmes.filter(badge_class__issuer_id__in=issuers)
        .select_related("badge_class__issuer")
        .order_by("name")
    )
    badges = partnership.badge_classes.filter(
        status=BadgeClass.Status.PUBLISHED, issuer_id__in=issuers
    ).select_related("issuer")
    endorsements = (
        Endorsement.objects.standing()
        .filter(endorser_id__in=issuers, badge_class__issuer_id__in=issuers)
        .select_related("badge_class__issuer")
        .order_by("badge_class__name")
    )
    return Runs(
        courses=in_language_many(courses),
        programmes=list(programmes),
        badges=badges_in_language(badges.order_by("name")),
        endorsements=list(endorsements),
    )


def index(request):
    members = Prefetch("members", queryset=Member.objects.select_related("issuer"))
    partnerships = access.public_partnerships().prefetch_related(members)
    return render(request, "partnerships/index.html", {"partnerships": partnerships})


def detail(request, slug: str):
    partnership = get_object_or_404(Partnership, slug=slug)
    if not access.can_see_page(request.user, partnership):
        raise Http404
    members = members_of(partnership)
    agreed: FrameworkVersion | None = None
    if partnership.publish_framework:
        agreed = framework.current_agreed(partnership)
    case_studies = in_source_tree(CaseStudyPage.objects.live().filter(partnership=partnership))
    context = {
        "partnership": partnership,
        "members": members,
        "runs": runs_of(partnership, members),
        "agreed": agreed,
        "case_studies": in_language_many(case_studies.order_by("-first_published_at")),
        "is_member_staff": access.is_member_staff(request.user, partnership),
    }
    return render(request, "partnerships/detail.html", context)
