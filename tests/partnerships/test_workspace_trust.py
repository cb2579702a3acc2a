"""The workspace offers a person only the agreements they may still give, says "both sides"
only when that is true, and lets the members' staff choose what the public page shows."""

import pytest
from django.urls import reverse

from partnerships.models import Member, Partnership
from partnerships.services import framework
from tests.credentials.factories import make_issuer
from tests.credentials.second_factor_support import login_with_second_factor
from tests.partnerships.conftest import framework_words, member_of


def workspace_url(partnership) -> str:
    return reverse("partnerships:workspace", args=[partnership.slug])


@pytest.fixture
def proposed_version(nh_partnership, alice):
    return framework.propose_version(nh_partnership, alice, **framework_words())


def test_after_agreeing_for_one_member_no_button_for_the_other(
    client, nh_partnership, proposed_version, alice, member_university, member_company
):
    member_company.staff.add(alice)
    login_with_second_factor(client, alice)
    page = client.get(workspace_url(nh_partnership)).content.decode()
    assert "you may agree for one of them only" in page
    framework.agree(proposed_version, member_of(nh_partnership, member_university), alice)
    page = client.get(workspace_url(nh_partnership)).content.decode()
    assert "Agree for Helix Robotics" not in page
    assert "Agree for Northbridge University" not in page
    assert "You agreed this version for Northbridge University." in page
    response = client.post(
        reverse("partnerships:agree", args=[nh_partnership.slug]),
        {"version": 1, "member": member_of(nh_partnership, member_company).pk},
        follow=True,
    )
    assert "One person agrees for one institution only" in response.content.decode()
    assert framework.agreed_on(proposed_version) is None


def test_a_superuser_sees_no_agree_button(client, nh_partnership, proposed_version, superuser):
    login_with_second_factor(client, superuser)
    page = client.get(workspace_url(nh_partnership)).content.decode()
    assert "Agree for" not in page
    assert "Waiting for Helix Robotics" in page


def test_two_universities_agreeing_is_not_both_sides(client, alice, make_user, member_university):
    other = make_issuer("southgate-u", name="Southgate University")
    pair = Partnership.objects.create(
        name="Two universities",
        slug="two-unis",
        summary="x",
        started_on="2025-01-01",
        is_public=True,
        publish_framework=True,
    )
    Member.objects.create(partnership=pair, issuer=member_university, role=Member.Role.UNIVERSITY)
    theirs = Member.objects.create(partnership=pair, issuer=other, role=Member.Role.UNIVERSITY)
    sam = make_user("sam@southgate.example", display_name="Sam")
    other.staff.add(sam)
    version = framework.propose_version(pair, alice, **framework_words())
    framework.agree(version, member_of(pair, member_university), alice)
    framework.agree(version, theirs, sam)
    page = client.get(pair.get_absolute_url()).content.decode()
    assert "Agreed by all 2 members on" in page
    assert "both sides" not in page
    login_with_second_factor(client, alice)
    page = client.get(workspace_url(pair)).content.decode()
    assert "Agreed by all 2 members on" in page and "both sides" not in page


def test_a_new_partnership_is_private_until_a_member_publishes_it(
    client, alice, member_university, member_company
):
    fresh = Partnership.objects.create(
        name="Quiet", slug="quiet", summary="SECRET SUMMARY", started_on="2025-01-01"
    )
    Member.objects.create(partnership=fresh, issuer=member_university, role="university")
    Member.objects.create(partnership=fresh, issuer=member_company, role="industry")
    assert (fresh.is_public, fresh.publish_figures, fresh.publish_framework) == (False,) * 3
    assert client.get(fresh.get_absolute_url()).status_code == 404
    login_with_second_factor(client, alice)
    response = client.post(
        workspace_url(fresh), {"is_public": "on", "publish_figures": "on"}, follow=True
    )
    assert "The public page now shows what you chose." in response.content.decode()
    fresh.refresh_from_db()
    assert (fresh.is_public, fresh.publish_figures, fresh.publish_framework) == (True, True, False)
    client.logout()
    assert client.get(fresh.get_absolute_url()).status_code == 200


def test_only_a_members_staff_choose_what_is_published(client, nh_partnership, charlie, superuser):
    login_with_second_factor(client, charlie)
    assert client.post(workspace_url(nh_partnership), {}).status_code == 404
    client.logout()
    login_with_second_factor(client, superuser)
    page = client.get(workspace_url(nh_partnership)).content.decode()
    assert "Save what is published" not in page
    response = client.post(workspace_url(nh_partnership), {}, follow=True)
    assert "Only the staff of a member institution may choose" in response.content.decode()
    nh_partnership.refresh_from_db()
    assert nh_partnership.is_public and nh_partnership.publish_figures


def test_unpublishing_hides_the_page(client, nh_partnership, bob):
    login_with_second_factor(client, bob)
    assert client.get(workspace_url(nh_partnership)).status_code == 200
    client.post(workspace_url(nh_partnership), {})
    nh_partnership.refresh_from_db()
    assert not nh_partnership.is_public and not nh_partnership.publish_figures
    client.logout()
    assert client.get(nh_partnership.get_absolute_url()).status_code == 404
