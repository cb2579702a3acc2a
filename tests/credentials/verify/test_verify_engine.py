"""The verification engine against other issuers' badges, served from a local HTTP server."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from credentials.standards import bakery, dataintegrity, jws, keys
from credentials.verify.engine import VERDICTS
from credentials.verify.site import verify
from tests.credentials.verify_helpers import (
    EMAIL,
    DocServer,
    ExternalIssuer,
    baked_png,
    baked_svg,
    png_image,
)


@pytest.fixture(autouse=True)
def _records(db):
    """The verifier asks this platform's records who its institutions are."""


@pytest.fixture
def private_fetch(settings):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def external_issuer(server, private_fetch):
    return ExternalIssuer(server)


# --- OB 3.0 with a Data Integrity proof -----------------------------------------------


def test_a_signed_ob3_credential_from_an_https_profile_is_valid(external_issuer):
    result = verify(json.dumps(external_issuer.sign(external_issuer.credential())))
    assert result.verdict == "valid", result.as_dict()
    assert result.version == "3.0"
    assert result.proof_format == "data-integrity"
    assert all(c.passed in (True, None) for c in result.checks)


def test_the_summary_says_what_the_credential_says(external_issuer):
    summary = verify(json.dumps(external_issuer.sign(external_issuer.credential()))).summary
    assert summary.badge["name"] == "Robot teamwork"
    assert summary.issuer["name"] == "Helix Robotics Test"
    assert summary.competences[0]["name"] == "Working with others"
    assert summary.evidence[0]["url"] == "https://helix.example/projects/42"


def test_an_edited_ob3_credential_is_tampered(external_issuer):
    signed = external_issuer.sign(external_issuer.credential())
    signed["credentialSubject"]["achievement"]["name"] = "Robot leadership"
    result = verify(json.dumps(signed))
    assert result.verdict == "tampered"
    assert result.check("proof").passed is False


def test_a_credential_signed_by_a_key_the_issuer_does_not_publish_is_tampered(external_issuer):
    stranger = keys.generate_ed25519_key()
    method = keys.did_key_verification_method(stranger.public_key())
    result = verify(
        json.dumps(external_issuer.sign(external_issuer.credential(), stranger, method))
    )
    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"


def test_a_did_key_issuer_verifies_with_its_own_key(external_issuer):
    key = keys.generate_ed25519_key()
    did = keys.did_key(key.public_key())
    credential = external_issuer.credential(issuer=did, status=False)
    signed = dataintegrity.sign_eddsa_rdfc_2022(
        credential, key, keys.did_key_verification_method(key.public_key())
    )
    result = verify(json.dumps(signed))
    assert result.verdict == "valid", result.as_dict()


def test_a_did_key_issuer_with_another_did_key_signature_is_tampered(external_issuer):
    key, other = keys.generate_ed25519_key(), keys.generate_ed25519_key()
    credential = external_issuer.credential(issuer=keys.did_key(key.public_key()), status=False)
    signed = dataintegrity.sign_eddsa_rdfc_2022(
        credential, other, keys.did_key_verification_method(other.public_key())
    )
    assert verify(json.dumps(signed)).verdict == "tampered"


def test_a_did_web_issuer_resolves_through_its_did_document(server, private_fetch):
    key = keys.generate_ed25519_key()
    port = server.base.rsplit(":", 1)[1]
    did = f"did:web:127.0.0.1%3A{port}:orgs:acme"
    method = f"{did}#key-1"
    server.json(
        "/orgs/acme/did.json",
        {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": did,
            "verificationMethod": [
                {
                    "id": method,
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": keys.public_key_multibase(key.public_key()),
                }
            ],
            "assertionMethod": [method],
        },
    )
    issuer = ExternalIssuer(server, "acme")
    credential = issuer.credential(issuer=did, status=False)
    signed = dataintegrity.sign_eddsa_rdfc_2022(credential, key, method)
    assert verify(json.dumps(signed)).verdict == "valid"


def test_an_https_multikey_document_listed_by_the_issuer_is_accepted(server, private_fetch):
    issuer = ExternalIssuer(server, "keyed")
    key_url = server.url("/keyed/keys/1")
    server.json(
        "/keyed/keys/1",
        keys.multikey_document(issuer.ed_key.public_key(), issuer.id, key_id=key_url),
    )
    profile = issuer.profile()
    profile["assertionMethod"] = [issuer.ed_method, key_url]  # the status list uses ed25519-1
    server.json("/keyed/issuer", profile)
    signed = issuer.sign(issuer.credential(), method=key_url)
    assert verify(json.dumps(signed)).verdict == "valid"


def test_a_multikey_document_claiming_the_issuer_on_another_host_is_refused(server, private_fetch):
    issuer = ExternalIssuer(server, "victim")
    attacker = keys.generate_ed25519_key()
    other = DocServer()
    try:
        key_url = other.url("/keys/evil")
        other.json("/keys/evil", keys.multikey_document(attacker.public_key(), issuer.id, key_url))
        signed = issuer.sign(issuer.credential(), attacker, key_url)
        result = verify(json.dumps(signed))
    finally:
        other.stop()
    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"


def test_a_revoked_ob3_credential_is_revoked(external_issuer):
    external_issuer.revoke_index(7)
    result = verify(json.dumps(external_issuer.sign(external_issuer.credential(7))))
    assert result.verdict == "revoked"
    assert result.check("status").passed is False


def test_an_unsigned_status_list_means_the_status_cannot_be_confirmed(server, external_issuer):
    status = json.loads(server.routes["/helix/status/1"][2])
    del status["proof"]
    server.json("/helix/status/1", status)
    result = verify(json.dumps(external_issuer.sign(external_issuer.credential())))
    assert result.verdict == "status_unknown"
    assert result.problem == "status_unavailable"


def test_an_expired_credential_is_expired(external_issuer):
    now = datetime.now(UTC)
    credential = external_issuer.credential(
        valid_from=now - timedelta(days=400), valid_until=now - timedelta(days=5)
    )
    result = verify(json.dumps(external_issuer.sign(credential)))
    assert result.verdict == "expired"
    assert "Expired" in result.headline


def test_a_credential_valid_from_the_future_is_not_yet_valid(external_issuer):
    credential = external_issuer.credential(valid_from=datetime.now(UTC) + timedelta(days=30))
    assert verify(json.dumps(external_issuer.sign(credential))).verdict == "not_yet_valid"


def test_an_unreachable_issuer_is_unknown(server, private_fetch):
    issuer = ExternalIssuer(server, "gone")
    signed = issuer.sign(issuer.credential())
    server.json("/gone/issuer", {"error": "no"}, status=404)
    result = verify(json.dumps(signed))
    assert result.verdict == "unknown_issuer"


def test_an_ob3_credential_without_proof_is_tampered(external_issuer):
    result = verify(json.dumps(external_issuer.credential()))
    assert result.verdict == "tampered"
    assert result.problem == "no_proof"


# --- OB 3.0 VC-JWT ---------------------------------------------------------------------


def test_a_vc_jwt_with_a_kid_in_the_issuer_profile_is_valid(external_issuer):
    result = verify(external_issuer.jwt(external_issuer.credential()))
    assert result.verdict == "valid", result.as_dict()
    assert result.proof_format == "vc-jwt"


def test_a_vc_jwt_with_the_issuers_jwk_is_valid(external_issuer):
    assert (
        verify(external_issuer.jwt(external_issuer.credential(), include_jwk=True)).verdict
        == "valid"
    )


def test_a_vc_jwt_with_an_embedded_stranger_jwk_is_tampered(external_issuer):
    stranger = keys.generate_rsa_key()
    token = jws.encode_vc_jwt(external_issuer.credential(), stranger, include_jwk=True)
    result = verify(token)
    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"


def test_a_vc_jwt_with_an_edited_payload_is_tampered(external_issuer):
    token = external_issuer.jwt(external_issuer.credential())
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["credentialSubject"]["achievement"]["name"] = "Robot leadership"
    edited = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert verify(f"{header}.{edited}.{signature}").verdict == "tampered"


def test_a_jwt_with_alg_none_is_tampered_as_unsigned(external_issuer):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    token = part({"alg": "none", "typ": "JWT"}) + "." + part(external_issuer.credential()) + "."
    result = verify(token)
    assert result.verdict == "tampered"
    assert result.problem == "unsigned_token"


def test_an_expired_vc_jwt_is_expired_not_tampered(external_issuer):
    now = datetime.now(UTC)
    credential = external_issuer.credential(
        valid_from=now - timedelta(days=400), valid_until=now - timedelta(days=1)
    )
    assert verify(external_issuer.jwt(credential)).verdict == "expired"


# --- baked images ----------------------------------------------------------------------


def test_a_baked_ob3_png_is_valid(external_issuer):
    result = verify(baked_png(external_issuer.sign(external_issuer.credential())))
    assert result.verdict == "valid"
    assert result.source == "png"


def test_a_baked_vc_jwt_svg_is_valid(external_issuer):
    result = verify(baked_svg(external_issuer.jwt(external_issuer.credential())))
    assert result.verdict == "valid"
    assert result.source == "svg"


def test_an_edited_baked_png_is_tampered(external_issuer):
    signed = external_issuer.sign(external_issuer.credential())
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    assert verify(baked_png(signed)).verdict == "tampered"


# --- OB 2.0 ------------------------------------------------------------------------------


def test_an_ob2_hosted_assertion_url_is_valid(external_issuer):
    assertion = external_issuer.assertion("h1")
    result = verify(assertion["id"])
    assert result.verdict == "valid", result.as_dict()
    assert result.version == "2.0"
    assert result.proof_format == "hosted"
    assert result.summary.badge["name"] == "Robot teamwork"


def test_an_ob2_hosted_assertion_baked_in_a_png_is_valid(external_issuer):
    assertion = external_issuer.assertion("h2")
    assert verify(baked_png(assertion, version="2.0")).verdict == "valid"


def test_an_ob2_baked_copy_that_differs_from_the_hosted_one_is_tampered(external_issuer):
    assertion = external_issuer.assertion("h3")
    assertion["issuedOn"] = "2020-01-01T00:00:00Z"
    result = verify(baked_png(assertion, version="2.0"))
    assert result.verdict == "tampered"
    assert result.problem == "copy_differs"


def test_an_ob2_hosted_assertion_marked_revoked_is_revoked_with_its_reason(server, external_issuer):
    assertion = external_issuer.assertion("h4")
    server.json(
        "/helix/ob2/assertions/h4",
        {"id": assertion["id"], "revoked": True, "revocationReason": "Plagiarised report"},
        status=410,
    )
    result = verify(assertion["id"])
    assert result.verdict == "revoked"
    assert result.revocation["reason"] == "Plagiarised report"
    assert "Plagiarised report" in result.headline


def test_an_ob2_assertion_in_the_revocation_list_is_revoked(external_issuer):
    assertion = external_issuer.assertion("h5")
    external_issuer.revoked_ob2.append(
        {"id": assertion["id"], "revocationReason": "Issued in error"}
    )
    external_issuer.publish()
    result = verify(assertion["id"])
    assert result.verdict == "revoked"
    assert result.revocation["reason"] == "Issued in error"


def test_an_expired_ob2_assertion_is_expired(external_issuer):
    assertion = external_issuer.assertion("h6", expires="2021-01-01T00:00:00Z")
    assert verify(assertion["id"]).verdict == "expired"


def test_an_ob2_assertion_hosted_off_the_issuers_domain_is_refused(server, private_fetch):
    issuer = ExternalIssuer(server, "scoped")
    profile = issuer.ob2_issuer()
    profile["verification"] = {"type": "hosted", "allowedOrigins": ["helix.example"]}
    server.json("/scoped/ob2/issuer", profile)
    result = verify(issuer.assertion("x")["id"])
    assert result.verdict == "tampered"
    assert result.check("issuer_key").passed is False


def test_an_ob2_signed_assertion_verifies_with_the_issuers_key(external_issuer):
    _document, token = external_issuer.signed_assertion()
    result = verify(token)
    assert result.verdict == "valid", result.as_dict()
    assert result.proof_format == "signed"


def test_an_ob2_signed_assertion_by_another_key_is_tampered(external_issuer):
    document, _token = external_issuer.signed_assertion()
    forged = jws.sign_ob2_assertion(document, keys.generate_rsa_key())
    assert verify(forged).verdict == "tampered"


def test_an_ob2_signed_assertion_in_the_revocation_list_is_revoked(external_issuer):
    document, token = external_issuer.signed_assertion()
    external_issuer.revoked_ob2.append({"id": document["id"], "revocationReason": "Withdrawn"})
    external_issuer.publish()
    assert verify(token).verdict == "revoked"


# --- recipient --------------------------------------------------------------------------


def test_the_recipient_email_matches_the_hashed_identity(external_issuer):
    result = verify(
        json.dumps(external_issuer.sign(external_issuer.credential())), email=EMAIL.upper()
    )
    assert result.recipient_matched is True
    assert result.check("recipient").passed is True


def test_another_email_is_its_own_verdict_never_valid(external_issuer):
    result = verify(
        json.dumps(external_issuer.sign(external_issuer.credential())), email="eve@example.org"
    )
    assert result.verdict == "not_recipient"
    assert result.problem == "recipient_mismatch"
    assert result.recipient_matched is False
    assert result.headline.startswith("Not issued to this person")
    assert "eve@example.org" not in json.dumps(result.as_dict())


def test_the_ob2_recipient_is_checked_too(external_issuer):
    assert verify(external_issuer.assertion("r1")["id"], email=EMAIL).recipient_matched is True


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("source", [b"", "   ", b"\n"])
def test_empty_input_is_not_a_badge(source):
    result = verify(source)
    assert (result.verdict, result.problem) == ("not_a_badge", "empty")


def test_a_50_megabyte_file_is_too_large():
    result = verify(b"\x89PNG\r\n\x1a\n" + b"\0" * (50 * 1024 * 1024))
    assert (result.verdict, result.problem) == ("not_a_badge", "too_large")


def test_a_png_with_no_badge_says_so():
    result = verify(png_image())
    assert (result.verdict, result.problem) == ("not_a_badge", "no_badge_in_image")


def test_a_png_with_a_corrupted_chunk_is_a_damaged_image(external_issuer):
    data = bytearray(baked_png(external_issuer.sign(external_issuer.credential())))
    at = data.index(b"iTXt") + 30
    data[at] ^= 0xFF  # the CRC no longer matches
    result = verify(bytes(data))
    assert (result.verdict, result.problem) == ("not_a_badge", "corrupt_image")


def test_a_zip_bomb_text_chunk_is_refused():
    payload = zlib.compress(b"{" + b" " * (20 * 1024 * 1024))
    content = b"openbadges\x00" + b"\x01\x00" + b"\x00\x00" + payload
    chunk = struct.pack(">I", len(content)) + b"iTXt" + content
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + content))
    image = png_image()
    data = image[:33] + chunk + image[33:]
    assert verify(data).verdict == "not_a_badge"


@pytest.mark.parametrize(
    "text",
    ['{"hello": "world"}', "[1, 2, 3]", '{"@context": "https://schema.org", "type": "Person"}'],
)
def test_json_that_is_not_a_credential_is_not_a_badge(text):
    result = verify(text)
    assert (result.verdict, result.problem) == ("not_a_badge", "not_a_credential")


def test_broken_json_is_invalid_json():
    assert verify('{"@context": ').problem == "invalid_json"


def test_a_verifiable_credential_that_is_not_a_badge_says_so(external_issuer):
    credential = external_issuer.credential()
    credential["type"] = ["VerifiableCredential"]
    result = verify(json.dumps(credential))
    assert result.verdict == "not_a_badge"
    assert "not an Open Badge" in result.message


def test_random_text_is_unreadable():
    assert verify("hello there").problem == "unreadable"


def test_binary_garbage_is_unreadable():
    assert verify(bytes(range(256)) * 4).verdict == "not_a_badge"


def test_a_url_to_an_internal_address_is_refused(settings):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    result = verify("http://127.0.0.1:9/assertion")
    assert (result.verdict, result.problem) == ("unknown_issuer", "address_not_allowed")


def test_a_redirect_loop_is_its_own_verdict(server, private_fetch):
    server.redirect("/loop/a", server.url("/loop/b"))
    server.redirect("/loop/b", server.url("/loop/a"))
    result = verify(server.url("/loop/a"))
    assert (result.verdict, result.problem) == ("unknown_issuer", "redirect_loop")


def test_a_baked_payload_that_is_not_a_credential_is_not_a_badge():
    image = bakery.bake(png_image(), {"hello": "world"}, version="3.0")
    assert verify(image).verdict == "not_a_badge"


def test_every_verdict_has_a_headline():
    from credentials.verify.engine import VerificationResult

    for verdict in VERDICTS:
        assert VerificationResult(verdict=verdict).headline
