"""Demo data for `manage.py seed_demo`: idempotent, safe to run on every `make run`.

Later capabilities add their own demo data by extending ``seed()``; each step must be safe to
repeat (get-or-create by a natural key, never duplicate).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from credentials.models import ApprovalRequest, Issuer
from credentials.services import approvals as credentials_approvals
from credentials.services import demo as credentials_demo
from learning import demo as learning_demo
from mentoring import demo as mentoring_demo
from partnerships import demo as partnerships_demo

from . import roles, services
from .models import HomePage, StandardPage

DEMO_PASSWORD = "cocreate-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    roles: tuple[str, ...]
    time_zone: str
    what: str
    superuser: bool = False


ACCOUNTS = (
    DemoAccount(
        "admin@example.com",
        "Ada Admin",
        (roles.EDITORS,),
        "Europe/Brussels",
        "superuser: Wagtail admin, everything",
        superuser=True,
    ),
    DemoAccount(
        "editor@example.com",
        "Emil Editor",
        (roles.EDITORS,),
        "Europe/Berlin",
        "editor: builds pages and courses in the Wagtail admin",
    ),
    DemoAccount(
        "staff@northbridge.example",
        "Sofia Staff",
        (roles.ISSUER_STAFF,),
        "Europe/Amsterdam",
        "issuer staff of Northbridge University of Technology",
    ),
    DemoAccount(
        "partner@helix.example",
        "Paul Partner",
        (roles.ISSUER_STAFF, roles.MENTORS),
        "Europe/Berlin",
        "issuer staff of Helix Robotics (industry partner) and mentor",
    ),
    DemoAccount(
        "mentor@example.com",
        "Maya Mentor",
        (roles.MENTORS,),
        "America/New_York",
        "mentor from industry, in New York time",
    ),
    DemoAccount(
        "learner@example.com",
        "Lena Learner",
        (roles.LEARNERS,),
        "Europe/Lisbon",
        "learner",
    ),
)

# Waiting on staff@northbridge.example's desk in ``make run``: (who asks, to join whose staff).
PENDING_REQUEST = ("editor@example.com", credentials_demo.NORTHBRIDGE)

INSTITUTIONS = (
    {
        "slug": credentials_demo.NORTHBRIDGE,
        "name": "Northbridge University of Technology",
        "kind": Issuer.Kind.UNIVERSITY,
        "url": "https://northbridge.example",
        "email": "credentials@northbridge.example",
        "country": "NL",
        "description": (
            "A technical university that teaches entrepreneurship across all faculties and "
            "runs its courses together with regional companies."
        ),
        "staff": ("staff@northbridge.example",),
    },
    {
        "slug": credentials_demo.HELIX_ROBOTICS,
        "name": "Helix Robotics GmbH",
        "kind": Issuer.Kind.COMPANY,
        "url": "https://helix-robotics.example",
        "email": "academy@helix-robotics.example",
        "country": "DE",
        "description": (
            "A robotics company whose engineers co-teach product discovery and mentor "
            "student teams on real industrial challenges."
        ),
        "staff": ("partner@helix.example",),
    },
)

HOME = {
    "hero_title": "Learn to create value, with universities and industry together",
    "hero_intro": (
        "Co-Create Academy brings universities and companies together to teach "
        "entrepreneurial and transversal skills. Mentors from both sides coach you, and every "
        "achievement becomes an Open Badge that any employer can verify in seconds."
    ),
}

AUDIENCES = [
    {
        "audience": "learner",
        "title": "Build skills that employers recognise",
        "text": "Take short courses co-created by universities and companies, aligned to "
        "EntreComp, LifeComp and DigComp. Earn verifiable micro-credentials.",
        "link_text": "Create your free account",
        "link_url": "/accounts/signup/",
    },
    {
        "audience": "mentor",
        "title": "Coach the next generation",
        "text": "Offer one-to-one sessions in your own time zone. Learners book free slots; "
        "you get calendar invitations and keep notes.",
        "link_text": "How mentoring works",
        "link_url": "/for-mentors/",
    },
    {
        "audience": "institution",
        "title": "Issue credentials that travel",
        "text": "Define badges with the EU micro-credential elements, award them one by one "
        "or in bulk, and see how often employers verify them.",
        "link_text": "See the institutions",
        "link_url": "/institutions/",
    },
    {
        "audience": "employer",
        "title": "Check a candidate's badge in seconds",
        "text": "No account needed: drop a badge image or paste a link and get a clear "
        "verdict on who issued what to whom, and whether it still holds.",
        "link_text": "How verification works",
        "link_url": "/for-employers/",
    },
]

PAGES = [
    {
        "slug": "about",
        "title": "About",
        "intro": "Co-Create Academy follows the European Commission's code of practice on "
        "industry-academia co-creation for knowledge valorisation.",
        "body": [
            ("heading", "Why co-creation"),
            (
                "paragraph",
                "<p>Universities know how to teach; companies know which problems matter. "
                "Here they design courses together, share mentors, and endorse each other's "
                "badges, so that a credential says something true about what a person can "
                "do.</p>",
            ),
            ("heading", "Open standards"),
            (
                "paragraph",
                "<p>Every badge is an Open Badge (versions 2.0 and 3.0) carrying the EU "
                "micro-credential elements, signed by the institution that awarded it. "
                "Anyone can check it without trusting us.</p>",
            ),
        ],
    },
    {
        "slug": "for-mentors",
        "title": "For mentors",
        "intro": "Mentors from industry and academia coach learners one to one, in sessions "
        "that count towards their badges.",
        "body": [
            ("heading", "How it works"),
            (
                "paragraph",
                "<ol><li>Your institution adds you as a mentor.</li><li>You set your weekly "
                "availability in your own time zone, with days off and exceptions.</li>"
                "<li>Learners book free slots; you receive a calendar invitation.</li>"
                "<li>After the session you write notes and mark it done.</li></ol>",
            ),
            (
                "callout",
                {
                    "title": "Want to mentor?",
                    "text": "<p>Ask the staff of your institution to add you, or write to "
                    "the institution's contact address on its profile page.</p>",
                },
            ),
        ],
    },
    {
        "slug": "for-employers",
        "title": "For employers",
        "intro": "A candidate shows you a badge. Here is how to know it is real.",
        "body": [
            ("heading", "What a verification checks"),
            (
                "paragraph",
                "<ul><li>The signature: the badge was issued by the institution it names "
                "and has not been edited since.</li><li>The status: it has not been revoked "
                "and has not expired.</li><li>The recipient: it was awarded to the e-mail "
                "address your candidate gave you.</li></ul>",
            ),
            (
                "paragraph",
                "<p>Badges follow the open Open Badges standard, so any conforming verifier "
                "gives the same answer as ours.</p>",
            ),
        ],
    },
]


def seed_accounts() -> list[DemoAccount]:
    User = get_user_model()
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={"display_name": account.display_name, "time_zone": account.time_zone},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.is_staff = account.superuser or roles.EDITORS in account.roles
        user.is_superuser = account.superuser
        user.save()
        roles.grant(user, *account.roles)
    return list(ACCOUNTS)


def verify_demo_addresses(emails: list[str]) -> int:
    """Demo accounts log in at once: their own address is verified and primary (allauth's
    ``EmailAddress``). People who sign up verify theirs from the e-mail. Idempotent."""
    users = get_user_model().objects.filter(email__in=[e.lower() for e in emails])
    for user in users:
        services.mark_email_verified(user)
    return len(users)


def seed_institutions() -> list[Issuer]:
    User = get_user_model()
    issuers = []
    for data in INSTITUTIONS:
        fields = {k: v for k, v in data.items() if k not in {"slug", "staff"}}
        issuer, _ = Issuer.objects.update_or_create(slug=data["slug"], defaults=fields)
        for person in User.objects.filter(email__in=data["staff"]):
            credentials_approvals.preapprove(
                ApprovalRequest.Kind.STAFF, issuer, person.pk, label=person.email
            )  # staff from the start, as a superuser would set them
        issuers.append(issuer)
    return issuers


def seed_pending_request() -> None:
    """One request on Northbridge's desk: the editor asks to join its staff. Once."""
    editor = get_user_model().objects.filter(email=PENDING_REQUEST[0]).first()
    northbridge = Issuer.objects.filter(slug=PENDING_REQUEST[1]).first()
    if editor is None or northbridge is None:
        return
    kind = ApprovalRequest.Kind.STAFF
    if credentials_approvals.request_for(kind, editor.pk, issuer=northbridge) is None:
        credentials_approvals.request_staff(northbridge, by=editor)


def seed_pages() -> HomePage:
    """Create the page tree once; never overwrite what editors changed since."""
    home = services.ensure_home_page(**HOME)
    if not home.audiences:
        home.audiences = [("audience", item) for item in AUDIENCES]
        home.save_revision().publish()
    for data in PAGES:
        if StandardPage.objects.child_of(home).filter(slug=data["slug"]).exists():
            continue
        page = StandardPage(
            slug=data["slug"],
            title=data["title"],
            intro=data["intro"],
            body=data["body"],
            show_in_menus=False,
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    return home


@transaction.atomic
def seed() -> dict:
    accounts = seed_accounts()
    issuers = seed_institutions()
    home = seed_pages()
    courses = learning_demo.seed(home, groups=(roles.LEARNERS,))
    mentoring = mentoring_demo.seed(password=DEMO_PASSWORD)
    credentials = credentials_demo.seed(password=DEMO_PASSWORD, groups=(roles.LEARNERS,))
    seed_pending_request()
    learning_demo.seed_translations()
    partnership = partnerships_demo.seed(home, groups=(roles.LEARNERS,))
    verify_demo_addresses(
        [a.email for a in accounts + mentoring["accounts"]]
        + [credentials_demo.DEMO_LEARNER, credentials_demo.SECOND_LEARNER[0]]
    )
    return {
        "accounts": accounts + mentoring["accounts"],
        "issuers": issuers,
        "home": home,
        "learning": courses,
        "mentoring": mentoring,
        "credentials": credentials,
        "partnership": partnership,
    }
