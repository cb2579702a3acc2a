"""A case study page: its story, its quote and outcome, and its partnership's figures only when
the members publish them."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.html import escape

from partnerships.models import CaseStudyPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_study(nh_partnership):
    from cms.services import ensure_home_page

    home = ensure_home_page(hero_title="Hello", hero_intro="Intro")
    nh_partnership.is_public = nh_partnership.publish_figures = True
    nh_partnership.save()
    page = CaseStudyPage(
        title="Three prototypes in a year",
        slug="three-prototypes",
        partnership=nh_partnership,
        summary="How a sprint course turned into products.",
        quote="Our engineers learnt as much as the students.",
        quote_by="Bob Okafor, Helix Robotics",
        outcome="Three prototypes taken up by Helix",
        body="<p>It began with a <b>sprint</b>.</p>",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_case_study_tells_its_story_with_its_partnerships_figures(client, case_study):
    html = client.get(case_study.url).content.decode()
    assert "Three prototypes taken up by Helix" in html
    assert escape("Our engineers learnt as much as the students.") in html
    assert "Bob Okafor, Helix Robotics" in html
    assert "<b>sprint</b>" in html
    assert "Learners enrolled" in html and "Hours of mentoring" in html
    assert case_study.partnership.get_absolute_url() in html


def test_a_case_study_hides_figures_its_partnership_does_not_publish(client, case_study):
    partnership = case_study.partnership
    partnership.publish_figures = False
    partnership.save()
    html = client.get(case_study.url).content.decode()
    assert "Three prototypes taken up by Helix" in html
    assert "Learners enrolled" not in html
    assert partnership.get_absolute_url() in html


def test_a_case_study_says_nothing_of_a_partnership_that_is_not_public(client, case_study):
    """The partnership's own page is a 404 to the public: its case study must not tell its
    summary, figures or address instead."""
    partnership = case_study.partnership
    partnership.is_public = False
    partnership.save()
    html = client.get(case_study.url).content.decode()
    assert "Three prototypes taken up by Helix" in html
    assert partnership.summary not in html
    assert "Learners enrolled" not in html
    assert partnership.get_absolute_url() not in html


def test_the_headline_figures_count_the_partnerships_awards(case_study, member_university):
    from partnerships.templatetags.partnership_figures import headline_figures
    from tests.credentials.factories import make_badge

    badge = make_badge(member_university)
    case_study.partnership.badge_classes.add(badge)
    from credentials.services import award

    award(badge, "someone@example.org")
    shown = headline_figures(case_study.partnership)
    assert shown["figures"].awards == 1
    assert shown["figures"].period.end == timezone.localdate()
