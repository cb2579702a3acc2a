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
