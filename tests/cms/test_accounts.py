import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from cms import roles
from tests.conftest import PASSWORD

User = get_user_model()

SIGNUP = {
    "email": "Nora@Example.org",
    "display_name": "Nora",
    "time_zone": "Europe/Madrid",
    "language": "es",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def signup(client, **changes):
    return client.post(reverse("signup"), {**SIGNUP, **changes})


@pytest.mark.django_db
def test_signup_creates_a_learner_and_logs_them_in(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "nora@example.org"
    assert (user.display_name, user.time_zone, user.language) == ("Nora", "Europe/Madrid", "es")
    assert roles.roles_of(user) == [roles.LEARNERS]
    assert client.get(reverse("account")).context["user"] == user


@pytest.mark.django_db
def test_signup_rejects_a_taken_email_whatever_its_case(client, learner):
    response = signup(client, email=learner.email.upper())
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signup_rejects_a_malformed_email(client):
    response = signup(client, email="nora-at-example")
    assert "email" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["short1", "password123", "1234567890123"])
def test_signup_rejects_a_weak_password(client, weak):
    response = signup(client, password1=weak, password2=weak)
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_rejects_passwords_that_differ(client):
    response = signup(client, password2="another-long-passphrase")
    assert response.context["form"].errors["password2"] == ["The two passwords differ."]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_rejects_an_unknown_time_zone(client):
    response = signup(client, time_zone="Mars/Olympus_Mons")
    assert "time_zone" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_errors_are_shown_next_to_the_field(client, learner):
    response = signup(client, email=learner.email)
    html = response.content.decode()
    assert 'class="field field--error"' in html
    assert "already exists" in html


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so(client, learner):
    response = client.post(reverse("login"), {"username": learner.email, "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_accepts_the_email_in_any_case(client, learner):
    response = client.post(
        reverse("login"), {"username": learner.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


@pytest.mark.django_db
def test_logout_ends_the_session(client, learner):
    client.force_login(learner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_mails_a_working_link(client, learner):
    client.post(reverse("password_reset"), {"email": learner.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    response = client.get(link.replace("http://testserver", ""), follow=True)
    new = "another-long-passphrase"
    client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    learner.refresh_from_db()
    assert learner.check_password(new)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_account_page_requires_login(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_profile_rejects_an_unknown_time_zone(client, learner):
    client.force_login(learner)
    response = client.post(
        reverse("account"), {"display_name": "X", "time_zone": "Nowhere/City", "language": "en"}
    )
    assert "time_zone" in response.context["form"].errors
    learner.refresh_from_db()
    assert learner.time_zone == "UTC"


@pytest.mark.django_db
def test_create_superuser_logs_in_with_email():
    user = User.objects.create_superuser(email="Boss@Example.org", password=PASSWORD)
    assert user.email == "boss@example.org"
    assert user.is_staff and user.is_superuser


@pytest.mark.django_db
def test_signup_returns_to_a_local_next_page(client):
    response = client.post(reverse("signup") + "?next=/credentials/mine/", SIGNUP)
    assert response["Location"] == "/credentials/mine/"


@pytest.mark.django_db
def test_signup_ignores_a_next_page_on_another_site(client):
    response = client.post(reverse("signup") + "?next=https://evil.example/", SIGNUP)
    assert response["Location"] == reverse("account")
