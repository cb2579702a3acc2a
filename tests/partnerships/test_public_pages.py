"""The public pages of partnerships: what the members chose to publish, and nothing private."""

import pytest
from django.urls import reverse
from django.utils import timezone

from credentials.models import Endorsement
from mentoring.models import MentoringProgramme
from partnerships.models import Partnership
from partnerships.services import framework
from tests.credentials.factories import make_badge
from tests.credentials.second_factor_support import login_with_second_factor
from tests.partnerships.conftest import framework_words, member_of, result_row

PRIVATE = framework_words(
    vision="Robots that teach themselves",
    goals="Ship three co-created courses",
    steering_group="SECRET-STEERING Dr. Who",
    decision_rules="SECRET-RULES unanimous votes",
    ip_strategy="SECRET-IP background stays",
)


@pytest.fixture
def quiet_partnership(nh_partnership):
    """The partnership without its headline figures (those are tested on their own)."""
    nh_partnership.publish_figures = False
    nh_partnership.save()
    return nh_partnership


def agreed_framework(partnership, alice, bob, uni, company):
    version = framework.propose_version(
        partnership, alice, results=[result_row(company, "SECRET-RESULT kit")], **PRIVATE
    )
    framework.agree(version, member_of(partnership, uni), alice)
    framework.agree(version, member_of(partnership, company), bob)
    return version


def test_the_list_shows_public_partnerships_with_their_members(client, quiet_partnership):
    Partnership.objects.create(
        name="Hidden pact", slug="hidden", summary="x", started_on="2025-01-01", is_public=False
    )
    page = client.get(reverse("partnerships:index")).content.decode()
    assert "Northbridge–Helix" in page and "Robotics courses and mentoring" in page
    assert "Northbridge University" in page and "Industry partner" in page
    assert "Hidden pact" not in page


def test_the_page_names_members_with_links_to_their_institutions(
    client, quiet_partnership, member_university
):
    response = client.get(quiet_partnership.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{member_university.get_absolute_url()}"' in page
    assert "University" in page and "Industry partner" in page
    assert "1 September 2025" in page


def test_the_page_never_shows_private_framework_words(
    client, quiet_partnership, alice, bob, member_university, member_company
):
    quiet_partnership.publish_framework = True
    quiet_partnership.save()
    version = agreed_framework(quiet_partnership, alice, bob, member_university, member_company)
    framework.propose_version(quiet_partnership, alice, **{**PRIVATE, "vision": "DRAFT-VISION"})
    page = client.get(quiet_partnership.get_absolute_url()).content.decode()
    assert "Robots that teach themselves" in page  # the agreed vision, published
    assert "Agreed by both sides on" in page
    assert version.agreements.last().agreed_at.strftime("%Y") in page
    for private in ("SECRET-STEERING", "SECRET-RULES", "SECRET-IP", "SECRET-RESULT", "DRAFT-"):
        assert private not in page


def test_the_vision_stays_private_unless_published(
    client, quiet_partnership, alice, bob, member_university, member_company
):
    agreed_framework(quiet_partnership, alice, bob, member_university, member_company)
    page = client.get(quiet_partnership.get_absolute_url()).content.decode()
    assert "Robots that teach themselves" not in page
    assert "Agreed by" not in page


def test_a_version_not_agreed_by_all_is_not_published(
    client, quiet_partnership, alice, member_university
):
    quiet_partnership.publish_framework = True
    quiet_partnership.save()
    version = framework.propose_version(quiet_partnership, alice, **PRIVATE)
    framework.agree(version, member_of(quiet_partnership, member_university), alice)
    page = client.get(quiet_partnership.get_absolute_url()).content.decode()
    assert "Robots that teach themselves" not in page


def test_the_page_lists_badges_programmes_and_endorsements_between_members(
    client, quiet_partnership, member_university, member_company, outsider_institution
):
    badge = make_badge(member_university, "robot-pitch", name="Robot Pitch")
    quiet_partnership.badge_classes.add(badge)
    draft = make_badge(member_university, "draft-badge", name="Draft Badge", status="draft")
    quiet_partnership.badge_classes.add(draft)
    Endorsement.objects.create(
        badge_class=badge,
        endorser=member_company,
        comment="Yes",
        credential={"proof": 1},
        issued_on=timezone.now(),
    )
    Endorsement.objects.create(
        badge_class=badge,
        endorser=outsider_institution,
        comment="Yes",
        credential={"proof": 1},
        issued_on=timezone.now(),
    )
    page = client.get(quiet_partnership.get_absolute_url()).content.decode()
    assert "Robot Pitch" in page and "Draft Badge" not in page
    assert "Helix Robotics endorses" in page
    assert "Corvid Analytics" not in page


def test_a_private_partnership_is_not_found_except_by_its_members_staff(
    client, quiet_partnership, alice, charlie, learner
):
    quiet_partnership.is_public = False
    quiet_partnership.save()
    url = quiet_partnership.get_absolute_url()
    assert client.get(url).status_code == 404
    for outsider in (charlie, learner):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    login_with_second_factor(client, alice)
    assert client.get(url).status_code == 200
    assert "Northbridge–Helix" not in client.get(reverse("partnerships:index")).content.decode()


def test_an_unknown_partnership_is_not_found(client, db):
    assert client.get(reverse("partnerships:detail", args=["nope"])).status_code == 404


def test_headline_figures_show_only_when_published(client, nh_partnership):
    page = client.get(nh_partnership.get_absolute_url()).content.decode()
    for label in ("Learners enrolled", "Courses completed", "Badges awarded", "Hours of mentoring"):
        assert label in page
    nh_partnership.publish_figures = False
    nh_partnership.save()
    page = client.get(nh_partnership.get_absolute_url()).content.decode()
    assert "Learners enrolled" not in page and "Hours of mentoring" not in page


def test_the_page_links_its_live_courses_and_programmes(
    client, quiet_partnership, member_university
):
    from cms.services import ensure_home_page
    from learning import demo as learning_demo
    from learning.models import CoursePage
    from mentoring.models import MentoringProgramme

    catalogue = learning_demo.seed_catalogue(ensure_home_page(hero_title="Home", hero_intro="x"))
    live = CoursePage(slug="robotics-101", title="Robotics 101", summary="Robots.")
    draft = CoursePage(slug="robotics-202", title="Robotics 202", summary="More.", live=False)
    for course in (live, draft):
        catalogue.add_child(instance=course)
    quiet_partnership.courses.add(live, draft)
    programme = MentoringProgramme.objects.create(
        name="Robot mentors", slug="robot-mentors", badge_class=make_badge(member_university)
    )
    quiet_partnership.programmes.add(programme)
    page = client.get(quiet_partnership.get_absolute_url()).content.decode()
    assert "Robotics 101" in page and 'href="/courses/robotics-101/"' in page
    assert "Robotics 202" not in page
    assert f'href="{programme.get_absolute_url()}"' in page
    french = client.get("/fr" + quiet_partnership.get_absolute_url()).content.decode()
    assert 'href="/fr/courses/robotics-101/"' in french  # the reader keeps their language


def test_the_page_never_lists_an_outsiders_badge_or_programme_linked_by_hand(
    client, quiet_partnership, outsider_institution
):
    """The admin refuses such links; a link written another way still shows nothing of
    another institution's work under the partnership's name."""
    theirs = make_badge(outsider_institution, "corvid-badge", name="Corvid Badge")
    quiet_partnership.badge_classes.add(theirs)
    quiet_partnership.programmes.add(
        MentoringProgramme.objects.create(
            name="Corvid mentors", slug="corvid-mentors", badge_class=theirs
        )
    )
    page = client.get(quiet_partnership.get_absolute_url()).content.decode()
    assert "Corvid Badge" not in page
    assert "Corvid mentors" not in page
