"""Accounts on django-allauth: sign-up verifies the address, logins are throttled, nothing
tells an outsider whether an address has an account, and ``next=`` never leaves the site."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from cms import roles
from tests.conftest import PASSWORD

User = get_user_model()
pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Nora@Example.org",
    "display_name": "Nora",
    "time_zone": "Europe/Madrid",
    "language": "es",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}
SENT = reverse("account_email_verification_sent")


@pytest.fixture(autouse=True)
def accounts_fresh_rate_limits():
    """allauth counts attempts in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def signup(client, path=None, **changes):
    return client.post(path or reverse("account_signup"), {**SIGNUP, **changes})


def log_in(client, email, password=PASSWORD, path=None):
    return client.post(path or reverse("account_login"), {"login": email, "password": password})


def link_in(message) -> str:
    """The verification link of an e-mail, site-relative."""
    url = re.search(r"https?://testserver(/accounts/confirm-email/\S+/)", message.body)
    assert url, message.body
    return url.group(1)


def confirm(client, message):
    link = link_in(message)
    assert client.get(link).status_code == 200
    return client.post(link)


def logged_in(client):
    return "_auth_user_id" in client.session


# Sign-up


def test_signup_creates_an_unverified_learner_and_mails_the_link(client):
    response = signup(client)
    assert response["Location"] == SENT
    user = User.objects.get()
    assert user.email == "nora@example.org"
    assert (user.display_name, user.time_zone, user.language) == ("Nora", "Europe/Madrid", "es")
    assert roles.roles_of(user) == [roles.LEARNERS]
    assert not EmailAddress.objects.get(user=user).verified
    assert not logged_in(client)
    [message] = mail.outbox
    assert message.to == ["nora@example.org"]
    assert "/accounts/confirm-email/" in message.body


def test_the_check_your_email_page_says_what_to_do(client):
    page = signup(client, path=None)
    html = client.get(page["Location"]).content.decode()
    assert "Check your e-mail" in html


def test_opening_the_link_verifies_the_address_and_logs_in(client):
    signup(client)
    response = confirm(client, mail.outbox[0])
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:dashboard")  # their learning, not /accounts/
    assert EmailAddress.objects.get(email="nora@example.org").verified
    assert client.get(reverse("account")).context["user"].email == "nora@example.org"


def test_a_new_account_cannot_log_in_before_its_address_is_verified(client):
    signup(client)
    client.logout()
    response = log_in(client, "nora@example.org", SIGNUP["password1"])
    assert response["Location"] == SENT
    assert not logged_in(client)
    assert client.get(reverse("account"))["Location"].startswith(reverse("account_login"))


def test_a_used_or_forged_link_verifies_nothing(client):
    signup(client)
    response = client.post("/accounts/confirm-email/forged-key/")
    assert response.status_code == 404 or "no longer works" in response.content.decode()
    assert not EmailAddress.objects.get().verified


def test_signup_with_a_taken_address_looks_like_a_new_one(client, learner):
    new = signup(client, email="someone-new@example.org")
    client.logout()
    mail.outbox.clear()
    taken = signup(client, email=learner.email.upper())
    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert User.objects.filter(email__iexact=learner.email).count() == 1
    [message] = mail.outbox  # the owner is told, not the person at the form
    assert message.to == [learner.email]
    assert "already" in message.body
    learner.refresh_from_db()
    assert learner.display_name == "Lena"  # the form changed nothing of the owner's account


def test_signup_rejects_a_malformed_email(client):
    response = signup(client, email="nora-at-example")
    assert "email" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.parametrize("weak", ["short1", "password123", "1234567890123"])
def test_signup_rejects_a_weak_password(client, weak):
    response = signup(client, password1=weak, password2=weak)
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_rejects_passwords_that_differ(client):
    response = signup(client, password2="another-long-passphrase")
    assert response.context["form"].errors
    assert not User.objects.exists()


def test_signup_rejects_an_unknown_time_zone(client):
    response = signup(client, time_zone="Mars/Olympus_Mons")
    assert "time_zone" in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_errors_are_shown_next_to_the_field(client):
    html = signup(client, email="nora-at-example").content.decode()
    assert 'class="field field--error"' in html
    assert 'label for="id_email">E-mail address' in html


# Logging in and out


def test_login_with_a_wrong_password_says_so(client, learner):
    response = log_in(client, learner.email, "wrong-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert not logged_in(client)


def test_login_accepts_the_email_in_any_case(client, learner):
    response = log_in(client, learner.email.upper())
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, learner):
    for _ in range(50):
        response = log_in(client, learner.email, "not-the-password")
        assert response.status_code in (200, 429)
    response = log_in(client, learner.email)
    assert not logged_in(client)
    assert response.status_code in (200, 429)
    assert "Too many" in response.content.decode()  # the form's message, or the 429 page


def test_the_limit_holds_for_the_address_in_another_case(client, learner):
    for _ in range(6):
        log_in(client, learner.email, "not-the-password")
    response = log_in(client, learner.email.upper())
    assert not logged_in(client)
    assert "Too many failed attempts to log in to this account" in response.content.decode()


def test_logout_ends_the_session(client, learner):
    client.force_login(learner)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not logged_in(client)


def test_an_existing_account_without_a_verified_address_verifies_at_its_next_login(client):
    older = User.objects.create_user(email="old@example.org", password=PASSWORD)
    response = log_in(client, older.email)
    assert response["Location"] == SENT
    assert not logged_in(client)
    [message] = mail.outbox
    assert message.to == ["old@example.org"]
    confirm(client, message)
    assert EmailAddress.objects.get(user=older).verified
    assert log_in(client, older.email).status_code == 302
    assert client.session["_auth_user_id"] == str(older.pk)


# Where a person lands after logging in (no next=)


def test_a_learner_lands_on_their_learning_dashboard(client, learner):
    response = log_in(client, learner.email)
    assert response["Location"] == reverse("learning:dashboard")
    assert client.get(response["Location"]).status_code == 200


def test_issuer_staff_who_are_not_learners_land_on_their_institution_desk(client, make_user):
    from tests.credentials import factories

    staff = make_user("sofia@uni.example", roles.ISSUER_STAFF)
    factories.make_issuer("uni-landing").staff.add(staff)
    assert log_in(client, staff.email)["Location"] == reverse("credentials_manage:home")


def test_issuer_staff_of_no_institution_land_on_the_learning_dashboard(client, make_user):
    staff = make_user("nobody-yet@uni.example", roles.ISSUER_STAFF)
    assert log_in(client, staff.email)["Location"] == reverse("learning:dashboard")


def test_a_mentor_lands_on_the_mentor_desk(client, make_user):
    mentor = make_user("maya@mentors.example", roles.MENTORS)
    assert log_in(client, mentor.email)["Location"] == reverse("mentoring:dashboard")


def test_a_mentor_who_also_learns_lands_on_their_learning(client, make_user):
    both = make_user("max@mentors.example", roles.MENTORS, roles.LEARNERS)
    assert log_in(client, both.email)["Location"] == reverse("learning:dashboard")


def test_an_editor_lands_in_the_wagtail_admin(client, make_user):
    editor = make_user("emil@example.org", roles.EDITORS, is_staff=True)
    assert log_in(client, editor.email)["Location"] == reverse("wagtailadmin_home")


def test_someone_without_a_role_lands_on_the_learning_dashboard(client, make_user):
    person = make_user("plain@example.org")
    assert log_in(client, person.email)["Location"] == reverse("learning:dashboard")


# Where next= leads

BAD_NEXT = [
    "foo",
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "http://testserver/credentials/mine/",
    "%2F%2Fevil.example",
]


def is_on_site(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("bad", BAD_NEXT)
def test_a_bad_next_on_signup_neither_fails_nor_leaves_the_site(client, bad):
    assert client.get(reverse("account_signup"), {"next": bad}).status_code == 200
    response = signup(client, path=reverse("account_signup") + "?next=" + bad)
    assert response.status_code == 302 and is_on_site(response["Location"])
    response = confirm(client, mail.outbox[0])
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:dashboard")


@pytest.mark.parametrize("bad", BAD_NEXT)
def test_a_bad_next_on_login_neither_fails_nor_leaves_the_site(client, learner, bad):
    assert client.get(reverse("account_login"), {"next": bad}).status_code == 200
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": PASSWORD, "next": bad}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:dashboard")


@pytest.mark.parametrize("bad", BAD_NEXT)
def test_a_bad_next_on_logout_neither_fails_nor_leaves_the_site(client, learner, bad):
    client.force_login(learner)
    response = client.post(reverse("account_logout"), {"next": bad})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_local_next_is_followed_after_login(client, learner):
    response = client.post(
        reverse("account_login") + "?next=/credentials/mine/",
        {"login": learner.email, "password": PASSWORD},
    )
    assert response["Location"] == "/credentials/mine/"


def test_a_local_next_is_followed_after_signup_and_verification(client):
    signup(client, path=reverse("account_signup") + "?next=/credentials/mine/")
    response = confirm(client, mail.outbox[0])
    assert response["Location"] == "/credentials/mine/"


# Password reset


def test_password_reset_mails_a_working_link(client, learner):
    client.post(reverse("account_reset_password"), {"email": learner.email})
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    response = client.get(link.group(1), follow=True)
    new = "another-long-passphrase"
    client.post(response.redirect_chain[-1][0], {"password1": new, "password2": new})
    learner.refresh_from_db()
    assert learner.check_password(new)


def test_password_reset_looks_the_same_for_an_unknown_address(client, learner):
    known = client.post(reverse("account_reset_password"), {"email": learner.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[learner.email], ["nobody@example.org"]]
    assert "/password/reset/key/" not in mail.outbox[1].body


# Changing the address


def test_changing_the_address_waits_for_the_new_one_to_be_verified(client, learner):
    client.force_login(learner)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "lena.new@example.org"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.email == "lena@example.org"
    new = EmailAddress.objects.get(email="lena.new@example.org")
    assert not new.verified
    [message] = mail.outbox
    assert message.to == ["lena.new@example.org"]
    confirm(client, message)
    learner.refresh_from_db()
    assert learner.email == "lena.new@example.org"
    assert EmailAddress.objects.get(user=learner, primary=True).email == "lena.new@example.org"


def test_the_address_page_shows_a_pending_change(client, learner):
    client.force_login(learner)
    client.post(reverse("account_email"), {"action_add": "", "email": "lena.new@example.org"})
    html = client.get(reverse("account_email")).content.decode()
    assert "lena.new@example.org" in html and "waiting for you to open the link" in html


# The profile page


def test_account_page_requires_login(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_saves_time_zone_and_language(client, learner):
    client.force_login(learner)
    client.post(
        reverse("account"),
        {"display_name": "Lena L.", "time_zone": "Asia/Tokyo", "language": "fr"},
    )
    learner.refresh_from_db()
    assert (learner.display_name, learner.time_zone, learner.language) == (
        "Lena L.",
        "Asia/Tokyo",
        "fr",
    )


def test_profile_rejects_an_unknown_time_zone(client, learner):
    client.force_login(learner)
    response = client.post(
        reverse("account"), {"display_name": "X", "time_zone": "Nowhere/City", "language": "en"}
    )
    assert "time_zone" in response.context["form"].errors
    learner.refresh_from_db()
    assert learner.time_zone == "UTC"


def test_create_superuser_logs_in_with_email():
    user = User.objects.create_superuser(email="Boss@Example.org", password=PASSWORD)
    assert user.email == "boss@example.org"
    assert user.is_staff and user.is_superuser


def test_demo_accounts_have_a_verified_primary_address():
    from cms import demo

    demo.seed_accounts()
    assert demo.verify_demo_addresses([a.email for a in demo.ACCOUNTS]) == len(demo.ACCOUNTS)
    demo.verify_demo_addresses([a.email for a in demo.ACCOUNTS])  # idempotent
    addresses = EmailAddress.objects.filter(email__in=[a.email for a in demo.ACCOUNTS])
    assert addresses.count() == len(demo.ACCOUNTS)
    assert all(a.verified and a.primary for a in addresses)


# The admins' own login forms


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_the_admins_log_in_through_our_login_page(client, path):
    response = client.get(path, {"next": "/admin/pages/"})
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fpages%2F"


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_an_unverified_account_cannot_log_in_through_an_admin_form(client, path):
    staff = User.objects.create_user(email="ed@example.org", password=PASSWORD, is_staff=True)
    client.post(path, {"username": staff.email, "password": PASSWORD})
    assert not logged_in(client)


def test_the_wagtail_admin_sends_visitors_to_our_login_page(client):
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("account_login") + "?next=")
