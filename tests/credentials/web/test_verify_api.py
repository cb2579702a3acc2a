"""POST /api/v1/verify: every verdict, our own awards and other issuers', and bad input."""

from __future__ import annotations

import base64
import json
import logging
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from credentials import services
from credentials.issuing import baking
from credentials.models import Competency, VerificationEvent
from credentials.standards import bakery
from credentials.verify.engine import VERDICTS
from tests.credentials.factories import make_badge, make_issuer
from tests.credentials.formats_support import EU_FIELDS
from tests.credentials.verify_helpers import ExternalIssuer, png_image

# A check of one of our credentials is counted, once a day per verifier
# (tests/credentials/web/test_verification_counting.py).

URL = "/api/v1/verify"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verify_isolation")]


@pytest.fixture
def external(server, settings):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    return ExternalIssuer(server, "ext")


@pytest.fixture
def northbridge_eu_badge(db):
    issuer = make_issuer("northbridge", country="NL", name="Northbridge University")
    created = make_badge(issuer, "opportunity-spotter", **EU_FIELDS)
    created.alignments.set(Competency.objects.order_by("uri")[:2])
    return created


@pytest.fixture
def make_award(northbridge_eu_badge, learner, django_capture_on_commit_callbacks):
    def make(**options):
        with django_capture_on_commit_callbacks(execute=True):
            made = services.award(
                options.pop("badge", northbridge_eu_badge),
                options.pop("recipient", learner),
                [services.Evidence(name="Pitch deck", url="https://x.example/pitch")],
                **options,
            )
        # Public: verified by URL, id and hosted 2.0 images (private ones: test_privacy.py).
        made.is_public = True
        made.save(update_fields=["is_public"])
        return made

    return make


@pytest.fixture
def award(make_award):
    return make_award()


def baked(award, fmt: str = "png3") -> bytes:
    with baking.baked_image(award, fmt).file.open("rb") as handle:
        return handle.read()


def post_file(client, data: bytes, name: str = "badge.png", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(URL, {"file": SimpleUploadedFile(name, data), **extra})


def post_json(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


# --- our own credentials, every format --------------------------------------------------


@pytest.mark.parametrize("fmt", ["png3", "svg3", "png2", "svg2"])
def test_our_baked_image_is_valid(client, award, fmt):
    response = post_file(client, baked(award, fmt), f"badge.{fmt[:3]}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid", body
    assert body["version"] == ("3.0" if fmt.endswith("3") else "2.0")
    assert body["credential"]["badge"]["name"] == "Opportunity Spotter"


def test_our_vc_jwt_is_valid(client, award):
    award.refresh_from_db()
    body = post_json(client, {"jwt": award.ob3_jwt}).json()
    assert (body["status"], body["proof_format"]) == ("valid", "vc-jwt")


def test_our_data_integrity_credential_is_valid(client, award):
    award.refresh_from_db()
    body = post_json(client, {"credential": award.ob3_credential}).json()
    assert (body["status"], body["proof_format"]) == ("valid", "data-integrity")


def test_our_signed_ob2_assertion_is_valid(client, award):
    award.refresh_from_db()
    body = post_json(client, {"jwt": award.ob2_signed}).json()
    assert (body["status"], body["version"], body["proof_format"]) == ("valid", "2.0", "signed")


def test_uploaded_json_and_jwt_files_are_verified(client, award):
    award.refresh_from_db()
    as_json = json.dumps(award.ob3_credential).encode()
    assert post_file(client, as_json, "credential.json").json()["status"] == "valid"
    body = post_file(client, award.ob3_jwt.encode() + b"\n", "credential.jwt").json()
    assert (body["status"], body["proof_format"]) == ("valid", "vc-jwt")


def test_our_award_url_and_uuid_from_a_qr_code_are_valid(client, award):
    url = f"http://testserver/credentials/{award.public_id}/"
    assert post_json(client, {"url": url}).json()["status"] == "valid"
    assert post_json(client, {"id": str(award.public_id)}).json()["status"] == "valid"


def test_the_summary_carries_competences_eu_elements_and_evidence(client, award):
    credential = post_file(client, baked(award)).json()["credential"]
    assert credential["issuer"]["name"] == "Northbridge University"
    assert len([c for c in credential["competences"] if c["code"]]) >= 2
    labels = {e["label"] for e in credential["eu_elements"]}
    assert {"Learning outcomes", "Level (EQF)", "Type of assessment"} <= labels
    assert credential["evidence"][0]["url"] == "https://x.example/pitch"


def test_the_recipient_email_is_compared_and_never_kept(client, award, learner, caplog):
    caplog.set_level(logging.DEBUG)
    body = post_file(client, baked(award), email=learner.email).json()
    assert body["recipient_matched"] is True
    assert body["checks"][-1] == {
        "name": "recipient",
        "label": "Recipient",
        "passed": True,
        "detail": "Issued to the e-mail address you entered.",
    }
    other = post_file(client, baked(award), email="someone@else.example").json()
    assert (other["status"], other["recipient_matched"]) == ("not_recipient", False)
    assert learner.email not in caplog.text
    stored = json.dumps(list(VerificationEvent.objects.values("verifier", "verdict")))
    assert "someone@else.example" not in stored and learner.email not in stored
    assert "someone@else.example" not in json.dumps(other)


# --- every verdict -----------------------------------------------------------------------


def test_a_revoked_award_is_revoked_with_reason_and_date(client, award):
    png3, png2 = baked(award, "png3"), baked(award, "png2")
    services.revoke(award, "Plagiarised the final report", None)
    cache.clear()
    for image in (png3, png2):
        body = post_file(client, image).json()
        assert body["status"] == "revoked"
        assert body["revocation"]["reason"] == "Plagiarised the final report"
        assert body["revocation"]["date"][:10] == timezone.now().date().isoformat()
        assert "Plagiarised the final report" in body["headline"]


def test_an_expired_award_is_expired(client, northbridge_eu_badge, make_award):
    northbridge_eu_badge.validity_days = 30
    northbridge_eu_badge.save()
    award = make_award(issued_on=timezone.now() - timedelta(days=100))
    assert post_file(client, baked(award)).json()["status"] == "expired"
    assert post_file(client, baked(award, "png2")).json()["status"] == "expired"


def test_an_award_issued_in_the_future_is_not_yet_valid(client, make_award):
    award = make_award(issued_on=timezone.now() + timedelta(days=3))
    assert post_file(client, baked(award)).json()["status"] == "not_yet_valid"


def test_an_edited_baked_image_is_tampered(client, award):
    image = baked(award)
    credential = bakery.extract(image).json()
    credential["credentialSubject"]["achievement"]["name"] = "Chief Innovation Officer"
    body = post_file(client, bakery.bake(image, credential, version="3.0")).json()
    assert body["status"] == "tampered"
    assert body["checks"][1]["name"] == "proof"
    assert body["checks"][1]["passed"] is False


def test_an_edited_ob2_baked_image_is_tampered(client, award):
    image = baked(award, "png2")
    assertion = bakery.extract(image).json()
    assertion["issuedOn"] = "2019-01-01T00:00:00Z"
    body = post_file(client, bakery.bake(image, assertion, version="2.0")).json()
    assert (body["status"], body["problem"]) == ("tampered", "copy_differs")


def test_an_unreachable_issuer_is_unknown(client, server, external):
    signed = external.sign(external.credential())
    server.json("/ext/issuer", {}, status=503)
    body = post_json(client, {"credential": signed}).json()
    assert body["status"] == "unknown_issuer"


def test_another_issuers_valid_credential_is_valid(client, external):
    assert post_json(client, {"credential": external.sign(external.credential())}).json()[
        "status"
    ] == ("valid")
    assert post_json(client, {"jwt": external.jwt(external.credential())}).json()["status"] == (
        "valid"
    )


def test_a_png_without_a_badge_is_not_an_open_badge(client, db):
    body = post_file(client, png_image()).json()
    assert (body["status"], body["problem"]) == ("not_a_badge", "no_badge_in_image")


def test_the_api_answers_every_verdict(
    client, award, northbridge_eu_badge, make_award, server, external
):
    """One of each, side by side: the API's status field takes every documented value."""
    seen = {post_file(client, baked(award)).json()["status"]}
    seen.add(post_file(client, png_image()).json()["status"])
    alg_none = (
        base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
        + "."
        + base64.urlsafe_b64encode(b'{"credentialSubject":{}}').rstrip(b"=").decode()
        + "."
    )
    seen.add(post_json(client, {"jwt": alg_none}).json()["status"])
    seen.add(post_json(client, {"url": "http://10.0.0.1/x"}).json()["status"])
    future = make_award(
        recipient="future@example.org", issued_on=timezone.now() + timedelta(days=2)
    )
    seen.add(post_file(client, baked(future)).json()["status"])
    northbridge_eu_badge.validity_days = 1
    northbridge_eu_badge.save()
    old = make_award(recipient="old@example.org", issued_on=timezone.now() - timedelta(days=9))
    seen.add(post_file(client, baked(old)).json()["status"])
    seen.add(post_file(client, baked(old), email="someone@else.example").json()["status"])
    unlisted = json.dumps(external.sign(external.credential(11)))
    server.routes.pop("/ext/status/1")
    seen.add(post_json(client, {"credential": unlisted}).json()["status"])
    services.revoke(award, "Withdrawn", None)
    seen.add(post_file(client, baked(award)).json()["status"])
    assert seen == set(VERDICTS)


# --- bad input: each its own clear verdict, never a 500 ----------------------------------


def test_an_empty_upload_is_a_400_on_the_file_field(client, db):
    response = post_file(client, b"")
    assert response.status_code == 400
    assert response.json() == {"detail": "The uploaded file is empty.", "field": "file"}


@pytest.mark.parametrize("body", [{"jwt": "   "}, {"url": "\n"}, {}])
def test_an_empty_value_is_a_400_not_a_failed_check(client, db, body):
    response = post_json(client, body)
    assert response.status_code == 400
    assert response.json()["field"] == "body"
    assert not VerificationEvent.objects.exists()


def test_a_50_megabyte_upload_is_refused_before_reading(client, db):
    response = post_file(client, b"\x89PNG\r\n\x1a\n" + bytes(50 * 1024 * 1024))
    assert response.status_code == 413
    assert (response.json()["status"], response.json()["problem"]) == ("not_a_badge", "too_large")


def test_a_corrupted_chunk_is_a_damaged_image(client, award):
    data = bytearray(baked(award))
    data[data.index(b"iTXt") + 40] ^= 0x55
    body = post_file(client, bytes(data)).json()
    assert (body["status"], body["problem"]) == ("not_a_badge", "corrupt_image")


def test_json_that_is_not_a_credential(client, db):
    body = post_json(client, {"credential": {"name": "Not a badge"}}).json()
    assert (body["status"], body["problem"]) == ("not_a_badge", "not_a_credential")


def test_a_jwt_with_alg_none_is_unsigned(client, award):
    award.refresh_from_db()
    _header, payload, _signature = award.ob3_jwt.split(".")
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    body = post_json(client, {"jwt": f"{header}.{payload}."}).json()
    assert (body["status"], body["problem"]) == ("tampered", "unsigned_token")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/credentials/x/",
        "http://10.1.2.3/badge",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://localhost/x",
    ],
)
def test_a_url_to_an_internal_address_is_refused(client, db, url):
    body = post_json(client, {"url": url}).json()
    assert (body["status"], body["problem"]) == ("unknown_issuer", "address_not_allowed")


@pytest.mark.parametrize("url", ["http://[::1", "https://example.org:99999/badge"])
def test_a_malformed_url_is_a_verdict_not_an_internal_error(client, db, url, caplog):
    body = post_json(client, {"url": url}).json()
    assert body["status"] == "unknown_issuer"
    assert "unexpectedly" not in caplog.text


def test_a_redirect_loop_is_its_own_verdict(client, server, external):
    server.redirect("/spin/1", server.url("/spin/2"))
    server.redirect("/spin/2", server.url("/spin/1"))
    body = post_json(client, {"url": server.url("/spin/1")}).json()
    assert (body["status"], body["problem"]) == ("unknown_issuer", "redirect_loop")


def test_a_request_without_input_is_a_400_with_a_field(client, db):
    response = post_json(client, {})
    assert response.status_code == 400
    assert response.json()["field"] == "body"


def test_two_inputs_at_once_are_a_400(client, db):
    response = post_json(client, {"url": "https://x.example", "jwt": "a.b.c"})
    assert response.status_code == 400


def test_a_body_that_is_not_json_is_a_400(client, db):
    response = client.post(URL, "{nope", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_a_multipart_request_without_a_file_is_a_400(client, db):
    response = client.post(URL, {"email": "x@example.org"})
    assert (response.status_code, response.json()["field"]) == (400, "file")


# --- rate limit, counting, schema --------------------------------------------------------


def test_too_many_verifications_from_one_address_get_a_429(client, settings, db):
    settings.VERIFY_RATE_LIMIT = (2, 60)
    for _ in range(2):
        assert post_json(client, {"jwt": "a.b.c"}).status_code == 200
    response = post_json(client, {"jwt": "a.b.c"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many verifications" in response.json()["detail"]
    other = client.post(URL, "{}", content_type="application/json", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 400  # another address is not limited


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(client, settings, db):
    settings.VERIFY_RATE_LIMIT = (1, 60)
    settings.VERIFY_TRUSTED_PROXIES = 1
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.post(URL, "{}", content_type="application/json", **first).status_code == 400
    assert client.post(URL, "{}", content_type="application/json", **first).status_code == 429
    spoofed = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}  # the proxy appended the last
    assert client.post(URL, "{}", content_type="application/json", **spoofed).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert client.post(URL, "{}", content_type="application/json", **other).status_code == 400


def test_a_verifier_checking_one_credential_twice_is_counted_once(client, award):
    post_file(client, baked(award))
    post_file(client, baked(award, "png2"))
    assert list(VerificationEvent.objects.values_list("award", "verdict")) == [(award.pk, "valid")]


def test_the_openapi_schema_documents_the_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/verify"]["post"]
    content = operation["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    assert set(operation["responses"]) >= {"200", "400", "413", "429"}
    assert client.get("/api/v1/docs").status_code == 200


# --- from the documents only, over real HTTP ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_our_awards_verify_from_the_documents_alone(live_server, settings, tmp_path):
    """No database look-up, no in-process shortcut: HTTP to the live server, as an outsider."""
    from django.test import Client

    from credentials.frameworks import load_frameworks
    from credentials.models import Framework

    settings.SITE_URL = live_server.url
    settings.VERIFY_FETCH_IN_PROCESS = False
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    load_frameworks(Framework, Competency)
    issuer = make_issuer("northbridge", country="NL")
    badge = make_badge(issuer, **EU_FIELDS)
    award = services.award(badge, "ada@example.org")
    images = {fmt: baked(award, fmt) for fmt in ("png3", "png2", "svg3")}
    client = Client()
    for fmt, image in images.items():
        body = post_file(client, image, email="ada@example.org").json()
        assert (fmt, body["status"], body["recipient_matched"]) == (fmt, "valid", True)
    services.revoke(award, "Issued by mistake", None)
    cache.clear()
    for image in images.values():
        body = post_file(client, image).json()
        assert body["status"] == "revoked"
        assert body["revocation"]["reason"] == "Issued by mistake"
