"""The account page's "Download my data" and "Delete my account" (cms.account_data)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cms import account_data, roles
from credentials import services as credentials
from credentials.issuing.signing import sign_award
from credentials.models import Award
from credentials.services import backpack
from learning import demo as learning_demo
from learning import services as learning
from learning.models import Enrolment
from lib import pagecache
from mentoring.models import MentorSession
from tests.conftest import PASSWORD
from tests.credentials.factories import make_badge, make_issuer
from tests.learning.conftest import answers, build_course, quiz_block, quiz_lesson
from tests.mentoring.conftest import make_mentor

pytestmark = pytest.mark.django_db
DELETE = "/accounts/delete/"
DOWNLOAD = "/accounts/my-data/"


@pytest.fixture
def account_data_world(settings, tmp_path, home_page, learner, make_user):
    """Lena and Otto, each with a course done, a rated session and a credential."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VERIFY_RATE_LIMIT = (1000, 60)
    cache.clear()
    issuer = make_issuer("northbridge", name="Northbridge University")
    badge = make_badge(issuer)
    course = build_course(learning_demo.seed_catalogue(home_page), institutions=[issuer])
    mentor = make_mentor("paul@helix.example")
    otto = make_user("otto@example.org", roles.LEARNERS, display_name="Otto")
    start = timezone.now() - timedelta(days=3)
    for person, words in ((learner, "LENA-FEEDBACK"), (otto, "OTTO-FEEDBACK")):
        learning.enrol(person, course)
        lesson = quiz_lesson(course)
        quiz = quiz_block(lesson).id
        learning.submit_quiz(person, lesson, quiz, answers(lesson), f"account-data-{person.pk:06d}")
        learning.mark_lesson_done(person, lesson)
        MentorSession.objects.create(
            mentor=mentor,
            learner=person,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=MentorSession.Status.COMPLETED,
            agenda=f"{words}-AGENDA",
            rating=4,
            feedback=words,
        )
        evidence = [credentials.Evidence(name="Pitch", narrative=f"{words}-NARRATIVE")]
        credentials.award(badge, person, evidence, idempotency_key=f"test:{person.pk}")
    return {"lena": learner, "otto": otto, "issuer": issuer, "mentor": mentor}


def download(client, user) -> tuple[dict, list[str]]:
    client.force_login(user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json")), archive.namelist()


def test_the_export_holds_each_kind_of_data_and_every_credential_file(client, account_data_world):
    data, names = download(client, account_data_world["lena"])
    assert data["profile"]["email"] == "lena@example.org"
    assert data["profile"]["display_name"] == "Lena"
    (enrolment,) = data["learning"]
    assert enrolment["lessons_done"] and enrolment["quiz_attempts"][0]["passed"] is True
    (session,) = data["mentoring"]["sessions"]
    assert session["rating"] == 4 and session["feedback"] == "LENA-FEEDBACK"
    (award,) = data["credentials"]
    assert award["awarded_to_email"] == "lena@example.org"
    assert award["evidence"][0]["narrative"] == "LENA-FEEDBACK-NARRATIVE"
    files = {name.rsplit("/", 1)[-1] for name in names if name.startswith(award["files"])}
    assert files == {
        "assertion-ob2.json",
        "assertion-ob2.jws",
        "credential-ob3.json",
        "credential-ob3.jwt",
        "badge-ob2.png",
        "badge-ob2.svg",
        "badge-ob3.png",
        "badge-ob3.svg",
        "certificate.pdf",
    }


def test_the_export_holds_nothing_of_another_person(client, account_data_world):
    data, names = download(client, account_data_world["lena"])
    text = json.dumps(data)
    assert "otto" not in text.lower() and "OTTO-" not in text
    otto_award = Award.objects.get(recipient=account_data_world["otto"])
    assert not any(str(otto_award.public_id) in name for name in names)


def test_the_download_is_only_for_the_signed_in_person(client, account_data_world):
    response = client.get(DOWNLOAD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    data, _ = download(client, account_data_world["otto"])  # Otto gets Otto's, never Lena's
    assert data["profile"]["email"] == "otto@example.org"
    assert "LENA-" not in json.dumps(data)


def test_deleting_needs_the_password_and_the_typed_confirmation(client, account_data_world):
    lena = account_data_world["lena"]
    client.force_login(lena)
    wrong = client.post(DELETE, {"password": "not-it", "confirmation": "DELETE"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.text
    untyped = client.post(DELETE, {"password": PASSWORD, "confirmation": "yes"})
    assert untyped.status_code == 400
    lena.refresh_from_db()
    assert lena.email == "lena@example.org" and lena.is_active


def test_deleting_removes_personal_data_and_keeps_the_counts(client, account_data_world):
    lena = account_data_world["lena"]
    EmailAddress.objects.get_or_create(user=lena, email=lena.email)
    client.force_login(lena)
    assert Session.objects.count() == 1
    page = client.get(DELETE)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    response = client.post(DELETE, {"password": PASSWORD, "confirmation": "DELETE"})
    assert response.status_code == 302
    lena.refresh_from_db()
    assert lena.email.endswith("@deleted.invalid") and "lena" not in lena.email
    assert lena.get_full_name() == "Deleted learner"
    assert not lena.is_active and not lena.has_usable_password()
    assert not EmailAddress.objects.filter(user=lena).exists()
    assert not Session.objects.exists()  # signed out everywhere
    session = MentorSession.objects.get(learner=lena)
    assert (session.rating, session.feedback, session.agenda) == (4, "", "")
    assert str(session.learner) == "Deleted learner"
    assert Enrolment.objects.filter(user=lena).count() == 1  # the course report still counts
    assert not client.login(email="lena@example.org", password=PASSWORD)


def test_deleting_cancels_upcoming_sessions_and_removes_sign_in_methods(account_data_world):
    lena, mentor = account_data_world["lena"], account_data_world["mentor"]
    start = timezone.now() + timedelta(days=3)
    upcoming = MentorSession.objects.create(
        mentor=mentor, learner=lena, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    SocialAccount.objects.create(user=lena, provider="openid_connect", uid="lena-at-idp")
    Authenticator.objects.create(user=lena, type=Authenticator.Type.RECOVERY_CODES, data={})
    account_data.delete_account(lena, password=PASSWORD, confirmation="DELETE")
    upcoming.refresh_from_db()
    assert upcoming.status == MentorSession.Status.CANCELLED
    assert upcoming.cancellation_reason == account_data.LEFT  # the mentor is told why
    assert not SocialAccount.objects.filter(user=lena).exists()
    assert not Authenticator.objects.filter(user=lena).exists()


def test_a_deleted_learners_credential_still_verifies_with_the_original_address(
    client, account_data_world
):
    lena = account_data_world["lena"]
    token = sign_award(Award.objects.get(recipient=lena)).ob3_jwt
    account_data.delete_account(lena, password=PASSWORD, confirmation="DELETE")
    award = Award.objects.get(ob3_jwt=token)
    assert award.recipient is None and award.recipient_email == "" and award.recipient_name == ""
    assert award.salt and award.identity_hash
    client.logout()
    for email, status in (("lena@example.org", "valid"), ("otto@example.org", "not_recipient")):
        body = json.dumps({"jwt": token, "email": email})
        answer = client.post("/api/v1/verify", body, content_type="application/json").json()
        assert answer["status"] == status


def test_a_deleted_learners_credential_shows_nothing_of_them_to_anyone(client, account_data_world):
    lena = account_data_world["lena"]
    award = Award.objects.get(recipient=lena)
    award.is_public = True
    award.save(update_fields=["is_public"])
    account_data.delete_account(lena, password=PASSWORD, confirmation="DELETE")
    award.refresh_from_db()
    assert not award.is_public and "lena" not in award.idempotency_key
    client.logout()
    for name in ("award", "award_pdf"):
        assert client.get(reverse(f"credentials:{name}", args=[award.public_id])).status_code == 404


def test_a_deleted_learners_public_credential_leaves_the_page_cache(
    client, settings, account_data_world, django_capture_on_commit_callbacks
):
    """Deleting rewrites the awards with bulk_update (no post_save): the page and documents
    an anonymous visitor had cached must not outlive the deletion."""
    settings.PAGE_CACHE = "on"
    lena = account_data_world["lena"]
    award = Award.objects.get(recipient=lena)
    sign_award(award)
    award.is_public = True
    award.save(update_fields=["is_public"])
    client.logout()
    pages = [
        reverse(f"credentials:{name}", args=[award.public_id]) for name in ("award", "award_ob3")
    ]
    cache.clear()
    assert [client.get(page).status_code for page in pages] == [200, 200]
    pagecache._pending.__dict__.clear()  # the test's own transaction never commits
    with django_capture_on_commit_callbacks(execute=True):
        account_data.delete_account(lena, password=PASSWORD, confirmation="DELETE")
    assert [client.get(page).status_code for page in pages] == [404, 404]


def test_an_old_claim_link_cannot_take_over_a_deleted_learners_credential(
    client, account_data_world
):
    lena, otto = account_data_world["lena"], account_data_world["otto"]
    award = Award.objects.get(recipient=lena)
    token = backpack.claim_token(award)
    account_data.delete_account(lena, password=PASSWORD, confirmation="DELETE")
    with pytest.raises(backpack.ClaimError):
        backpack.claim(token, otto)
    client.force_login(otto)
    claim_url = reverse("credentials_manage:claim", args=[token])
    assert client.post(claim_url).status_code == 400
    award.refresh_from_db()
    assert award.recipient is None


def test_deleting_withdraws_a_request_and_the_desk_no_longer_names_them(account_data_world):
    lena, issuer = account_data_world["lena"], account_data_world["issuer"]
    asked = credentials.approvals.request_staff(issuer, by=lena)
    account_data.delete_account(lena, password=PASSWORD, confirmation="DELETE")
    asked.refresh_from_db()
    assert asked.state == asked.State.WITHDRAWN
    assert "lena" not in asked.subject_label.lower() and asked.subject_label == "Deleted learner"


def test_a_second_click_changes_nothing(client, account_data_world):
    lena = account_data_world["lena"]
    client.force_login(lena)
    form = {"password": PASSWORD, "confirmation": "DELETE"}
    assert client.post(DELETE, form).status_code == 302
    email = type(lena).objects.get(pk=lena.pk).email
    assert client.post(DELETE, form).status_code == 302  # signed out now: just sent home
    assert account_data.delete_account(lena, password=PASSWORD, confirmation="DELETE") is False
    assert type(lena).objects.get(pk=lena.pk).email == email


def test_the_last_staff_of_an_institution_must_hand_over_first(client, account_data_world):
    lena, issuer = account_data_world["lena"], account_data_world["issuer"]
    issuer.staff.add(lena)
    client.force_login(lena)
    assert "the last staff member of Northbridge University" in client.get(DELETE).text
    refused = client.post(DELETE, {"password": PASSWORD, "confirmation": "DELETE"})
    assert refused.status_code == 400
    lena.refresh_from_db()
    assert lena.is_active
    issuer.staff.add(account_data_world["otto"])  # a colleague takes over: now it may go
    assert account_data.delete_account(lena, password=PASSWORD, confirmation="DELETE")
    assert list(issuer.staff.all()) == [account_data_world["otto"]]


def test_the_account_page_offers_both(client, account_data_world):
    client.force_login(account_data_world["lena"])
    page = client.get(reverse("account")).text
    assert DOWNLOAD in page and DELETE in page
