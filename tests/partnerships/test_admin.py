"""The Wagtail admin: editors create partnerships with their members and what they run; the
"Impact" menu item is for those who may see the site-wide dashboard."""

import pytest
from django.urls import reverse

from cms import roles
from partnerships.models import Member, Partnership
from tests.credentials.second_factor_support import login_with_second_factor

LIST = "wagtailsnippets_partnerships_partnership:list"
ADD = "wagtailsnippets_partnerships_partnership:add"


@pytest.fixture
def partnership_editor(make_user):
    return make_user("edith@example.org", roles.EDITORS, display_name="Edith")


def new_partnership(university, company) -> dict:
    return {
        "name": "Northbridge–Helix",
        "slug": "northbridge-helix",
        "summary": "Robotics, together.",
        "started_on": "2025-09-01",
        "is_public": "on",
        "publish_figures": "on",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-issuer": university.pk,
        "members-0-role": "university",
        "members-1-issuer": company.pk,
        "members-1-role": "industry",
    }


def test_editors_create_a_partnership_with_its_members(
    client, partnership_editor, member_university, member_company
):
    login_with_second_factor(client, partnership_editor)
    assert client.get(reverse(LIST)).status_code == 200
    assert client.get(reverse(ADD)).status_code == 200
    response = client.post(reverse(ADD), new_partnership(member_university, member_company))
    assert response.status_code == 302, response.content.decode()[:2000]
    partnership = Partnership.objects.get()
    roles_ = set(partnership.members.values_list("issuer__name", "role"))
    assert roles_ == {("Northbridge University", "university"), ("Helix Robotics", "industry")}


def test_the_same_institution_twice_is_refused(
    client, partnership_editor, member_university, member_company
):
    login_with_second_factor(client, partnership_editor)
    data = new_partnership(member_university, member_company)
    data["members-1-issuer"] = member_university.pk
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert not Member.objects.exists()


def test_people_without_the_partnership_permissions_are_kept_out(client, charlie, learner):
    for person in (charlie, learner):
        client.logout()
        login_with_second_factor(client, person)
        response = client.get(reverse(ADD))
        assert response.status_code in (302, 403)
        client.post(reverse(ADD), {"name": "Sneaky"})
    assert not Partnership.objects.exists()


def test_the_impact_menu_item_is_only_for_those_who_see_the_site_impact(
    client, rf, partnership_editor, charlie, learner, superuser
):
    from django.contrib.auth.models import AnonymousUser

    from partnerships.wagtail_hooks import register_impact_menu_item

    item = register_impact_menu_item()
    shown = {}
    for name, person in [
        ("editor", partnership_editor),
        ("charlie", charlie),
        ("learner", learner),
        ("superuser", superuser),
        ("anonymous", AnonymousUser()),
    ]:
        request = rf.get("/admin/")
        request.user = person
        shown[name] = item.is_shown(request)
    assert shown == {
        "editor": True,
        "charlie": False,
        "learner": False,
        "superuser": True,
        "anonymous": False,
    }
    login_with_second_factor(client, partnership_editor)
    assert reverse("impact:site") in client.get(reverse("wagtailadmin_home")).content.decode()
