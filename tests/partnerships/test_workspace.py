"""The members' workspace: only the members' staff get in; agreeing is a POST, harmless twice;
the form proposes a new version and says what is wrong in plain words."""

import pytest
from django.urls import reverse

from partnerships.models import FrameworkAgreement, FrameworkVersion
from partnerships.services import framework
from tests.credentials.second_factor_support import login_with_second_factor
from tests.partnerships.conftest import framework_words, member_of, result_row


def url(name, partnership, *args):
    return reverse(f"partnerships:{name}", args=[partnership.slug, *args])


def form_data(owners=(), **changes):
    data = {k: v for k, v in framework_words(**changes).items()}
    data.update({"results-TOTAL_FORMS": str(len(owners) + 1), "results-INITIAL_FORMS": "0"})
    for i, owner in enumerate(owners):
        row = result_row(owner, f"Result {i}")
        row["owner"] = owner.pk
        data.update({f"results-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.fixture
def first_version(nh_partnership, alice, member_company):
    return framework.propose_version(
        nh_partnership, alice, results=[result_row(member_company)], **framework_words()
    )


@pytest.mark.parametrize("name", ["workspace", "propose"])
def test_visitors_are_sent_to_log_in(client, nh_partnership, name):
    response = client.get(url(name, nh_partnership))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsiders_never_see_the_workspace(client, nh_partnership, first_version, charlie, learner):
    for outsider in (charlie, learner):
        client.logout()
        if outsider is charlie:
            login_with_second_factor(client, charlie)
        else:
            client.force_login(outsider)
        for target in (
            url("workspace", nh_partnership),
            url("propose", nh_partnership),
            url("version", nh_partnership, 1),
        ):
            response = client.get(target)
            assert response.status_code == 404
            assert b"Robot-arm teaching kit" not in response.content
        response = client.post(
            url("agree", nh_partnership),
            {"version": 1, "member": nh_partnership.members.first().pk},
        )
        assert response.status_code == 404
    assert not FrameworkAgreement.objects.exists()


def test_staff_need_their_second_factor(client, nh_partnership, alice):
    client.force_login(alice)
    response = client.get(url("workspace", nh_partnership))
    assert response.status_code == 302 and "second-factor" in response["Location"]


def test_members_and_superusers_see_the_workspace(
    client, nh_partnership, first_version, alice, bob, superuser
):
    for person in (alice, bob, superuser):
        login_with_second_factor(client, person)
        page = client.get(url("workspace", nh_partnership)).content.decode()
        assert "Robot-arm teaching kit" in page
        assert "Waiting for Northbridge University" in page
        assert "Waiting for Helix Robotics" in page
        assert reverse("impact:partnership", kwargs={"slug": nh_partnership.slug}) in page


def test_the_agree_button_is_for_the_viewers_own_member(
    client, nh_partnership, first_version, alice
):
    login_with_second_factor(client, alice)
    page = client.get(url("workspace", nh_partnership)).content.decode()
    assert "Agree for Northbridge University" in page
    assert "Agree for Helix Robotics" not in page


def test_agreeing_twice_is_harmless(
    client, nh_partnership, first_version, alice, member_university
):
    login_with_second_factor(client, alice)
    member = member_of(nh_partnership, member_university)
    for _ in range(2):
        response = client.post(url("agree", nh_partnership), {"version": 1, "member": member.pk})
        assert response.status_code == 302
    assert FrameworkAgreement.objects.count() == 1
    page = client.get(url("workspace", nh_partnership)).content.decode()
    assert "Agreed by Northbridge University on" in page and "(Alice Martin)" in page
    assert "Agree for Northbridge University" not in page
    assert "You agreed version 1 for Northbridge University." in page


def test_agreeing_is_a_post(client, nh_partnership, first_version, alice):
    login_with_second_factor(client, alice)
    assert client.get(url("agree", nh_partnership)).status_code == 405


def test_one_cannot_agree_for_the_other_member(
    client, nh_partnership, first_version, alice, member_company
):
    login_with_second_factor(client, alice)
    member = member_of(nh_partnership, member_company)
    response = client.post(
        url("agree", nh_partnership), {"version": 1, "member": member.pk}, follow=True
    )
    assert "Only the staff of Helix Robotics may agree for it." in response.content.decode()
    assert not FrameworkAgreement.objects.exists()


def test_both_sides_agreeing_shows_it(
    client, nh_partnership, first_version, alice, bob, member_university, member_company
):
    framework.agree(first_version, member_of(nh_partnership, member_university), alice)
    login_with_second_factor(client, bob)
    member = member_of(nh_partnership, member_company)
    response = client.post(
        url("agree", nh_partnership), {"version": 1, "member": member.pk}, follow=True
    )
    page = response.content.decode()
    assert "Every member has now agreed it." in page
    assert "Agreed by both sides on" in page


def test_the_form_is_prefilled_from_the_latest_version(
    client, nh_partnership, first_version, alice
):
    login_with_second_factor(client, alice)
    page = client.get(url("propose", nh_partnership)).content.decode()
    assert "Graduates who turn research into products" in page
    assert 'value="Robot-arm teaching kit"' in page
    assert "Corvid" not in page  # owners are the members only


def test_the_form_makes_a_new_version(client, nh_partnership, first_version, bob, member_company):
    login_with_second_factor(client, bob)
    data = form_data([member_company], goals="New goals", change_note="Sharper goals")
    response = client.post(url("propose", nh_partnership), data, follow=True)
    assert "Version 2 is saved." in response.content.decode()
    version = FrameworkVersion.objects.get(number=2)
    assert version.goals == "New goals" and version.created_by == bob
    assert list(version.results.values_list("title", flat=True)) == ["Result 0"]


def test_form_errors_are_said_in_plain_words(
    client, nh_partnership, alice, member_university, outsider_institution
):
    login_with_second_factor(client, alice)
    data = form_data([member_university], vision="")
    response = client.post(url("propose", nh_partnership), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    data = form_data([member_university])
    data["results-0-owner"] = outsider_institution.pk
    page = client.post(url("propose", nh_partnership), data).content.decode()
    assert "Select a valid choice." in page
    assert not FrameworkVersion.objects.exists()


def test_an_unchanged_proposal_saves_nothing(client, nh_partnership, first_version, alice):
    login_with_second_factor(client, alice)
    page = client.get(url("propose", nh_partnership))
    data = {
        **framework_words(),
        "results-TOTAL_FORMS": "2",
        "results-INITIAL_FORMS": "1",
        **{f"results-0-{k}": v for k, v in result_row(first_version.results.get().owner).items()},
    }
    data["results-0-owner"] = first_version.results.get().owner_id
    response = client.post(url("propose", nh_partnership), data, follow=True)
    assert page.status_code == 200
    assert "Nothing changed: version 1 stays the latest." in response.content.decode()
    assert FrameworkVersion.objects.count() == 1


def test_add_a_row_gives_one_more_empty_result(client, nh_partnership, alice):
    login_with_second_factor(client, alice)
    data = form_data()
    data["add_row"] = "1"
    page = client.post(url("propose", nh_partnership), data).content.decode()
    assert "Expected result 2" in page
    assert not FrameworkVersion.objects.exists()


def test_a_version_in_full_with_what_changed(client, nh_partnership, first_version, alice):
    framework.propose_version(
        nh_partnership, alice, **framework_words(meeting_rhythm="Weekly", change_note="Faster")
    )
    login_with_second_factor(client, alice)
    page = client.get(url("version", nh_partnership, 2)).content.decode()
    assert "What changed since version 1" in page
    assert "meeting rhythm" in page and "Robot-arm teaching kit" in page  # removed
    assert client.get(url("version", nh_partnership, 9)).status_code == 404


@pytest.mark.parametrize("posted", [{}, {"version": "x", "member": "1"}, {"version": "9"}])
def test_a_bad_agreement_post_changes_nothing(client, nh_partnership, first_version, alice, posted):
    login_with_second_factor(client, alice)
    response = client.post(url("agree", nh_partnership), posted, follow=True)
    assert response.status_code == 200
    assert "That version or institution is not part of this partnership." in (
        response.content.decode()
    )
    assert not FrameworkAgreement.objects.exists()


def test_removing_a_row_drops_that_result(client, nh_partnership, first_version, alice):
    login_with_second_factor(client, alice)
    kept = first_version.results.get()
    data = {
        **framework_words(),
        "results-TOTAL_FORMS": "2",
        "results-INITIAL_FORMS": "1",
        **{f"results-0-{k}": v for k, v in result_row(kept.owner).items()},
        "results-0-owner": kept.owner_id,
        "results-0-DELETE": "on",
    }
    client.post(url("propose", nh_partnership), data)
    version = framework.latest(nh_partnership)
    assert version.number == 2 and not version.results.exists()
    assert framework.history(nh_partnership)[0].results_removed == ["Robot-arm teaching kit"]


def test_the_workspace_costs_the_same_queries_with_a_longer_history(
    client, nh_partnership, alice, bob, member_university, member_company
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_with_second_factor(client, alice)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("workspace", nh_partnership)).status_code == 200
        return len(queries)

    def more_versions(n: int) -> None:
        for i in range(n):
            version = framework.propose_version(
                nh_partnership,
                alice,
                results=[result_row(member_company, f"Kit {i}")],
                **framework_words(goals=f"Goals {framework.latest(nh_partnership)} {i}"),
            )
            framework.agree(version, member_of(nh_partnership, member_university), alice)
            framework.agree(version, member_of(nh_partnership, member_company), bob)

    more_versions(2)
    cost()  # the session's first page loads what later pages reuse
    few = cost()
    more_versions(6)
    assert cost() == few
