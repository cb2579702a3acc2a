"""credentials.services.connected_apps: a learner's authorised applications, and revoking."""

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from cms import roles
from credentials.services import connected_apps

pytestmark = pytest.mark.django_db
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"


@pytest.fixture
def apps_alice(make_user):
    return make_user("alice.apps@example.org", roles.LEARNERS)


@pytest.fixture
def apps_charlie(make_user):
    return make_user("charlie.apps@example.org", roles.LEARNERS)


def make_app(name: str) -> Application:
    return Application.objects.create(
        name=name,
        redirect_uris="https://wallet.example/cb",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    )


def give_tokens(user, app: Application, scope: str = OB3 + "credential.readonly"):
    soon = timezone.now() + timedelta(hours=1)
    access = AccessToken.objects.create(
        user=user, application=app, token=f"a-{user.pk}-{app.pk}", expires=soon, scope=scope
    )
    RefreshToken.objects.create(
        user=user, application=app, token=f"r-{user.pk}-{app.pk}", access_token=access
    )
    Grant.objects.create(
        user=user,
        application=app,
        code=f"g-{user.pk}-{app.pk}",
        expires=soon,
        redirect_uri="https://wallet.example/cb",
        scope=OB3 + "profile.readonly",
        code_challenge="x" * 43,
        code_challenge_method="S256",
    )
    return access


def test_an_app_with_a_token_is_listed_with_its_scopes_in_words(apps_alice):
    app = make_app("Skills Wallet")
    give_tokens(apps_alice, app)
    [listed] = connected_apps.connected_apps(apps_alice)
    assert listed.name == "Skills Wallet" and listed.application_id == app.pk
    assert listed.redirect_hosts == ["wallet.example"]
    assert "See every credential in your backpack" in listed.scope_words
    assert "See your name and your verified e-mail address" in listed.scope_words
    assert listed.authorised is not None and listed.last_used is not None


def test_apps_without_anything_of_alice_s_are_not_listed(apps_alice, apps_charlie):
    give_tokens(apps_charlie, make_app("Charlie's tool"))
    make_app("Registered only")
    assert connected_apps.connected_apps(apps_alice) == []


def test_revoke_deletes_alice_s_tokens_and_grants_for_that_app_only(apps_alice, apps_charlie):
    app, other = make_app("Skills Wallet"), make_app("Other")
    give_tokens(apps_alice, app)
    give_tokens(apps_alice, other)
    give_tokens(apps_charlie, app)
    assert connected_apps.revoke(apps_alice, app.pk) == 3
    for model in (AccessToken, RefreshToken, Grant):
        assert not model.objects.filter(user=apps_alice, application=app).exists()
        assert model.objects.filter(user=apps_alice, application=other).exists()
        assert model.objects.filter(user=apps_charlie, application=app).exists()
    assert [a.name for a in connected_apps.connected_apps(apps_alice)] == ["Other"]


def test_revoking_twice_is_fine(apps_alice):
    app = make_app("Skills Wallet")
    give_tokens(apps_alice, app)
    connected_apps.revoke(apps_alice, app.pk)
    assert connected_apps.revoke(apps_alice, app.pk) == 0


def test_charlie_cannot_revoke_alice_s_app(apps_alice, apps_charlie):
    app = make_app("Skills Wallet")
    give_tokens(apps_alice, app)
    assert connected_apps.revoke(apps_charlie, app.pk) == 0
    assert AccessToken.objects.filter(user=apps_alice, application=app).exists()


def test_scope_words_fall_back_to_the_scope_itself():
    assert connected_apps.scope_words("urn:x " + OB3 + "profile.update") == [
        "urn:x",
        "Change the name on your profile",
    ]


def test_register_application_keeps_the_app_and_its_registration_together():
    from django.contrib.auth.hashers import check_password

    app, secret = connected_apps.register_application(
        name="Skills Wallet",
        redirect_uris=["https://wallet.example/cb"],
        scope=OB3 + "credential.readonly",
        software_id="skills-wallet",
    )
    assert check_password(secret, app.client_secret)
    assert connected_apps.registered_scopes(app) == [OB3 + "credential.readonly"]
    assert app.registration.software_id == "skills-wallet"


def test_an_app_without_a_registration_keeps_every_scope():
    assert connected_apps.registered_scopes(make_app("Made by staff")) is None
    assert connected_apps.registered_scopes(None) is None


@pytest.mark.parametrize(
    "name, taken",
    [
        ("Co-Create Academy", True),
        ("CoCreate Academy", True),
        ("Со-Сreate Асаdemy", True),  # Cyrillic С (read as S by the plain skeleton)
        ("Helix  Institute", True),
        ("Ηelix Institute", True),  # a Greek Eta
        ("Helix Institute Wallet", False),
        ("Skills Wallet", False),
        ("", False),
    ],
)
def test_impersonates_the_site_or_an_institution(name, taken):
    from tests.credentials.factories import make_issuer

    make_issuer("helix-institute")
    assert connected_apps.impersonates(name) is taken
