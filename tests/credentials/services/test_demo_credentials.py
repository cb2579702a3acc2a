"""Demo badges and awards: five aligned badge classes, awards for the demo learners, idempotent."""

import pytest
from django.contrib.auth import get_user_model

from cms import demo as cms_demo
from cms import roles
from credentials import services
from credentials.models import Award, BadgeClass
from credentials.services import demo
from credentials.services.publishing import missing_elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_credentials(db):
    cms_demo.seed_accounts()
    cms_demo.seed_institutions()
    return demo.seed(password=cms_demo.DEMO_PASSWORD, groups=(roles.LEARNERS,))


def test_five_published_badges_across_the_university_and_the_partner(demo_credentials):
    badges = demo_credentials["badges"]
    assert len(badges) == 5
    assert {b.issuer.slug for b in badges} == {"northbridge", "helix-robotics"}
    assert all(b.status == BadgeClass.Status.PUBLISHED for b in badges)
    assert all(b.image for b in badges)


def test_every_demo_badge_aligns_to_entrecomp_or_lifecomp(demo_credentials):
    for badge in demo_credentials["badges"]:
        frameworks = set(badge.alignments.values_list("framework__code", flat=True))
        assert frameworks and frameworks <= {"entrecomp", "lifecomp"}
    codes = {
        c
        for b in demo_credentials["badges"]
        for c in b.alignments.values_list("framework__code", flat=True)
    }
    assert codes == {"entrecomp", "lifecomp"}


def test_one_demo_badge_is_a_complete_eu_micro_credential(demo_credentials):
    micro = [b for b in demo_credentials["badges"] if b.is_micro_credential]
    assert micro
    assert all(missing_elements(b) == [] for b in micro)


def test_the_demo_learner_has_public_and_private_awards(demo_credentials):
    awards = Award.objects.filter(recipient__email=demo.DEMO_LEARNER)
    assert awards.filter(is_public=True).exists()
    assert awards.filter(is_public=False).exists()
    assert all(services.award_status(a) == "valid" for a in awards)


def test_a_second_demo_learner_has_a_revoked_award(demo_credentials):
    sam = get_user_model().objects.get(email="sam@example.com")
    assert sam.check_password(cms_demo.DEMO_PASSWORD)
    assert roles.has_role(sam, roles.LEARNERS)
    revoked = Award.objects.get(recipient=sam, revoked_at__isnull=False)
    assert revoked.revocation_reason


def test_the_seed_returns_the_absolute_public_url_of_each_award(demo_credentials):
    assert len(demo_credentials["urls"]) == Award.objects.count() == 5
    for url in demo_credentials["urls"]:
        assert url.startswith("http://testserver/credentials/")


def test_seeding_twice_changes_nothing(demo_credentials):
    again = demo.seed(password=cms_demo.DEMO_PASSWORD, groups=(roles.LEARNERS,))
    assert again["urls"] == demo_credentials["urls"]
    assert BadgeClass.objects.count() == 5
    assert Award.objects.count() == 5
    assert get_user_model().objects.filter(email="sam@example.com").count() == 1


def test_the_co_creation_badge_has_french_and_german_editions_its_credentials_link(
    demo_credentials,
):
    from credentials.models import BadgeEdition

    badge = BadgeClass.objects.get(slug="co-creation-practitioner")
    assert sorted(badge.editions.values_list("language", flat=True)) == ["de", "fr"]
    assert not any(edition.is_outdated for edition in badge.editions.all())
    demo.seed(password=cms_demo.DEMO_PASSWORD, groups=(roles.LEARNERS,))  # again: no more
    assert BadgeEdition.objects.count() == 2
    from credentials.issuing import openbadges3

    award = Award.objects.filter(badge_class=badge).first()
    achievement = openbadges3.credential(award)["credentialSubject"]["achievement"]
    assert [r["inLanguage"] for r in achievement["related"]] == ["de", "fr"]


def test_the_demo_slugs_do_not_collide_with_the_learning_and_mentoring_demos():
    from learning.demo_content import BADGES as LEARNING_BADGES

    ours = {(b["issuer"], b["slug"]) for b in demo.BADGES}
    theirs = {(b["issuer"], b["slug"]) for b in LEARNING_BADGES}
    theirs.add(("helix-robotics", "industry-co-creation-mentee"))
    assert not ours & theirs


def test_seeding_without_the_institutions_says_what_is_missing(db):
    with pytest.raises(LookupError, match="northbridge"):
        demo.seed()


def test_seed_demo_prints_the_public_url_of_each_award(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    for award in Award.objects.filter(
        recipient__email__in=["learner@example.com", "sam@example.com"]
    ):
        if award.badge_class.slug in {b["slug"] for b in demo.BADGES}:
            assert f"http://testserver/credentials/{award.public_id}/" in printed
