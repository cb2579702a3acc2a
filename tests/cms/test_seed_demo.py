import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import Page

from cms import demo, roles
from credentials.models import ApprovalRequest, Issuer
from credentials.services import approvals
from learning.models import CoursePage
from lib.translations import in_source_tree
from mentoring.models import MentorProfile


def counts():
    users, issuers, pages = get_user_model().objects, Issuer.objects, Page.objects
    return (users.count(), issuers.count(), pages.count(), ApprovalRequest.objects.count())


@pytest.fixture(scope="module")
def cms_demo_seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module's tests that ask for it (what it printed is
    returned): each runs inside this transaction, and what it changes rolls back to the seeded
    demo. The tests that need a database without the demo come first in this file: once asked
    for, the seeded demo stays until the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def cms_demo(cms_demo_seeded, db) -> str:
    """The database as `seed_demo` leaves it; returns what seed_demo printed."""
    return cms_demo_seeded


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    accounts = get_user_model().objects.filter(email__in=[a.email for a in demo.ACCOUNTS])
    assert not accounts.exists()  # this test runs before the module's seeded demo
    # A production site: no demo accounts with the published password, nothing re-signed.
    settings.DEBUG = False
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(email__in=[a.email for a in demo.ACCOUNTS]).exists()


@pytest.mark.django_db
def test_seed_demo_keeps_what_editors_changed(home_page):
    about = Page.objects.get(slug="about").specific
    about.title = "About us"
    about.save_revision().publish()
    call_command("seed_demo", stdout=io.StringIO())
    assert Page.objects.get(slug="about").title == "About us"


@pytest.mark.django_db
def test_seed_demo_twice_creates_nothing_the_second_time(cms_demo):
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


@pytest.mark.django_db
def test_seed_demo_gives_every_role_an_account_that_logs_in(client, cms_demo):
    User = get_user_model()
    held = {role for user in User.objects.all() for role in roles.roles_of(user)}
    assert held == set(roles.ALL_ROLES)
    for account in demo.ACCOUNTS:
        assert client.login(username=account.email, password=demo.DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_creates_a_university_and_an_industry_partner_with_staff(cms_demo):
    kinds = {issuer.kind: issuer for issuer in Issuer.objects.all()}
    assert {Issuer.Kind.UNIVERSITY, Issuer.Kind.COMPANY} <= set(kinds)
    assert all(issuer.staff.exists() for issuer in kinds.values())
    # as before: every course awards and shows its badge, every mentor their institution
    courses = in_source_tree(CoursePage.objects.exclude(badge_class=None))
    assert all(course.approved_badge for course in courses)
    affiliated = MentorProfile.objects.exclude(institution=None)
    assert affiliated and all(p.shown_institution == p.institution for p in affiliated)
    # and one request waits on Northbridge's desk
    staff = get_user_model().objects.get(email="staff@northbridge.example")
    waiting = approvals.pending_for_user(staff)
    assert [(r.kind, r.requested_by.email) for r in waiting] == [("staff", "editor@example.com")]


@pytest.mark.django_db
def test_seed_demo_prints_the_demo_accounts(cms_demo):
    out = cms_demo
    assert demo.DEMO_PASSWORD in out
    assert all(account.email in out for account in demo.ACCOUNTS)
