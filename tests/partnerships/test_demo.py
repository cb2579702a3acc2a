"""The demo partnership that `seed_demo` adds: Northbridge and Helix, their framework, a case
study and a year of history."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from credentials.models import Award, VerificationEvent
from credentials.verify.site import verify
from learning.models import Enrolment
from mentoring.models import MentorProfile, MentorSession
from partnerships.demo_history import KEY_PREFIX, twelve_months
from partnerships.models import (
    CaseStudyPage,
    ExpectedResult,
    FrameworkAgreement,
    FrameworkVersion,
    Member,
    Partnership,
)
from partnerships.services import framework
from partnerships.services.access import is_member_staff

pytestmark = pytest.mark.django_db

SLUG = "northbridge-helix"


@pytest.fixture(scope="module")
def partnership_demo_seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module's tests (with the credentials signed, as after
    `make run`); each test's changes roll back to it, and the module's at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_partnership(partnership_demo_seeded, db):
    return Partnership.objects.get(slug=SLUG)


def user(email):
    return get_user_model().objects.get(email=email)


def row_counts() -> dict:
    models = (
        Partnership,
        Member,
        FrameworkVersion,
        ExpectedResult,
        FrameworkAgreement,
        CaseStudyPage,
        Enrolment,
        MentorSession,
        Award,
        VerificationEvent,
    )
    counts = {model.__name__: model.objects.count() for model in models}
    counts["users"] = get_user_model().objects.count()
    counts["links"] = [
        sorted(p.courses.values_list("pk", flat=True))
        + sorted(p.badge_classes.values_list("pk", flat=True))
        + sorted(p.programmes.values_list("pk", flat=True))
        for p in Partnership.objects.all()
    ]
    return counts


def test_seeding_again_changes_no_row_and_prints_the_partnership(demo_partnership):
    before = row_counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert row_counts() == before
    assert "/partnerships/northbridge-helix/workspace/" in out.getvalue()
    assert "/spare-parts-in-hours-not-days/" in out.getvalue()


def test_the_partnership_is_public_with_its_two_members(demo_partnership):
    assert demo_partnership.is_public
    assert demo_partnership.publish_figures and demo_partnership.publish_framework
    roles = dict(demo_partnership.members.values_list("issuer__slug", "role"))
    assert roles == {"northbridge": Member.Role.UNIVERSITY, "helix-robotics": Member.Role.INDUSTRY}
    age = timezone.localdate() - demo_partnership.started_on
    assert 395 <= age.days <= 460  # about fourteen months


def test_it_links_two_co_created_courses_the_programme_and_their_badges(demo_partnership):
    courses = list(demo_partnership.courses.all())
    assert len(courses) == 2
    for course in courses:
        assert set(course.institutions.values_list("slug", flat=True)) == {
            "northbridge",
            "helix-robotics",
        }
        assert demo_partnership.badge_classes.filter(pk=course.badge_class_id).exists()
    programme = demo_partnership.programmes.get()
    assert demo_partnership.badge_classes.filter(pk=programme.badge_class_id).exists()
    endorsed = demo_partnership.badge_classes.get(slug="co-creation-practitioner")
    assert endorsed.endorsements.filter(endorser__slug="helix-robotics").exists()


def test_version_one_is_agreed_by_both_and_version_two_waits_for_helix(demo_partnership):
    first, second = demo_partnership.framework_versions.order_by("number")
    assert (first.created_by.email, second.created_by.email) == (
        "staff@northbridge.example",
        "partner@helix.example",
    )
    assert second.change_note
    assert framework.current_agreed(demo_partnership).pk == first.pk
    waiting = [s.member.issuer.slug for s in framework.member_states(second) if not s.agreement]
    assert waiting == ["helix-robotics"]
    assert first.created_at < second.created_at
    for version in (first, second):
        assert version.results.count() == 3
        assert {r.owner.slug for r in version.results.all()} == {"northbridge", "helix-robotics"}


def test_a_published_case_study_with_a_quote_and_an_outcome(demo_partnership):
    page = CaseStudyPage.objects.live().get(partnership=demo_partnership)
    assert page.quote and page.quote_by and page.outcome and page.body
    assert page.get_parent().specific_class.__name__ == "HomePage"


def test_every_one_of_the_last_twelve_months_has_activity(demo_partnership):
    courses = demo_partnership.courses.all()
    badges = demo_partnership.badge_classes.all()
    zone = timezone.get_current_timezone()

    def months(values) -> set:
        return {timezone.localtime(v, zone).date().replace(day=1) for v in values}

    active = (
        months(Enrolment.objects.filter(course__in=courses).values_list("enrolled_at", flat=True))
        | months(Award.objects.filter(badge_class__in=badges).values_list("issued_on", flat=True))
        | months(
            MentorSession.objects.filter(idempotency_key__startswith=KEY_PREFIX).values_list(
                "starts_at", flat=True
            )
        )
    )
    assert set(twelve_months(timezone.localdate())) <= active


def test_mentoring_history_has_both_sectors_ratings_and_no_shows(demo_partnership):
    sessions = MentorSession.objects.filter(idempotency_key__startswith=KEY_PREFIX)
    done = sessions.filter(status=MentorSession.Status.COMPLETED)
    sectors = set(done.values_list("mentor__sector", flat=True))
    assert sectors == {MentorProfile.Sector.INDUSTRY, MentorProfile.Sector.ACADEMIA}
    assert done.filter(rating__isnull=False).count() >= 20
    assert sessions.filter(status=MentorSession.Status.NO_SHOW).exists()
    assert not sessions.filter(starts_at__gt=timezone.now()).exists()
    programme = demo_partnership.programmes.get()
    assert set(sessions.values_list("learner", flat=True)) <= set(
        programme.learners.values_list("pk", flat=True)
    )


def test_history_awards_are_signed_backdated_and_verify(demo_partnership):
    awards = Award.objects.filter(badge_class__in=demo_partnership.badge_classes.all())
    assert awards.filter(issued_on__lt=timezone.now() - timezone.timedelta(days=180)).exists()
    assert not awards.filter(signed_at__isnull=True).exists()
    assert VerificationEvent.objects.filter(award__in=awards).count() >= 20
    one = awards.filter(recipient__email__endswith="@learners.example").first()
    assert verify(one.ob3_jwt).verdict == "valid"  # what the learner hands an employer


def test_completed_enrolments_hold_the_course_badge(demo_partnership):
    completed = Enrolment.objects.filter(
        course__in=demo_partnership.courses.all(), status=Enrolment.Status.COMPLETED
    )
    assert completed.count() >= 10
    assert not completed.filter(award__isnull=True).exists()
    assert not completed.exclude(award_status=Enrolment.AwardStatus.AWARDED).exists()


@pytest.mark.parametrize(
    "email", ["staff@northbridge.example", "partner@helix.example"], ids=["sofia", "paul"]
)
def test_staff_of_both_members_open_the_workspace(demo_partnership, email):
    assert is_member_staff(user(email), demo_partnership)


def test_the_independent_mentor_cannot_open_the_workspace(demo_partnership):
    assert not is_member_staff(user("mentor@example.com"), demo_partnership)
