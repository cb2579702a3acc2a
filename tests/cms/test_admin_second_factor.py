"""Both admins ask superusers and issuer staff for a second factor (cms.middleware).

Personas: a superuser (acts for every issuer), issuer staff (act for theirs), an editor (acts
for none: not asked), and an attacker who knows only a superuser's password.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils.http import urlencode

from cms import roles
from tests.conftest import PASSWORD
from tests.credentials.factories import make_issuer
from tests.credentials.second_factor_support import (
    give_totp,
    login_with_second_factor,
    totp_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def admin_gate_fresh_rate_limits():
    """allauth counts re-authentications per user in the cache; ids recur across tests."""
    cache.clear()
    yield
    cache.clear()


GATE = reverse("credentials_manage:second_factor")


def gated_to(path: str) -> str:
    return f"{GATE}?{urlencode({'next': path})}"


@pytest.fixture
def admin_gate_issuer(db):
    return make_issuer("gate-uni")


@pytest.fixture
def admin_gate_staff(make_user, admin_gate_issuer):
    user = make_user("staff@gate-uni.example", roles.ISSUER_STAFF, is_staff=True)
    admin_gate_issuer.staff.add(user)
    return user


@pytest.fixture
def admin_gate_editor(make_user):
    return make_user("editor@gate.example", roles.EDITORS, is_staff=True)


def admin_paths(issuer) -> list[str]:
    return [
        "/admin/",
        "/admin/users/",
        f"/admin/issuers/edit/{issuer.pk}/",
        "/django-admin/",
        "/django-admin/account/emailaddress/",
    ]


def test_a_superuser_without_a_second_factor_is_sent_to_the_gate(
    client, superuser, admin_gate_issuer
):
    client.force_login(superuser)
    for path in admin_paths(admin_gate_issuer):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, gated_to(path)), path


def test_a_password_alone_cannot_mark_an_address_verified(client, superuser, admin_gate_issuer):
    victim = EmailAddress.objects.create(user=superuser, email="x@evil.example", verified=False)
    client.force_login(superuser)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    path = f"/django-admin/account/emailaddress/{victim.pk}/change/"
    response = client.post(path, {"user": superuser.pk, "email": victim.email, "verified": "on"})
    assert response["Location"] == gated_to(path)
    victim.refresh_from_db()
    assert not victim.verified


def test_a_superuser_who_used_their_second_factor_gets_in(client, superuser, admin_gate_issuer):
    login_with_second_factor(client, superuser)
    for path in admin_paths(admin_gate_issuer):
        assert client.get(path).status_code == 200, path


def test_the_gate_page_leads_a_superuser_back_to_the_admin(client, superuser, admin_gate_issuer):
    _, secret = give_totp(superuser)
    client.force_login(superuser)
    assert client.get("/admin/users/")["Location"] == gated_to("/admin/users/")
    page = client.get(gated_to("/admin/users/"))
    assert reverse("mfa_reauthenticate").encode() in page.content
    done = client.post(
        reverse("mfa_reauthenticate"), {"code": totp_code(secret), "next": "/admin/users/"}
    )
    assert done["Location"] == "/admin/users/"
    assert client.get("/admin/users/").status_code == 200


def test_before_any_issuer_exists_a_superuser_is_asked_without_a_loop(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/")["Location"] == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200
    _, secret = give_totp(superuser)
    prove = f"{reverse('mfa_reauthenticate')}?{urlencode({'next': '/django-admin/'})}"
    assert client.get("/django-admin/")["Location"] == prove
    client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret), "next": "/admin/"})
    assert client.get("/django-admin/").status_code == 200


def test_issuer_staff_without_a_second_factor_are_sent_to_the_gate(client, admin_gate_staff):
    client.force_login(admin_gate_staff)
    for path in ("/admin/", "/django-admin/"):
        assert client.get(path)["Location"] == gated_to(path)


def test_an_editor_who_acts_for_no_issuer_is_not_asked(
    client, admin_gate_editor, admin_gate_issuer
):
    client.force_login(admin_gate_editor)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


def test_the_admins_login_pages_still_lead_to_allauths_login(client, superuser):
    client.force_login(superuser)
    for path in ("/admin/login/", "/django-admin/login/"):
        assert client.get(path)["Location"].startswith(reverse("account_login")), path


def test_the_way_back_from_the_gate_stays_on_this_site(client, superuser, admin_gate_issuer):
    client.force_login(superuser)
    response = client.get("/admin/users/?next=https://evil.example/")
    assert response["Location"] == gated_to("/admin/users/?next=https://evil.example/")


@override_settings(DEBUG=True, ISSUER_MFA_DEMO_EXEMPT=["root@example.org"])
def test_the_demo_exemption_lets_a_listed_superuser_in_under_make_run(
    client, superuser, admin_gate_staff
):
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    client.force_login(admin_gate_staff)  # not listed
    assert client.get("/admin/")["Location"] == gated_to("/admin/")


@override_settings(DEBUG=False, ISSUER_MFA_DEMO_EXEMPT=["root@example.org"])
def test_the_demo_exemption_does_nothing_without_debug(client, superuser, admin_gate_issuer):
    client.force_login(superuser)
    assert client.get("/admin/")["Location"] == gated_to("/admin/")
