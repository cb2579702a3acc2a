"""The badge form's Tags field: a new badge's form starts empty, and "[]" is never a keyword."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from credentials.models import BadgeClass
from credentials.web.forms import BadgeClassForm
from tests.credentials.factories import make_badge
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db

UNTOUCHED = {
    "name": "Design Sprint",
    "slug": "",
    "description": "Runs a design sprint with a partner.",
    "achievement_type": "Badge",
    "criteria_narrative": "Run one sprint.",
}


def test_the_new_badge_form_shows_an_empty_tags_field(client, staff, uni):
    login_with_second_factor(client, staff)
    page = client.get(reverse("credentials_manage:badge_new", args=["uni"])).content.decode()
    field = re.search(r'<input[^>]*name="tags"[^>]*>', page).group(0)
    assert "[]" not in field
    assert 'value="' not in field or 'value=""' in field
    assert BadgeClassForm(issuer=uni)["tags"].value() == ""


def test_a_new_badge_saved_from_the_untouched_form_has_no_tags(client, staff, uni):
    login_with_second_factor(client, staff)
    tags = BadgeClassForm(issuer=uni)["tags"].value()  # what the browser posts back
    response = client.post(
        reverse("credentials_manage:badge_new", args=["uni"]), {**UNTOUCHED, "tags": tags}
    )
    assert response.status_code == 302
    assert BadgeClass.objects.get(issuer=uni, name="Design Sprint").tags == []


def test_a_posted_literal_empty_list_is_not_saved_as_a_tag(client, staff, uni):
    login_with_second_factor(client, staff)
    client.post(
        reverse("credentials_manage:badge_new", args=["uni"]), {**UNTOUCHED, "tags": "[], pitch"}
    )
    assert BadgeClass.objects.get(issuer=uni, name="Design Sprint").tags == ["pitch"]


def test_editing_a_badge_shows_its_tags_as_text(uni):
    badge = make_badge(uni, "tagged", tags=["co-creation", "pitch"])
    assert BadgeClassForm(issuer=uni, instance=badge)["tags"].value() == "co-creation, pitch"


def test_a_badge_saved_with_a_literal_empty_list_tag_does_not_show_it(client, staff, uni):
    badge = make_badge(uni, "old", tags=["[]", "pitch"])
    assert badge.display_tags == ["pitch"]
    assert BadgeClassForm(issuer=uni, instance=badge)["tags"].value() == "pitch"
    login_with_second_factor(client, staff)
    page = client.get(reverse("credentials_manage:badge", args=["uni", "old"])).content.decode()
    assert '<li class="tag">pitch</li>' in page
    assert '<li class="tag">[]</li>' not in page


def test_the_data_migration_drops_literal_empty_list_tags(uni):
    stale = make_badge(uni, "stale", tags=["[]"])
    mixed = make_badge(uni, "mixed", tags=["[]", "pitch", "[ ]"])
    clean = make_badge(uni, "clean", tags=["pitch"])
    migration = importlib.import_module("credentials.migrations.0015_drop_literal_empty_tags")
    migration.drop_empty_tags(django_apps, None)
    for badge, expected in ((stale, []), (mixed, ["pitch"]), (clean, ["pitch"])):
        badge.refresh_from_db()
        assert badge.tags == expected
