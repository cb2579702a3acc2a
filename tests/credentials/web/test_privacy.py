"""What "private" promises (README "Privacy"), one test per promise, for each person: a
stranger (signed out), a colleague at another institution, another learner, the learner and
the awarding institution's staff."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from credentials import services
from credentials.issuing.signing import sign_award
from credentials.models import Issuer
from credentials.services import backpack
from credentials.verify.reading import decode_segment
from tests.credentials.factories import make_badge, make_issuer
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verify_isolation")]

PAGE_AND_DOWNLOADS = ["award", "award_pdf", "award_png2", "award_svg2", "award_png3", "award_svg3"]
DOCUMENTS = ["award_ob2", "award_ob2_signed", "award_ob3", "award_jwt"]
NOT_STORED = "private, no-store"


def url(name: str, award) -> str:
    return reverse(f"credentials:{name}", kwargs={"public_id": award.public_id})


def get(client, name: str, award, **extra):
    extra.setdefault("HTTP_ACCEPT", "text/html")
    return client.get(url(name, award), **extra)


@pytest.fixture
def privacy_others(other_learner, other_staff):
    """Everyone who must not see a private award: signed out, another learner, a colleague
    at another institution."""
    return [None, other_learner, other_staff]


@pytest.fixture
def privacy_insiders(learner, staff):
    return [learner, staff]


@pytest.fixture
def privacy_plain(db, media_root, learner):
    """A private award whose documents carry only the hashed e-mail (no evidence, no name)."""
    issuer = make_issuer("plain", learner_identification=Issuer.LearnerIdentification.EMAIL)
    return services.award(make_badge(issuer, "plain-badge"), learner)


@pytest.fixture
def privacy_named(db, media_root, learner):
    """A private award whose signed credential names the learner (the issuer's choice)."""
    issuer = make_issuer(
        "named", learner_identification=Issuer.LearnerIdentification.NAME_AND_EMAIL
    )
    return services.award(make_badge(issuer, "named-badge"), learner)


def as_person(client, person):
    """Signed in as ``person`` (anonymous for None), having used a second factor."""
    client.logout()
    if person is not None:
        login_with_second_factor(client, person)
    return client


def test_staff_see_a_private_award_only_after_their_second_factor(client, given, staff):
    client.force_login(staff)  # password only
    assert get(client, "award", given).status_code == 404
    login_with_second_factor(client, staff)
    assert get(client, "award", given).status_code == 200


# --- the page, the listing, the downloads ---------------------------------------------------


@pytest.mark.parametrize("name", PAGE_AND_DOWNLOADS)
def test_a_private_awards_page_and_downloads_are_404_to_everyone_else(
    client, given, privacy_others, name
):
    for person in privacy_others:
        assert get(as_person(client, person), name, given).status_code == 404


@pytest.mark.parametrize("name", PAGE_AND_DOWNLOADS)
def test_the_learner_and_the_issuers_staff_get_them_never_stored_by_a_cache(
    client, given, privacy_insiders, name
):
    for person in privacy_insiders:
        response = get(as_person(client, person), name, given)
        assert response.status_code == 200
        assert response["Cache-Control"] == NOT_STORED
        assert "Cookie" in response["Vary"]


def test_the_private_page_shows_the_evidence_narrative_only_to_insiders(
    client, given, learner, other_staff
):
    assert "Pitched to Helix" in get(as_person(client, learner), "award", given).text
    assert "Pitched to Helix" not in get(as_person(client, other_staff), "award", given).text


def test_the_institutions_public_page_lists_no_award_or_learner(client, given, learner):
    page = client.get(reverse("credentials:issuer", kwargs={"slug": "uni"})).text
    assert str(given.public_id) not in page
    assert learner.email not in page and "Lena" not in page


# --- the documents a verifier fetches -------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_private_awards_documents_with_evidence_are_404_to_everyone_else(
    client, given, privacy_others, name
):
    for person in privacy_others:
        response = get(as_person(client, person), name, given, HTTP_ACCEPT="application/ld+json")
        assert response.status_code == 404
    negotiated = get(as_person(client, None), "award", given, HTTP_ACCEPT="application/ld+json")
    assert negotiated.status_code == 404


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_private_awards_documents_naming_the_learner_are_404_to_everyone_else(
    client, privacy_named, privacy_others, name
):
    for person in privacy_others:
        assert get(as_person(client, person), name, privacy_named).status_code == 404
    assert sign_award(privacy_named).names_learner and not privacy_named.evidence


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_learner_and_staff_fetch_the_private_documents_never_stored(
    client, given, privacy_insiders, name
):
    for person in privacy_insiders:
        response = get(as_person(client, person), name, given, HTTP_ACCEPT="application/ld+json")
        assert response.status_code == 200
        assert response["Cache-Control"] == NOT_STORED


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_with_only_the_hashed_identity_stay_public_and_say_nothing_personal(
    client, privacy_plain, learner, name
):
    response = get(as_person(client, None), name, privacy_plain)
    assert response.status_code == 200
    assert response["Cache-Control"] == NOT_STORED
    body = response.content.decode()
    if name in ("award_ob2_signed", "award_jwt"):  # the payload of the token
        body = json.dumps(decode_segment(body.split(".")[1]))
    assert learner.email not in body
    assert "Lena" not in body
    assert '"evidence"' not in body


def test_a_revoked_private_awards_gone_answer_is_served_to_anyone(client, given, staff):
    services.revoke(given, "Issued by mistake", by=staff)
    response = get(as_person(client, None), "award_ob2", given)
    assert response.status_code == 410
    assert response.json()["revoked"] is True
    assert "evidence" not in response.text and "Pitched" not in response.text


def test_a_public_award_is_open_to_everyone_and_revalidated(client, given, learner):
    backpack.set_visibility(given, True, by=learner)
    for name in [*PAGE_AND_DOWNLOADS, *DOCUMENTS]:
        response = get(as_person(client, None), name, given)
        assert response.status_code == 200, name
        assert "no-store" not in response["Cache-Control"], name
    for name in DOCUMENTS:
        assert "no-cache" in get(client, name, given)["Cache-Control"]


def test_making_an_award_private_takes_effect_at_once(client, given, learner):
    backpack.set_visibility(given, True, by=learner)
    first = get(as_person(client, None), "award_ob3", given)
    assert first.status_code == 200
    backpack.set_visibility(given, False, by=learner)
    again = get(client, "award_ob3", given, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 404
    assert get(client, "award", given).status_code == 404


# --- looking an award up by its id ----------------------------------------------------------

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def _verdict(client, value: str) -> tuple[str, str | None, str]:
    result = client.post(
        "/api/v1/verify", json.dumps({"id": value}), content_type="application/json"
    )
    answer = result.json()
    return answer["status"], answer.get("problem"), answer.get("message")


def test_the_verify_page_answers_a_private_id_as_an_unknown_one(client, given, privacy_others):
    unknown = str(uuid.uuid4())
    partial = {"HTTP_X_REQUESTED_WITH": "verify.js"}  # the result alone, no form token
    for person in privacy_others:
        as_person(client, person)
        hidden = client.get("/verify/", {"id": str(given.public_id)}, **partial)
        control = client.get("/verify/", {"id": unknown}, **partial)
        assert hidden["Cache-Control"] == NOT_STORED
        assert "verdict--unknown_issuer" in hidden.text
        assert hidden.text.replace(str(given.public_id), unknown) == control.text


def test_the_api_answers_a_private_id_as_an_unknown_one(client, given, privacy_others):
    for person in privacy_others:
        as_person(client, person)
        assert _verdict(client, str(given.public_id)) == _verdict(client, UNKNOWN)
        assert _verdict(client, UNKNOWN)[0] == "unknown_issuer"


def test_the_learner_and_staff_look_their_private_award_up_by_id(client, given, privacy_insiders):
    for person in privacy_insiders:
        as_person(client, person)
        assert _verdict(client, str(given.public_id))[0] == "valid"
        assert "verdict--valid" in client.get("/verify/", {"id": str(given.public_id)}).text


def test_anyone_looks_a_public_award_up_by_id(client, given, learner):
    backpack.set_visibility(given, True, by=learner)
    assert _verdict(as_person(client, None), str(given.public_id))[0] == "valid"


def test_a_private_ob3_file_the_learner_shares_stays_verifiable(client, given, other_staff):
    token = sign_award(given).ob3_jwt
    as_person(client, other_staff)
    response = client.post(
        "/api/v1/verify",
        json.dumps({"jwt": token, "email": "lena@example.org"}),
        content_type="application/json",
    )
    assert response.json()["status"] == "valid"


# --- what the pages say ---------------------------------------------------------------------


def test_the_backpack_states_the_rule(client, given, learner):
    page = as_person(client, learner).get(reverse("credentials_manage:backpack")).text
    assert "only you and the institution’s staff" in page
    assert "the hashed form of your e-mail address" in page
