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


EDIT = "wagtailsnippets_partnerships_partnership:edit"


def edited(partnership, **changes) -> dict:
    """The edit form's data for ``partnership`` as saved, with ``changes``."""
    members = list(partnership.members.order_by("pk"))
    data = {
        "name": partnership.name,
        "slug": partnership.slug,
        "summary": partnership.summary,
        "started_on": partnership.started_on.isoformat(),
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "2",
        "members-MAX_NUM_FORMS": "1000",
    }
    for i, member in enumerate(members):
        data.update(
            {
                f"members-{i}-id": member.pk,
                f"members-{i}-issuer": member.issuer_id,
                f"members-{i}-role": member.role,
                f"members-{i}-ORDER": str(i),
            }
        )
    return {**data, **changes}


def test_a_saved_members_institution_cannot_be_swapped(
    client, partnership_editor, nh_partnership, member_company, outsider_institution
):
    login_with_second_factor(client, partnership_editor)
    helix = nh_partnership.members.get(issuer=member_company)
    data = edited(nh_partnership)
    index = list(nh_partnership.members.order_by("pk")).index(helix)
    data[f"members-{index}-issuer"] = outsider_institution.pk
    client.post(reverse(EDIT, args=[nh_partnership.pk]), data)
    helix.refresh_from_db()
    assert helix.issuer == member_company
    assert not nh_partnership.members.filter(issuer=outsider_institution).exists()


@pytest.mark.parametrize(
    "members",
    [
        [("university", "university")],
        [("university", "university"), ("company", "university")],
        [("company", "industry"), ("university", "industry")],
    ],
    ids=["one member", "two universities", "no university"],
)
def test_members_are_a_university_and_another_kind(
    client, partnership_editor, member_university, member_company, members
):
    login_with_second_factor(client, partnership_editor)
    issuers = {"university": member_university, "company": member_company}
    data = new_partnership(member_university, member_company)
    data["members-TOTAL_FORMS"] = str(len(members))
    data.pop("members-1-issuer"), data.pop("members-1-role")
    for i, (issuer, role) in enumerate(members):
        data[f"members-{i}-issuer"] = issuers[issuer].pk
        data[f"members-{i}-role"] = role
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert not Partnership.objects.exists()


def test_badges_and_programmes_of_outsiders_are_refused(
    client, partnership_editor, member_university, member_company, outsider_institution
):
    from mentoring.models import MentoringProgramme
    from tests.credentials.factories import make_badge

    login_with_second_factor(client, partnership_editor)
    theirs = make_badge(outsider_institution, "corvid-analyst")
    ours = make_badge(member_company, "helix-maker")
    programme = MentoringProgramme.objects.create(
        name="Corvid mentoring", slug="corvid-mentoring", badge_class=theirs
    )
    data = new_partnership(member_university, member_company)
    data["badge_classes"] = [theirs.pk, ours.pk]
    data["programmes"] = [programme.pk]
    page = client.post(reverse(ADD), data).content.decode()
    assert "“Corvid Analyst”: not issued by a member." in page
    assert "“Corvid mentoring”: its badge is not issued by a member." in page
    assert not Partnership.objects.exists()
    data.pop("programmes")
    data["badge_classes"] = [ours.pk]
    assert client.post(reverse(ADD), data).status_code == 302
    assert list(Partnership.objects.get().badge_classes.all()) == [ours]


def test_courses_no_member_co_creates_are_refused(
    client, partnership_editor, member_university, member_company, outsider_institution
):
    from tests.partnerships.services.impact_world import catalogue, course

    login_with_second_factor(client, partnership_editor)
    shelf = catalogue()
    theirs = course(shelf, "corvid-data", institutions=[outsider_institution])
    ours = course(shelf, "robotics-101", institutions=[member_university])
    data = new_partnership(member_university, member_company)
    data["courses"] = [theirs.pk, ours.pk]
    response = client.post(reverse(ADD), data)
    assert f"No member co-creates “{theirs.title}”." in response.content.decode()
    assert not Partnership.objects.exists()
