"""The approvals pages: the institution's desk (approve, decline) and the requester's side.

Personas: ``staff`` (of ``uni``: the member), ``other_staff`` (a colleague at another
institution), ``learner`` (an outsider who asks to join uni's staff)."""

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
