"""The Wagtail admin home shows issuer staff their institution's waiting requests, recent bulk
awards and awards — and nothing of an institution they do not act for."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from credentials import services
from credentials.services import approvals, bulk
from credentials.services.dashboard import staff_desk
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_activity(badge, staff, make_user, other_issuer):
    """An award, a bulk upload and a waiting staff request at ``uni``; an award at Helix."""
    services.award(badge, "lena@example.org", awarded_by=staff)
    rows, _problems = bulk.check_csv(badge, b"email\r\nomar@example.org\r\n")
    bulk.create_job(badge, rows, staff, "cohort-2025.csv")
    newcomer = make_user("newcomer@uni.example", display_name="Nadia Newcomer")
    approvals.request_staff(badge.issuer, by=newcomer)
    from tests.credentials.factories import make_badge

    services.award(make_badge(other_issuer, "helix-secret", name="Helix Secret"), "x@helix.example")


def home(client, user) -> str:
    """The admin home as ``user`` sees it (given the admin, as editors and superusers have it)."""
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login_with_second_factor(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_issuer_staff_see_their_requests_bulk_awards_and_awards(client, staff, desk_activity):
    page = home(client, staff)
    assert 'id="credentials-desk' in page or "credentials-desk" in page
    assert "Nadia Newcomer" in page
    assert "cohort-2025.csv" in page
    assert "lena@example.org" in page
    assert reverse("credentials_manage:approvals", args=["uni"]) in page
    assert "Helix Secret" not in page


def test_staff_of_another_institution_see_nothing_of_ours(client, other_staff, desk_activity):
    page = home(client, other_staff)
    assert "Helix Secret" in page
    for ours in ("Nadia Newcomer", "cohort-2025.csv", "lena@example.org"):
        assert ours not in page


def test_an_editor_who_acts_for_no_institution_gets_no_credentials_panel(
    client, make_user, desk_activity
):
    editor = make_user("ed@example.org", "Editors")
    desk = staff_desk(editor)
    assert not desk.shown and desk.awards == [] and desk.pending == []
    page = home(client, editor)
    assert "credentials-desk" not in page
    assert "lena@example.org" not in page


def test_a_superuser_sees_every_institution(client, superuser, desk_activity):
    page = home(client, superuser)
    assert "lena@example.org" in page and "Helix Secret" in page


def test_the_desk_is_empty_for_an_anonymous_visitor():
    from django.contrib.auth.models import AnonymousUser

    assert not staff_desk(AnonymousUser()).shown


def test_the_admin_uses_the_built_in_avatar_not_gravatar(client, staff, settings):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert "gravatar.com" not in home(client, staff)
