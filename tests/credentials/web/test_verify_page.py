"""/verify/: the employer's page, without JavaScript (plain forms) and its partial for verify.js."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from credentials import services
from credentials.issuing import baking
from credentials.models import VerificationEvent
from tests.credentials.factories import make_badge, make_issuer
from tests.credentials.verify_helpers import png_image

pytestmark = pytest.mark.usefixtures("verify_isolation")

PAGE = "/verify/"


@pytest.fixture
def verified_award(db, learner, django_capture_on_commit_callbacks):
    issuer = make_issuer("northbridge", country="NL", name="Northbridge University")
    badge = make_badge(issuer, "opportunity-spotter", learning_outcomes="Pitch an idea")
    with django_capture_on_commit_callbacks(execute=True):
        made = services.award(badge, learner)
    # Public: looked up by id and URL (a private one's id is unknown: test_privacy.py).
    return services.backpack.set_visibility(made, True, by=learner)


def png3(verified_award) -> bytes:
    with baking.baked_image(verified_award, "png3").file.open("rb") as handle:
        return handle.read()


def test_the_page_offers_three_ways_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html
    assert "Or paste a web address, JSON or token" in html
    assert "Check the recipient" in html
    assert "The verdict appears here." in html


def test_the_navigation_links_to_the_page(client, db, home_page):
    assert 'href="/verify/"' in client.get("/").content.decode()


def test_a_file_posted_without_javascript_shows_the_verdict_and_checklist(client, verified_award):
    response = client.post(PAGE, {"file": SimpleUploadedFile("badge.png", png3(verified_award))})
    html = response.content.decode()
    assert response.status_code == 200
    assert "verdict--valid" in html
    assert "Valid: this credential is genuine" in html
    assert "What we checked" in html
    assert "Opportunity Spotter" in html
    assert "Northbridge University" in html


def test_a_pasted_url_is_verified(client, verified_award):
    response = client.post(
        PAGE, {"text": f"http://testserver/credentials/{verified_award.public_id}/"}
    )
    assert "verdict--valid" in response.content.decode()


def test_a_qr_link_with_the_award_id_is_verified_on_arrival(client, verified_award):
    response = client.get(PAGE, {"id": str(verified_award.public_id)})
    assert "verdict--valid" in response.content.decode()


def test_a_qr_link_with_an_unknown_id_says_so(client, db):
    response = client.get(PAGE, {"id": "00000000-0000-4000-8000-000000000000"})
    assert response.status_code == 200
    assert "verdict--unknown_issuer" in response.content.decode()


def test_a_revoked_award_shows_the_reason(client, verified_award):
    image = png3(verified_award)
    services.revoke(verified_award, "Plagiarised the final report", None)
    cache.clear()
    html = client.post(PAGE, {"file": SimpleUploadedFile("b.png", image)}).content.decode()
    assert "verdict--revoked" in html
    assert "Plagiarised the final report" in html


def test_the_recipient_email_is_checked_but_not_echoed_or_logged(
    client, verified_award, learner, caplog
):
    caplog.set_level(logging.DEBUG)
    response = client.post(
        PAGE, {"file": SimpleUploadedFile("b.png", png3(verified_award)), "email": learner.email}
    )
    html = response.content.decode()
    assert "It was issued to the e-mail address you entered." in html
    assert learner.email not in html
    assert learner.email not in caplog.text


def test_a_png_with_no_badge_is_explained(client, db):
    html = client.post(PAGE, {"file": SimpleUploadedFile("x.png", png_image())}).content.decode()
    assert "verdict--not_a_badge" in html
    assert "The image holds no Open Badge." in html


def test_an_empty_form_is_a_form_error_not_a_failed_check(client, db):
    response = client.post(PAGE, {"text": "   "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give us something to check" in html
    assert "verdict--not_a_badge" not in html  # no verdict: nothing was checked
    assert not VerificationEvent.objects.exists()


def test_an_empty_file_is_a_field_error(client, db):
    response = client.post(PAGE, {"file": SimpleUploadedFile("x.png", b"")})
    assert response.status_code == 400
    assert "The file you chose is empty" in response.content.decode()


def test_an_empty_form_sent_by_the_page_script_shows_its_error_in_the_result(client, db):
    response = client.post(PAGE, {}, HTTP_X_REQUESTED_WITH="verify.js")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert "Give us something to check" in html


def test_a_corrupted_png_is_explained_in_words(client, db):
    from tests.credentials.verify_helpers import baked_png

    data = bytearray(baked_png({"id": "https://x.example/a"}, version="2.0"))
    data[40] ^= 0xFF  # break a chunk's checksum
    html = client.post(PAGE, {"file": SimpleUploadedFile("b.png", bytes(data))}).content.decode()
    assert "The image is damaged and cannot be read" in html
    assert "b&#x27;" not in html and "Error" not in html.split("verify-output", 1)[1]


def test_a_malformed_email_is_a_field_error(client, db):
    response = client.post(PAGE, {"text": "x", "email": "not-an-address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_verify_js_gets_only_the_result_fragment(client, verified_award):
    response = client.post(
        PAGE,
        {"file": SimpleUploadedFile("b.png", png3(verified_award))},
        headers={"X-Requested-With": "verify.js"},
    )
    html = response.content.decode()
    assert "verdict--valid" in html
    assert "<html" not in html


def test_too_many_checks_get_a_clear_429_page(client, settings, db):
    settings.VERIFY_RATE_LIMIT = (1, 60)
    client.post(PAGE, {"text": "hello"})
    response = client.post(PAGE, {"text": "hello"})
    assert response.status_code == 429
    assert "Too many checks from your address" in response.content.decode()
    assert response["Retry-After"]


def test_a_body_larger_than_the_cap_gets_413_without_being_read(client, db):
    response = client.post(
        PAGE, {"file": SimpleUploadedFile("big.png", b"\x89PNG" + bytes(7 * 1024 * 1024))}
    )
    assert response.status_code == 413
    assert "The file is too large to be a badge." in response.content.decode()


@pytest.mark.parametrize("user_fixture", [None, "learner", "superuser"])
def test_anyone_may_verify_without_an_account(client, verified_award, request, user_fixture):
    if user_fixture:
        client.force_login(request.getfixturevalue(user_fixture))
    response = client.post(PAGE, {"file": SimpleUploadedFile("b.png", png3(verified_award))})
    assert "verdict--valid" in response.content.decode()


def test_a_form_error_never_writes_the_email_back_into_the_page(client, db):
    response = client.post(PAGE, {"text": "", "email": "lena.private@example.org"})
    assert response.status_code == 400
    assert "lena.private@example.org" not in response.content.decode()
