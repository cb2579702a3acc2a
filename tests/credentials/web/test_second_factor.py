"""Issuer staff act only after a second factor in this session (credentials/web/second_factor.py).

Personas: ``staff`` (of ``uni``), ``other_staff`` (a colleague at another institution), a
learner (an outsider to the issuer pages).
"""

import uuid

import pytest
from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory, override_settings
from django.urls import URLPattern, reverse
from django.utils.http import urlencode

from credentials import receivers
from credentials.conf import check_issuer_mfa_demo_exemption
from credentials.web import urls_manage
from credentials.web.second_factor import DEMO_NOTE
from tests.conftest import PASSWORD
from tests.credentials.second_factor_support import (
    give_totp,
    login_with_second_factor,
    mark_session_mfa,
    totp_code,
)

pytestmark = pytest.mark.django_db

GATE = reverse("credentials_manage:second_factor")
FILLERS = {
    "slug": "uni",
    "badge_slug": "opportunity-spotter",
    "decision": "approve",
    "language": "fr",
}
# The requester's side of approvals: asking to join an institution is not acting for one.
NOT_ISSUER_PAGES = {"second_factor", "join", "my_approvals", "approval_withdraw"}


def manage_urls() -> list[tuple[str, URLPattern]]:
    """Every issuer page of the manage namespace, with made-up arguments: the gate answers
    before the view looks anything up."""
    found = []
    for pattern in urls_manage.urlpatterns:
        if not str(pattern.pattern).startswith("manage/") or pattern.name in NOT_ISSUER_PAGES:
            continue
        kwargs = {}
        for name, converter in pattern.pattern.converters.items():
            kind = type(converter).__name__
            kwargs[name] = str(uuid.uuid4()) if kind == "UUIDConverter" else FILLERS[name]
        found.append((reverse(f"credentials_manage:{pattern.name}", kwargs=kwargs), pattern))
    return found


def gated_to(path: str) -> str:
    return f"{GATE}?{urlencode({'next': path})}"


def issuer_pages() -> list[str]:
    return [path for path, _ in manage_urls()] + [reverse("credentials:issuer_edit", args=["uni"])]


def test_every_issuer_view_wears_the_gate():
    assert len(manage_urls()) >= 20
    for path, pattern in manage_urls():
        assert getattr(pattern.callback, "second_factor_required", False), path


def test_staff_without_an_authenticator_are_sent_to_set_one_up_from_every_issuer_page(
    client, staff, badge
):
    client.force_login(staff)
    for path in issuer_pages():
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, gated_to(path)), path
    page = client.get(gated_to(reverse("credentials_manage:home")))
    assert page.status_code == 200
    assert reverse("mfa_activate_totp").encode() in page.content
    assert reverse("mfa_add_webauthn").encode() in page.content


def test_a_post_that_would_act_is_refused_too(client, staff, badge, learner):
    client.force_login(staff)
    path = reverse("credentials_manage:badge_award", args=["uni", badge.slug])
    response = client.post(path, {"email": learner.email})
    assert response.status_code == 302 and response["Location"].startswith(GATE)
    assert not badge.awards.exists()


def test_staff_with_totp_who_did_not_use_it_are_asked_for_it(client, staff, badge):
    give_totp(staff)
    client.force_login(staff)  # a login that skipped the second factor
    path = reverse("credentials_manage:badges", args=["uni"])
    assert client.get(path)["Location"] == gated_to(path)
    page = client.get(gated_to(path))
    assert reverse("mfa_reauthenticate").encode() in page.content
    assert reverse("mfa_activate_totp").encode() not in page.content


def test_entering_the_code_on_reauthentication_opens_the_pages(client, staff, badge):
    _, secret = give_totp(staff)
    client.force_login(staff)
    path = reverse("credentials_manage:badges", args=["uni"])
    wrong = client.post(reverse("mfa_reauthenticate"), {"code": "000000", "next": path})
    assert client.get(path).status_code == 302, wrong.status_code
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret), "next": path})
    assert response.status_code == 302
    assert client.get(path).status_code == 200


def test_staff_who_entered_their_code_at_login_get_in(client, staff, badge):
    EmailAddress.objects.update_or_create(
        user=staff, email=staff.email, defaults={"verified": True, "primary": True}
    )
    _, secret = give_totp(staff)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("credentials_manage:badges", args=["uni"])).status_code == 200


def test_the_helper_login_opens_every_issuer_page_but_not_other_issuers(client, staff, badge):
    login_with_second_factor(client, staff)
    assert client.get(reverse("credentials_manage:badges", args=["uni"])).status_code == 200
    assert client.get(reverse("credentials:issuer_edit", args=["uni"])).status_code == 200
    other = client.get(reverse("credentials_manage:badges", args=["helix"]))
    assert other.status_code in (403, 404)


def test_a_colleague_cannot_use_someone_elses_authenticator(client, staff, other_staff, badge):
    theirs, _ = give_totp(staff)
    give_totp(other_staff)
    client.force_login(other_staff)
    mark_session_mfa(client, other_staff, theirs)  # a record naming staff's authenticator
    path = reverse("credentials_manage:home")
    assert client.get(path)["Location"] == gated_to(path)


def test_records_left_in_the_session_for_another_person_do_not_count(
    client, staff, other_staff, badge
):
    theirs, _ = give_totp(staff)
    give_totp(other_staff)
    client.force_login(other_staff)
    mark_session_mfa(client, staff, theirs)  # the session's records are staff's, not theirs
    path = reverse("credentials_manage:home")
    assert client.get(path)["Location"] == gated_to(path)


def test_an_outsider_with_a_second_factor_still_cannot_act_for_the_issuer(client, learner, badge):
    login_with_second_factor(client, learner)
    assert client.get(reverse("credentials_manage:badges", args=["uni"])).status_code == 403


def test_a_learner_is_not_asked_for_a_second_factor_on_learner_pages(client, learner, staff):
    client.force_login(learner)
    assert client.get(reverse("credentials_manage:backpack")).status_code == 200
    assert client.get(reverse("credentials_manage:home")).status_code == 403  # not a redirect
    client.force_login(staff)
    assert client.get(reverse("credentials_manage:backpack")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth says "added" when its transaction commits
def test_adding_a_first_authenticator_counts_as_using_it(client, staff, badge):
    client.force_login(staff)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown as text beside the QR code
    assert b"data:image/svg+xml;base64," in page.content
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    path = reverse("credentials_manage:home")
    assert client.get(GATE)["Location"] == path  # back to where they were going
    assert client.get(path).status_code == 302  # on to the badges of their one institution


def _added(user, authenticator):
    request = RequestFactory().get("/")
    request.user, request.session = user, SessionStore()
    receivers.count_first_authenticator_as_used(
        sender=Authenticator, request=request, user=user, authenticator=authenticator
    )
    return get_authentication_records(request, user)


def test_adding_another_authenticator_with_only_a_password_does_not_count(staff):
    give_totp(staff)
    key = Authenticator.objects.create(user=staff, type=Authenticator.Type.WEBAUTHN, data={})
    assert _added(staff, key) == []


def test_adding_a_first_passkey_counts(staff):
    key = Authenticator.objects.create(user=staff, type=Authenticator.Type.WEBAUTHN, data={})
    assert [r["id"] for r in _added(staff, key)] == [key.pk]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_way_back_stays_on_this_site(client, staff, target):
    login_with_second_factor(client, staff)
    response = client.get(f"{GATE}?{urlencode({'next': target})}")
    assert response["Location"] == reverse("credentials_manage:home")


@override_settings(DEBUG=True, ISSUER_MFA_DEMO_EXEMPT=["STAFF@uni.example"])
def test_demo_staff_are_let_in_under_make_run_and_told_so(client, staff, other_staff, badge):
    client.force_login(staff)
    page = client.get(reverse("credentials_manage:badges", args=["uni"]), follow=True)
    assert page.status_code == 200
    assert DEMO_NOTE in page.content.decode()
    client.force_login(other_staff)  # not a listed demo account
    assert client.get(reverse("credentials_manage:home"))["Location"].startswith(GATE)


@override_settings(DEBUG=False, ISSUER_MFA_DEMO_EXEMPT=["staff@uni.example"])
def test_the_demo_exemption_does_nothing_without_debug_and_the_check_refuses_it(client, staff):
    client.force_login(staff)
    assert client.get(reverse("credentials_manage:home"))["Location"].startswith(GATE)
    assert [e.id for e in check_issuer_mfa_demo_exemption()] == ["credentials.E101"]


@override_settings(DEBUG=True)
def test_debug_alone_exempts_nobody(client, staff):
    client.force_login(staff)
    assert client.get(reverse("credentials_manage:home"))["Location"].startswith(GATE)
    assert check_issuer_mfa_demo_exemption() == []


def test_our_mfa_pages_render_on_the_site_layout_without_inline_script(client, staff):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    _, secret = give_totp(staff)
    RecoveryCodes.activate(staff)
    client.force_login(staff)
    pages = [reverse("mfa_reauthenticate"), reverse("mfa_index")]
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
    pages += [
        reverse("mfa_view_recovery_codes"),
        reverse("mfa_generate_recovery_codes"),
        reverse("mfa_add_webauthn"),
        reverse("mfa_list_webauthn"),
        reverse("mfa_deactivate_totp"),
    ]
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.content.decode()
        assert 'class="site-' in html or "<nav" in html, path  # our base layout
        assert html.count("<script") == html.count("<script src="), path
        assert " style=" not in html, path
