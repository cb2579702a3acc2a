"""A person who has an authenticator changes their authenticators only from a session that used
one (cms.middleware.SecondFactorMiddleware): re-authenticating with the password is not enough.

The attacker knows only the password of ``staff`` (who has TOTP): they sign in with it, confirm
it again on allauth's re-authentication page, and try to remove the TOTP, add their own
authenticator, or read and renew the recovery codes, to pass the issuer pages' gate after.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode

from cms.middleware import CONFIRM_FIRST
from tests.conftest import PASSWORD
from tests.credentials.second_factor_support import give_totp, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def changes_fresh_rate_limits():
    """allauth counts re-authentications per user in the cache; ids recur across tests."""
    cache.clear()
    yield
    cache.clear()


def prove(path: str, kind: str = "mfa_reauthenticate") -> str:
    return f"{reverse(kind)}?{urlencode({'next': path})}"


def password_only(client, user) -> None:
    """Signed in and freshly re-authenticated by password: allauth alone would allow changes."""
    client.force_login(user)
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302


@pytest.fixture
def changes_totp_user(staff):
    _, secret = give_totp(staff)
    RecoveryCodes.activate(staff)
    return staff, secret


def totp_of(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)


def test_a_password_alone_cannot_deactivate_totp(client, changes_totp_user):
    staff, _ = changes_totp_user
    password_only(client, staff)
    path = reverse("mfa_deactivate_totp")
    for response in (client.get(path), client.post(path)):
        assert response["Location"] == prove(path)
    assert totp_of(staff).exists()
    page = client.get(prove(path))
    assert CONFIRM_FIRST in page.content.decode()


def test_a_password_alone_cannot_add_a_second_authenticator(client, changes_totp_user):
    staff, _ = changes_totp_user
    password_only(client, staff)
    for name in ("mfa_add_webauthn", "mfa_activate_totp"):
        path = reverse(name)
        assert client.get(path)["Location"] == prove(path), name
        assert client.post(path, {"code": "123456"})["Location"] == prove(path), name
    assert Authenticator.objects.filter(user=staff).count() == 2  # the TOTP and its codes


def test_a_password_alone_cannot_read_or_renew_the_recovery_codes(client, changes_totp_user):
    staff, _ = changes_totp_user
    before = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES).data
    password_only(client, staff)
    for name in (
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
    ):
        path = reverse(name)
        assert client.get(path)["Location"] == prove(path), name
    path = reverse("mfa_generate_recovery_codes")
    assert client.post(path)["Location"] == prove(path)
    after = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES).data
    assert after == before


def test_a_password_alone_cannot_remove_a_passkey(client, staff):
    key = Authenticator.objects.create(user=staff, type=Authenticator.Type.WEBAUTHN, data={})
    password_only(client, staff)
    for name in ("mfa_remove_webauthn", "mfa_edit_webauthn"):
        path = reverse(name, args=[key.pk])
        assert client.post(path)["Location"] == prove(path, "mfa_reauthenticate_webauthn"), name
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_after_entering_the_code_the_person_may_deactivate_totp(client, changes_totp_user):
    staff, secret = changes_totp_user
    password_only(client, staff)
    path = reverse("mfa_deactivate_totp")
    done = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret), "next": path})
    assert done["Location"] == path
    assert client.get(path).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    assert client.post(path)["Location"] == reverse("mfa_index")
    assert not totp_of(staff).exists()


def test_the_first_authenticator_is_still_set_up_with_the_password(client, staff, learner):
    for person in (staff, learner):
        password_only(client, person)
        assert client.get(reverse("mfa_activate_totp")).status_code == 200
        assert client.get(reverse("mfa_add_webauthn")).status_code == 200


def test_a_learner_with_totp_is_held_to_the_same_rule(client, learner):
    give_totp(learner)
    password_only(client, learner)
    path = reverse("mfa_deactivate_totp")
    assert client.post(path)["Location"] == prove(path)
    assert totp_of(learner).exists()
