"""The institution staff's home (/credentials/manage/) leads to each institution's
partnerships' workspaces and to its impact dashboard."""

from django.urls import reverse

from tests.credentials.second_factor_support import login_with_second_factor


def test_staff_home_links_partnerships_and_impact(
    client, nh_partnership, alice, member_university, outsider_institution
):
    outsider_institution.staff.add(alice)  # two institutions: the home lists both
    login_with_second_factor(client, alice)
    page = client.get(reverse("credentials_manage:home")).content.decode()
    workspace = reverse("partnerships:workspace", kwargs={"slug": nh_partnership.slug})
    assert f'href="{workspace}"' in page
    assert page.count(workspace) == 1  # Corvid is not a member
    for issuer in (member_university, outsider_institution):
        impact = reverse("impact:institution", kwargs={"slug": issuer.slug})
        assert f'href="{impact}"' in page
        assert f"Impact of {issuer.name}" in page


def test_single_institution_staff_find_the_links_on_their_badges_page(
    client, nh_partnership, alice, member_university
):
    login_with_second_factor(client, alice)
    response = client.get(reverse("credentials_manage:home"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain  # one institution: straight to its badges
    workspace = reverse("partnerships:workspace", kwargs={"slug": nh_partnership.slug})
    impact = reverse("impact:institution", kwargs={"slug": member_university.slug})
    assert f'href="{workspace}"' in page and f'href="{impact}"' in page
    assert "Partnerships and impact:" in page


def test_the_badges_page_of_a_non_member_links_no_partnership(
    client, nh_partnership, charlie, outsider_institution
):
    login_with_second_factor(client, charlie)
    page = client.get(
        reverse("credentials_manage:badges", args=[outsider_institution.slug])
    ).content.decode()
    assert reverse("partnerships:workspace", kwargs={"slug": nh_partnership.slug}) not in page
    assert reverse("impact:institution", kwargs={"slug": outsider_institution.slug}) in page
