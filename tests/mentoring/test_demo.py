import io

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Collection

from credentials.frameworks import load_frameworks
from credentials.models import BadgeClass, Competency, Framework
from mentoring.models import MentoringProgramme, MentorProfile, MentorSession

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def mentoring_demo_seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module's tests (what it printed is returned): each test
    runs inside this transaction, and what it changes rolls back to the seeded demo."""
    with django_db_blocker.unblock(), transaction.atomic():
        # The frameworks a migration loads, which seed_demo aligns badges with. In the SQLite
        # pass these tests may follow a browser journey, and a transactional test empties
        # every table.
        if not Competency.objects.exists():
            load_frameworks(Framework, Competency)
        if not Collection.get_first_root_node():  # documents and images need Wagtail's root
            Collection.add_root(name="Root")
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def mentoring_demo(mentoring_demo_seeded, db) -> str:
    """The database as `seed_demo` leaves it; returns what seed_demo printed."""
    return mentoring_demo_seeded


def counts():
    return (
        MentorProfile.objects.count(),
        MentorSession.objects.count(),
        MentoringProgramme.objects.count(),
    )


def test_seed_demo_twice_creates_the_mentoring_data_once(mentoring_demo):
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


def test_the_demo_has_two_industry_and_one_academic_mentor_in_three_zones(mentoring_demo):
    mentors = MentorProfile.objects.all()
    assert sorted(m.sector for m in mentors) == ["academia", "industry", "industry"]
    assert len({m.time_zone for m in mentors}) == 3
    assert all(m.weekly.exists() for m in mentors)


def test_the_demo_programme_has_a_published_badge_and_the_demo_learner(mentoring_demo):
    programme = MentoringProgramme.objects.get(slug="industry-co-creation-mentoring")
    assert programme.badge_class.status == BadgeClass.Status.PUBLISHED
    assert programme.learners.filter(email="learner@example.com").exists()


def test_the_demo_learner_has_past_and_upcoming_sessions(mentoring_demo):
    statuses = set(
        MentorSession.objects.filter(learner__email="learner@example.com").values_list(
            "status", flat=True
        )
    )
    assert {"completed", "confirmed", "requested"} <= statuses


def test_seed_demo_prints_the_academic_mentor(mentoring_demo):
    assert "academic@northbridge.example" in mentoring_demo


def test_every_demo_mentor_holds_the_mentor_role_and_no_unknown_group(mentoring_demo):
    from cms import roles

    for profile in MentorProfile.objects.select_related("user"):
        names = set(profile.user.groups.values_list("name", flat=True))
        assert roles.MENTORS in names and names <= set(roles.ALL_ROLES)
