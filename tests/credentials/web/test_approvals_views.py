"""The approvals pages: the institution's desk (approve, decline) and the requester's side.

Personas: ``staff`` (of ``uni``: the member), ``other_staff`` (a colleague at another
institution), ``learner`` (an outsider who asks to join uni's staff)."""

import uuid

import pytest
from django.urls import reverse

from credentials.models import ApprovalRequest
from credentials.services import approvals
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db
State = ApprovalRequest.State


@pytest.fixture
def approvals_waiting(uni, staff, learner):
    return approvals.request_staff(uni, by=learner)


def _decide_url(issuer, approval, decision):
    return reverse(
        "credentials_manage:approval_decide", args=[issuer.slug, approval.public_id, decision]
    )


def test_the_desk_lists_what_waits_with_buttons(client, uni, staff, approvals_waiting):
    login_with_second_factor(client, staff)
    for name in ("approvals", "badges"):
        response = client.get(reverse(f"credentials_manage:{name}", args=[uni.slug]))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert approvals_waiting.subject_label in html
        assert _decide_url(uni, approvals_waiting, "approve") in html
        assert _decide_url(uni, approvals_waiting, "decline") in html


def test_the_member_approves_from_the_desk(client, uni, staff, learner, approvals_waiting):
    login_with_second_factor(client, staff)
    response = client.post(_decide_url(uni, approvals_waiting, "approve"))
    assert response.status_code == 302
    assert uni.staff.filter(pk=learner.pk).exists()
    response = client.post(_decide_url(uni, approvals_waiting, "decline"), follow=True)
    assert "approved already" in response.content.decode()  # a late second click
    assert uni.staff.filter(pk=learner.pk).exists()


@pytest.mark.parametrize("target", ["foo", "//evil.example/", "https://evil.example/"])
def test_a_bad_next_after_deciding_goes_back_to_the_desk(
    client, uni, staff, approvals_waiting, target
):
    login_with_second_factor(client, staff)
    response = client.post(_decide_url(uni, approvals_waiting, "decline"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("credentials_manage:approvals", args=[uni.slug])


def test_a_colleague_at_another_institution_cannot_decide(
    client, uni, other_issuer, other_staff, learner, approvals_waiting
):
    login_with_second_factor(client, other_staff)
    assert client.get(reverse("credentials_manage:approvals", args=[uni.slug])).status_code == 403
    assert client.post(_decide_url(uni, approvals_waiting, "approve")).status_code == 403
    # nor through their own institution's address
    assert client.post(_decide_url(other_issuer, approvals_waiting, "approve")).status_code == 404
    assert not uni.staff.filter(pk=learner.pk).exists()


def test_the_outsider_cannot_approve_their_own_request(client, uni, learner, approvals_waiting):
    client.force_login(learner)
    assert client.post(_decide_url(uni, approvals_waiting, "approve")).status_code == 403
    assert ApprovalRequest.objects.get().state == State.PENDING


def test_deciding_needs_a_post_and_a_known_decision(client, uni, staff, approvals_waiting):
    login_with_second_factor(client, staff)
    assert client.get(_decide_url(uni, approvals_waiting, "approve")).status_code == 405
    assert client.post(_decide_url(uni, approvals_waiting, "promote")).status_code == 404
    assert ApprovalRequest.objects.get().state == State.PENDING


def test_asking_to_join_shows_the_wait(client, uni, staff, learner):
    client.force_login(learner)
    response = client.post(reverse("credentials_manage:join"), {"issuer": uni.pk}, follow=True)
    assert f"Waiting for {uni.name}&#x27;s staff to approve" in response.content.decode()
    assert not uni.staff.filter(pk=learner.pk).exists()


def test_staff_need_their_second_factor_for_the_desk(client, uni, staff, approvals_waiting):
    client.force_login(staff)  # signed in with a password only
    assert client.get(reverse("credentials_manage:approvals", args=[uni.slug])).status_code == 302
    assert client.post(_decide_url(uni, approvals_waiting, "approve")).status_code == 302
    assert ApprovalRequest.objects.get().state == State.PENDING


def test_asking_for_a_missing_institution_is_refused(client, learner):
    client.force_login(learner)
    response = client.post(reverse("credentials_manage:join"), {"issuer": 99999})
    assert response.status_code == 400 and not ApprovalRequest.objects.exists()


def test_only_the_requester_withdraws(client, staff, learner, approvals_waiting):
    url = reverse("credentials_manage:approval_withdraw", args=[approvals_waiting.public_id])
    client.force_login(staff)
    assert client.post(url).status_code == 403
    client.force_login(learner)
    assert client.post(url).status_code == 302
    assert ApprovalRequest.objects.get().state == State.WITHDRAWN


def test_anonymous_visitors_are_sent_to_log_in(client, uni, approvals_waiting):
    response = client.post(_decide_url(uni, approvals_waiting, "approve"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_only_a_superuser_sets_staff_directly_in_the_wagtail_admin(staff, superuser):
    from credentials.wagtail_hooks import IssuerViewSet

    form_class = IssuerViewSet("issuers").get_edit_handler().get_form_class()
    assert "staff" not in form_class(for_user=staff).fields
    assert "staff" in form_class(for_user=superuser).fields


# --- declining and withdrawing ask first -----------------------------------------------------


def _withdraw_url(approval):
    return reverse("credentials_manage:approval_withdraw", args=[approval.public_id])


def test_the_desk_and_my_requests_link_to_a_confirmation_not_a_one_click_form(
    client, uni, staff, learner, approvals_waiting
):
    login_with_second_factor(client, staff)
    html = client.get(reverse("credentials_manage:approvals", args=[uni.slug])).content.decode()
    assert f'action="{_decide_url(uni, approvals_waiting, "approve")}"' in html  # one click
    assert f'action="{_decide_url(uni, approvals_waiting, "decline")}"' not in html
    assert f'href="{_decide_url(uni, approvals_waiting, "decline")}?next=' in html
    client.force_login(learner)
    html = client.get(reverse("credentials_manage:my_approvals")).content.decode()
    assert f'action="{_withdraw_url(approvals_waiting)}"' not in html
    assert f'href="{_withdraw_url(approvals_waiting)}"' in html


def test_declining_asks_first_and_changes_nothing(
    client, uni, staff, learner, approvals_waiting, mailoutbox
):
    login_with_second_factor(client, staff)
    desk = reverse("credentials_manage:approvals", args=[uni.slug])
    mailoutbox.clear()
    response = client.get(_decide_url(uni, approvals_waiting, "decline"), {"next": desk})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "credentials/confirm.html"
    html = response.content.decode()
    assert "Decline the request" in html and learner.email in html
    assert "is told by e-mail" in html
    assert f'href="{desk}"' in html  # cancel goes back
    assert ApprovalRequest.objects.get().state == State.PENDING
    assert mailoutbox == []


def test_declining_confirmed_declines_and_goes_back(client, uni, staff, learner, approvals_waiting):
    login_with_second_factor(client, staff)
    desk = reverse("credentials_manage:approvals", args=[uni.slug])
    url = _decide_url(uni, approvals_waiting, "decline") + f"?next={desk}"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == desk
    assert ApprovalRequest.objects.get().state == State.DECLINED
    assert not uni.staff.filter(pk=learner.pk).exists()


def test_the_decline_confirmation_of_a_decided_request_says_so(
    client, uni, staff, approvals_waiting
):
    login_with_second_factor(client, staff)
    approvals.approve(approvals_waiting, by=staff)
    response = client.get(_decide_url(uni, approvals_waiting, "decline"), follow=True)
    assert "approved already" in response.content.decode()
    assert ApprovalRequest.objects.get().state == State.APPROVED


def test_who_may_not_decide_cannot_see_the_decline_confirmation(
    client, uni, other_issuer, other_staff, learner, staff, approvals_waiting
):
    login_with_second_factor(client, other_staff)
    assert client.get(_decide_url(uni, approvals_waiting, "decline")).status_code == 403
    assert client.get(_decide_url(other_issuer, approvals_waiting, "decline")).status_code == 404
    client.force_login(learner)
    assert client.get(_decide_url(uni, approvals_waiting, "decline")).status_code == 403
    client.force_login(staff)  # a password only: the second factor first
    assert client.get(_decide_url(uni, approvals_waiting, "decline")).status_code == 302
    client.logout()
    response = client.get(_decide_url(uni, approvals_waiting, "decline"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert ApprovalRequest.objects.get().state == State.PENDING


def test_withdrawing_asks_first_and_changes_nothing(client, uni, learner, approvals_waiting):
    client.force_login(learner)
    response = client.get(_withdraw_url(approvals_waiting))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "credentials/confirm.html"
    html = response.content.decode()
    assert "Withdraw the request" in html and uni.name in html
    assert f'action="{_withdraw_url(approvals_waiting)}"' in html
    assert ApprovalRequest.objects.get().state == State.PENDING


def test_withdrawing_confirmed_withdraws(client, learner, approvals_waiting):
    client.force_login(learner)
    response = client.post(_withdraw_url(approvals_waiting), follow=True)
    assert "Request withdrawn." in response.content.decode()
    assert ApprovalRequest.objects.get().state == State.WITHDRAWN
    again = client.get(_withdraw_url(approvals_waiting), follow=True)  # nothing left to confirm
    assert "You withdrew this request." in again.content.decode()


def test_only_the_requester_sees_the_withdraw_confirmation(
    client, staff, learner, other_learner, approvals_waiting
):
    for someone_else in (staff, other_learner):
        client.force_login(someone_else)
        assert client.get(_withdraw_url(approvals_waiting)).status_code == 403
    missing = reverse("credentials_manage:approval_withdraw", args=[uuid.uuid4()])
    assert client.get(missing).status_code == 404
    client.logout()
    response = client.get(_withdraw_url(approvals_waiting))
    assert response.status_code == 302 and "login" in response["Location"]
    assert ApprovalRequest.objects.get().state == State.PENDING
