"""Demo badges and awards for ``manage.py seed_demo``. Idempotent: safe to run on every start.

Five badge classes aligned to EntreComp and LifeComp, issued by the demo university
(``northbridge``) and the industry partner (``helix-robotics``) — one a complete EU
micro-credential — all published; the partner's endorsement of the university's co-creation
badge; awards for the demo learner (public and private) and a revoked one for a second demo
learner. The institutions come first (``cms.demo``); this module
imports no other app of ours, so the caller passes the password and groups for new accounts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from credentials import services
from credentials.conf import settings as conf
from credentials.issuing import links
from credentials.issuing.images import normalise_png
from credentials.models import Award, BadgeClass, Competency, Issuer, PublicProfile
from credentials.services.demo_editions import seed_editions
from credentials.services.publishing import publish

# The demo institutions, by slug: the one list of them. ``cms.demo`` creates them under these
# slugs, and only their credentials are ever signed again for another address (relocation).
NORTHBRIDGE, HELIX_ROBOTICS = "northbridge", "helix-robotics"
DEMO_ISSUERS = (NORTHBRIDGE, HELIX_ROBOTICS)


def demo_data_allowed() -> bool:
    """True where demo data may be written: under DEBUG (``make run``), or where the settings
    say so explicitly (``DEMO_DATA_ALLOWED``: the test settings). Never on a production site:
    demo accounts share a published password."""
    return bool(django_settings.DEBUG or conf.DEMO_DATA_ALLOWED)


DEMO_LEARNER = "learner@example.com"
SECOND_LEARNER = ("sam@example.com", "Sam Sample", "Europe/Dublin")

BADGES = [
    {
        "issuer": "northbridge",
        "slug": "co-creation-practitioner",
        "name": "Industry–Academia Co-Creation Practitioner",
        "colour": "#1d4ed8",
        "description": "Has run a co-creation project with an industry partner from the first "
        "meeting to a jointly owned result: shared goals, a working team of students and "
        "engineers, and a plan for turning the result into value.",
        "criteria_narrative": "Complete the co-creation project module with an industry partner, "
        "submit the project portfolio and pass the oral assessment with two assessors, one from "
        "the university and one from the partner.",
        "alignments": [("entrecomp", "3.4"), ("entrecomp", "2.5"), ("lifecomp", "S3")],
        "achievement_type": BadgeClass.AchievementType.MICRO_CREDENTIAL,
        "is_micro_credential": True,
        "learning_outcomes": "Agree shared goals, roles and IP terms with an industry partner\n"
        "Run a mixed team of students and engineers through a project cycle\n"
        "Present a jointly owned result and a plan for its valorisation",
        "workload_hours": 84,
        "ects_credits": Decimal("3.0"),
        "eqf_level": 6,
        "assessment_type": "Project portfolio and oral examination by two assessors",
        "participation_form": BadgeClass.Participation.BLENDED,
        "quality_assurance": "Internal quality assurance of Northbridge University of "
        "Technology; programme accredited by NVAO",
        "prerequisites": "A bachelor's level course in project work, or equivalent experience",
        "supervision_and_identity": "Supervised on site; identity checked at the oral exam",
        "grade_scheme": "Pass / fail",
        "integration": "Counts towards the Northbridge minor in Entrepreneurship (15 ECTS)",
        "further_information": "https://northbridge.example/co-creation",
        "tags": ["co-creation", "project work", "industry partnership"],
    },
    {
        "issuer": "northbridge",
        "slug": "creative-problem-framing",
        "name": "Creative Problem Framing",
        "colour": "#7c3aed",
        "description": "Turns a vague industrial challenge into sharp, testable problem "
        "statements and generates original ways to address them.",
        "criteria_narrative": "Deliver three problem statements for a partner challenge and "
        "facilitate one ideation workshop, reviewed by the course team.",
        "alignments": [("entrecomp", "1.2"), ("entrecomp", "1.1"), ("lifecomp", "L2")],
        "learning_outcomes": "Reframe a challenge from several stakeholders' points of view\n"
        "Facilitate a structured ideation workshop",
        "workload_hours": 20,
        "participation_form": BadgeClass.Participation.ONSITE,
        "assessment_type": "Workshop observation and written problem statements",
        "tags": ["creativity", "design thinking"],
    },
    {
        "issuer": "northbridge",
        "slug": "reflective-learner",
        "name": "Reflective Learner",
        "colour": "#0e7490",
        "description": "Plans their own learning, seeks feedback and learns from experience "
        "across a semester of mentored co-creation work.",
        "criteria_narrative": "Keep a learning journal through the semester and hold at least "
        "three mentoring sessions with written reflections.",
        "alignments": [("lifecomp", "L1"), ("lifecomp", "L3"), ("entrecomp", "3.5")],
        "validity_days": 730,
        "tags": ["learning to learn", "mentoring"],
    },
    {
        "issuer": "helix-robotics",
        "slug": "prototype-sprint-lead",
        "name": "Prototype Sprint Lead",
        "colour": "#b45309",
        "description": "Led a two-week prototyping sprint on a real Helix Robotics challenge: "
        "took the initiative, planned the work and kept the team moving under uncertainty.",
        "criteria_narrative": "Lead a sprint team to a working prototype demonstrated to Helix "
        "engineers, with a sprint plan and a risk log.",
        "alignments": [("entrecomp", "3.1"), ("entrecomp", "3.2"), ("entrecomp", "3.3")],
        "workload_hours": 60,
        "participation_form": BadgeClass.Participation.ONSITE,
        "assessment_type": "Prototype demonstration to a panel of Helix engineers",
        "tags": ["robotics", "prototyping", "leadership"],
    },
    {
        "issuer": "helix-robotics",
        "slug": "responsible-automation",
        "name": "Responsible Automation",
        "colour": "#166534",
        "description": "Weighs the ethical, social and environmental effects of an automation "
        "project and argues for the option that creates lasting value.",
        "criteria_narrative": "Write an impact assessment of an automation case and defend it "
        "in a panel discussion with Helix staff.",
        "alignments": [("entrecomp", "1.5"), ("entrecomp", "1.4"), ("lifecomp", "S1")],
        "workload_hours": 16,
        "participation_form": BadgeClass.Participation.ONLINE,
        "assessment_type": "Written impact assessment and panel discussion",
        "tags": ["ethics", "sustainability", "automation"],
    },
]

# (recipient, issuer slug, badge slug, days ago, public, evidence, revocation reason)
AWARDS = [
    (
        DEMO_LEARNER,
        "northbridge",
        "co-creation-practitioner",
        40,
        True,
        {
            "name": "Project portfolio: spare-parts forecasting with Helix Robotics",
            "url": "https://northbridge.example/portfolios/lena-learner",
            "narrative": "Led the discovery interviews and co-wrote the partnership agreement.",
        },
        "",
    ),
    (DEMO_LEARNER, "northbridge", "creative-problem-framing", 75, True, None, ""),
    (
        DEMO_LEARNER,
        "helix-robotics",
        "prototype-sprint-lead",
        12,
        False,
        {"name": "Sprint demo", "narrative": "Demonstrated a gripper-change prototype."},
        "",
    ),
    (SECOND_LEARNER[0], "northbridge", "reflective-learner", 30, True, None, ""),
    (
        SECOND_LEARNER[0],
        "helix-robotics",
        "responsible-automation",
        20,
        True,
        None,
        "Awarded in error: the panel discussion had not taken place yet.",
    ),
]


@dataclass(frozen=True)
class DemoAward:
    award: Award
    url: str

    @property
    def label(self) -> str:
        state = services.award_status(self.award)
        visibility = "public" if self.award.is_public else "private"
        return (
            f"{self.award.badge_class.name} → {self.award.recipient_email} ({state}, {visibility})"
        )


def badge_png(name: str, colour: str) -> bytes:
    """A round badge with a ribbon and the badge's initials, normalised like an upload."""
    size = 512
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(150, 330), (110, 500), (185, 455), (230, 510), (256, 350)], fill="#334155")
    draw.polygon([(362, 330), (402, 500), (327, 455), (282, 510), (256, 350)], fill="#334155")
    draw.ellipse((56, 20, 456, 420), fill="#ffffff")
    draw.ellipse((72, 36, 440, 404), fill=colour)
    draw.ellipse((104, 68, 408, 372), outline="#ffffff", width=6)
    initials = "".join(w[0] for w in name.replace("–", " ").split() if w[:1].isalpha())[:2]
    try:
        font = ImageFont.load_default(size=120)
    except TypeError:  # Pillow without FreeType
        font = ImageFont.load_default()
    draw.text((256, 220), initials.upper(), fill="#ffffff", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return normalise_png(out.getvalue()).content


def _person(email: str, name: str, zone: str, password: str | None, groups: tuple[str, ...]):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        extra = {"display_name": name}
        if any(f.name == "time_zone" for f in User._meta.get_fields()):
            extra["time_zone"] = zone
        user = User.objects.create_user(email=email, password=password, **extra)
    for group in groups:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def seed_badges() -> dict[tuple[str, str], BadgeClass]:
    issuers = {issuer.slug: issuer for issuer in Issuer.objects.filter(slug__in=_issuer_slugs())}
    missing = set(_issuer_slugs()) - set(issuers)
    if missing:
        raise LookupError(f"Seed the institutions first: {', '.join(sorted(missing))} missing.")
    badges = {}
    for data in BADGES:
        issuer = issuers[data["issuer"]]
        fields = {k: v for k, v in data.items() if k not in {"issuer", "slug", "alignments"}}
        fields.pop("colour")
        badge = BadgeClass.objects.filter(issuer=issuer, slug=data["slug"]).first()
        if badge is None:
            badge = BadgeClass.objects.create(issuer=issuer, slug=data["slug"], **fields)
            badge.alignments.set(
                Competency.objects.get(framework__code=framework, code=code)
                for framework, code in data["alignments"]
            )
        if not badge.image:
            badge.image.save(
                f"{badge.slug}.png", ContentFile(badge_png(data["name"], data["colour"]))
            )
        badges[(issuer.slug, badge.slug)] = publish(badge, by=None)
    # Stacking: Northbridge's two smaller badges count toward its practitioner badge, so a
    # learner's CLR 2.0 record shows the "isPartOf" associations.
    practitioner = badges[("northbridge", "co-creation-practitioner")]
    for slug in STACKED_INTO_PRACTITIONER:
        badges[("northbridge", slug)].part_of.add(practitioner)
    return badges


STACKED_INTO_PRACTITIONER = ("creative-problem-framing", "reflective-learner")


def _issuer_slugs() -> list[str]:
    return sorted({data["issuer"] for data in BADGES})


ENDORSEMENTS = [
    (
        "helix-robotics",
        ("northbridge", "co-creation-practitioner"),
        "Helix Robotics co-designed this module. Holders have run a real project with our "
        "engineers, and we invite them to our graduate programme interviews.",
    ),
]


def seed_endorsements(badges) -> None:
    """The industry partner endorses the university's co-creation badge (before the awards,
    so the demo credentials carry it)."""
    from credentials.services.endorsements import endorse

    for endorser_slug, badge_key, comment in ENDORSEMENTS:
        endorser = Issuer.objects.get(slug=endorser_slug)
        by = endorser.staff.order_by("pk").first()
        if by is not None:
            endorse(badges[badge_key], endorser, comment, by)


def seed_awards(badges, learners) -> list[DemoAward]:
    made = []
    now = timezone.now()
    for email, issuer_slug, slug, days, public, evidence, revoked in AWARDS:
        badge = badges[(issuer_slug, slug)]
        awarded_by = badge.issuer.staff.order_by("pk").first()
        award = services.award(
            badge,
            learners[email],
            [evidence] if evidence else None,
            awarded_by=awarded_by,
            issued_on=now - timedelta(days=days),
        )
        if award.is_public != public:
            Award.objects.filter(pk=award.pk).update(is_public=public)
            award.is_public = public
        if revoked:
            award = services.revoke(award, revoked, by=awarded_by)
        made.append(DemoAward(award, links.award_url(award)))
    return made


def seed(password: str | None = None, groups: tuple[str, ...] = ()) -> dict:
    """Create or refresh the demo badges and awards; returns them and their public URLs.

    ``password`` and ``groups`` are used only for demo learners this creates.
    """
    with transaction.atomic():
        learners = {
            DEMO_LEARNER: _person(DEMO_LEARNER, "Lena Learner", "Europe/Lisbon", password, groups),
            SECOND_LEARNER[0]: _person(*SECOND_LEARNER, password, groups),
        }
        badges = seed_badges()
        seed_editions(badges)
        seed_endorsements(badges)
        awards = seed_awards(badges, learners)
        # The demo learner shows her public credentials on a public profile (/people/<id>/).
        PublicProfile.objects.get_or_create(
            user=learners[DEMO_LEARNER], defaults={"is_public": True}
        )
    return {
        "badges": list(badges.values()),
        "awards": awards,
        "urls": [item.url for item in awards],
        "learners": list(learners.values()),
    }
