"""The verifier, tried as an attacker would: each forgery gets its honest verdict.

Mallory runs her own web server (a DocServer on loopback) and can upload files to this
platform's document library, as any editor can. Northbridge is a real institution of this
platform. Every attack is tried through the engine, and the ones an employer would try are
also tried through ``POST /api/v1/verify`` and the ``/verify/`` page.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.cache import cache

from credentials import services
from credentials.issuing import links
from credentials.standards import dataintegrity, jws, keys, statuslist
from credentials.verify.site import verify
from tests.credentials.forgery_support import (
    API,
    NORTHBRIDGE,
    controller_document,
    did_key_credential,
    on_page,
    post,
    sign_with_did_key,
    upload,
)
from tests.credentials.verify_helpers import (
    OB2_CONTEXT,
    DocServer,
    ExternalIssuer,
    stamp,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verify_isolation")]


# --- OB 2.0: embedded copies are shown, never trusted ---------------------------------------


def forged_ob2_assertion(
    server: DocServer, northbridge_badge, verify_block: dict, name: str
) -> dict:
    """An assertion on Mallory's server whose embedded BadgeClass and Issuer claim Northbridge."""
    issuer = northbridge_badge.issuer
    host = server.base.split("://", 1)[1]
    assertion_id = server.url(f"/mallory/{name}")
    return {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": {"type": "email", "hashed": False, "identity": "mallory@example.org"},
        "issuedOn": stamp(datetime.now(UTC) - timedelta(days=1)),
        "verify": verify_block if verify_block else {"type": "hosted", "url": assertion_id},
        "badge": {
            "id": links.badge_url(northbridge_badge),
            "type": "BadgeClass",
            "name": northbridge_badge.name,
            "description": northbridge_badge.description,
            "criteria": {"narrative": northbridge_badge.criteria_narrative},
            "image": links.badge_image_url(northbridge_badge),
            "issuer": {
                "id": links.issuer_ob2_url(issuer),
                "type": "Issuer",
                "name": issuer.name,
                "url": issuer.url,
                "email": issuer.email,
                "verification": {"allowedOrigins": [host], "startsWith": [server.base]},
            },
        },
    }


def test_an_ob2_assertion_with_an_embedded_issuer_policy_on_a_strangers_host_is_refused(
    mallory_server, loopback_fetch, northbridge_badge, client
):
    assertion = forged_ob2_assertion(mallory_server, northbridge_badge, {}, "hosted")
    url = mallory_server.json("/mallory/hosted", assertion)

    result = verify(url)

    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"
    assert any("differs from the one its issuer publishes" in note for note in result.notes)
    assert post(client, url=url)["status"] == "tampered"
    assert on_page(client, url) == "tampered"


def test_an_ob2_signed_assertion_with_a_strangers_key_claiming_our_issuer_is_refused(
    mallory_server, loopback_fetch, northbridge_badge, client
):
    rsa = keys.generate_rsa_key()
    key_url = mallory_server.json(
        "/mallory/key",
        {
            "@context": OB2_CONTEXT,
            "type": "CryptographicKey",
            "id": mallory_server.url("/mallory/key"),
            "owner": links.issuer_ob2_url(northbridge_badge.issuer),
            "publicKeyPem": rsa.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode(),
        },
    )
    assertion = forged_ob2_assertion(
        mallory_server, northbridge_badge, {"type": "signed", "creator": key_url}, "signed"
    )
    assertion["id"] = f"urn:uuid:{uuid.uuid4()}"
    token = jws.sign_ob2_assertion(assertion, rsa)

    result = verify(token)

    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"
    assert result.check("issuer_key").passed is False
    assert post(client, jwt=token)["status"] == "tampered"
    assert on_page(client, token) == "tampered"


def test_an_ob2_badge_class_without_an_address_cannot_stand_for_an_issuer(
    mallory_server, loopback_fetch, northbridge_badge
):
    assertion = forged_ob2_assertion(mallory_server, northbridge_badge, {}, "noid")
    del assertion["badge"]["id"]
    url = mallory_server.json("/mallory/noid", assertion)

    result = verify(url)

    assert result.verdict == "unknown_issuer"
    assert "issuer's own copy cannot be checked" in result.message


def test_our_own_hosted_ob2_assertion_still_verifies_and_names_the_institution(
    northbridge_award, client
):
    result = verify(links.absolute("award_ob2", public_id=northbridge_award.public_id))

    assert result.verdict == "valid", result.as_dict()
    assert result.issuer_trust["kind"] == "platform"
    assert result.summary.issuer["name"] == NORTHBRIDGE


# --- OB 3.0: the issuer must authorise the key ------------------------------------------------


def multikey_without_controller(key) -> dict:
    return {"type": "Multikey", "publicKeyMultibase": keys.public_key_multibase(key)}


@pytest.mark.parametrize("controlled", [False, True], ids=["no-controller", "controller"])
def test_a_key_uploaded_to_the_issuers_site_does_not_sign_for_the_issuer(
    northbridge_award, client, controlled
):
    mallory = keys.generate_ed25519_key()
    profile = links.issuer_profile_url(northbridge_award.badge_class.issuer)

    def key_document(url: str) -> dict:
        document = {"id": url, **multikey_without_controller(mallory.public_key())}
        if controlled:
            document["controller"] = profile
        return document

    key_url = upload("key.json", key_document)
    credential = {k: v for k, v in northbridge_award.ob3_credential.items() if k != "proof"}
    credential["credentialSubject"] = {
        **credential["credentialSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": False,
                "identityHash": "mallory@example.org",
            }
        ],
    }
    forged = dataintegrity.sign_eddsa_rdfc_2022(credential, mallory, key_url)

    result = verify(json.dumps(forged))

    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"
    assert post(client, credential=forged)["status"] == "tampered"
    assert on_page(client, json.dumps(forged)) == "tampered"


def test_a_profile_uploaded_to_this_site_is_not_an_institution_of_it(db, media_root, client):
    mallory = keys.generate_ed25519_key()

    def profile(url: str) -> dict:
        return controller_document(url, mallory, "Co-Create Academy Registrar")

    url = upload("registrar.json", profile)
    credential = did_key_credential("Co-Create Academy Registrar", mallory)
    credential["issuer"] = {"id": url, "type": ["Profile"], "name": "Co-Create Academy Registrar"}
    forged = dataintegrity.sign_eddsa_rdfc_2022(credential, mallory, url + "#key")

    result = verify(json.dumps(forged))

    assert result.check("proof").passed is True  # the document resolved: the attack is real
    assert result.verdict == "unknown_issuer"
    assert result.problem == "not_platform_issuer"
    assert result.headline.startswith("Not the issuer it claims to be")
    body = post(client, credential=forged)
    assert body["status"] == "unknown_issuer"
    assert body["problem"] == "not_platform_issuer"
    assert on_page(client, json.dumps(forged)) == "unknown_issuer"


def test_a_key_listed_only_under_verification_method_is_not_authorised(
    mallory_server, loopback_fetch
):
    issuer = ExternalIssuer(mallory_server, "vmonly")
    profile = issuer.profile()
    profile["assertionMethod"] = [issuer.rsa_method]  # the Ed25519 key may not sign
    mallory_server.json("/vmonly/issuer", profile)

    result = verify(json.dumps(issuer.sign(issuer.credential(status=False))))

    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"


def test_a_listed_key_document_without_a_controller_is_refused(mallory_server, loopback_fetch):
    issuer = ExternalIssuer(mallory_server, "nocontroller")
    key_url = mallory_server.json(
        "/nocontroller/keys/1",
        {"id": mallory_server.url("/nocontroller/keys/1"), **multikey_without_controller(
            issuer.ed_key.public_key()
        )},
    )  # fmt: skip
    profile = issuer.profile()
    profile["assertionMethod"] = [key_url]
    mallory_server.json("/nocontroller/issuer", profile)

    result = verify(json.dumps(issuer.sign(issuer.credential(status=False), method=key_url)))

    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"


# --- a name is never an identity -------------------------------------------------------------


def test_a_did_key_calling_itself_by_our_institutions_name_is_not_that_institution(
    northbridge, client
):
    mallory = keys.generate_ed25519_key()
    forged = sign_with_did_key(
        did_key_credential("Northbridge  university of technology", mallory), mallory
    )

    result = verify(json.dumps(forged))

    assert result.verdict == "unknown_issuer"
    assert result.problem == "impersonation"
    assert result.issuer_trust["kind"] == "self_asserted"
    assert "not by that institution" in result.headline
    body = post(client, credential=forged)
    assert body["status"] == "unknown_issuer"
    assert body["problem"] == "impersonation"
    page = client.post("/verify/", {"text": json.dumps(forged)}).content.decode()
    assert "Not the issuer it claims to be" in page
    assert "verdict--valid" not in page


def test_a_did_key_issuer_is_self_asserted_and_says_nobody_confirms_its_name(db, client):
    key = keys.generate_ed25519_key()
    credential = sign_with_did_key(did_key_credential("Garage Makers Club", key), key)

    result = verify(json.dumps(credential))

    assert result.verdict == "valid"
    assert result.issuer_trust["kind"] == "self_asserted"
    assert result.issuer_trust["id"].startswith("did:key:")
    assert "nobody confirms" in result.headline
    assert result.check("issuer").passed is None
    body = post(client, credential=credential)
    assert body["issuer_trust"]["kind"] == "self_asserted"
    assert body["credential"]["issuer"]["trust"] == "self_asserted"
    page = client.post("/verify/", {"text": json.dumps(credential)}).content.decode()
    assert "verdict--unvouched" in page
    assert "self-asserted" in page
    assert "nobody confirms that name" in page


def test_a_web_issuer_is_known_by_its_domain_and_shown_with_it(
    mallory_server, loopback_fetch, client
):
    issuer = ExternalIssuer(mallory_server, "domain")
    credential = issuer.sign(issuer.credential(status=False))

    result = verify(json.dumps(credential))

    domain = mallory_server.base.split("://", 1)[1]
    assert result.verdict == "valid"
    assert result.issuer_trust == {
        "kind": "domain",
        "id": issuer.id,
        "domain": domain,
        "name": "Helix Robotics Test",
        "page": "",
        "label": result.issuer_trust["label"],
    }
    page = client.post("/verify/", {"text": json.dumps(credential)}).content.decode()
    assert domain in page


def test_our_institution_is_vouched_for_by_the_platform(northbridge_award, client):
    body = post(client, id=str(northbridge_award.public_id))

    assert body["status"] == "valid"
    assert body["issuer_trust"]["kind"] == "platform"
    assert body["issuer_trust"]["name"] == NORTHBRIDGE
    assert body["issuer_trust"]["page"].endswith("/institutions/northbridge/")


# --- links ---------------------------------------------------------------------------------


def test_javascript_urls_in_a_credential_never_become_links(mallory_server, loopback_fetch, client):
    issuer = ExternalIssuer(mallory_server, "scripted")
    profile = issuer.profile()
    profile["url"] = "javascript:alert(document.cookie)"
    mallory_server.json("/scripted/issuer", profile)
    credential = issuer.credential(status=False)
    credential["issuer"]["url"] = "javascript:alert(1)"
    achievement = credential["credentialSubject"]["achievement"]
    achievement["alignment"][0]["targetUrl"] = "JavaScript:alert(2)"
    achievement["image"] = {"id": "data:image/svg+xml,<svg/onload=alert(3)>", "type": "Image"}
    credential["evidence"][0]["id"] = "javascript:alert(4)"
    signed = issuer.sign(credential)

    body = post(client, credential=signed)
    page = client.post("/verify/", {"text": json.dumps(signed)}).content.decode()

    assert body["status"] == "valid"
    assert body["credential"]["issuer"]["url"] == ""
    assert body["credential"]["competences"][0]["url"] == ""
    assert body["credential"]["badge"]["image"] == ""
    assert body["credential"]["evidence"][0]["url"] == ""
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*(javascript|data):""", page, re.I)
    assert "Working with others" in page  # the competence is shown, as text


# --- the recipient ---------------------------------------------------------------------------


def test_a_wrong_email_is_never_valid_on_the_api_or_the_page(northbridge_award, client):
    body = post(client, id=str(northbridge_award.public_id), email="someone.else@example.org")
    page = client.post(
        "/verify/", {"text": str(northbridge_award.public_id), "email": "someone.else@example.org"}
    ).content.decode()

    assert body["status"] == "not_recipient"
    assert body["recipient_matched"] is False
    assert body["headline"].startswith("Not issued to this person")
    assert "verdict--not_recipient" in page
    assert "verdict--valid" not in page
    assert "someone.else@example.org" not in page


def test_the_right_email_is_valid(northbridge_award, client):
    body = post(
        client, id=str(northbridge_award.public_id), email=northbridge_award.recipient_email.upper()
    )
    assert body["status"] == "valid"
    assert body["recipient_matched"] is True


# --- revocation shows at once ------------------------------------------------------------------


@pytest.mark.parametrize("form", ["credential", "jwt", "ob2-hosted"])
def test_a_credential_revoked_a_moment_ago_is_revoked_at_once(
    northbridge_award, client, staff_of, form
):
    sources = {
        "credential": lambda a: {"credential": a.ob3_credential},
        "jwt": lambda a: {"jwt": a.ob3_jwt},
        "ob2-hosted": lambda a: {"url": links.absolute("award_ob2", public_id=a.public_id)},
    }
    warm = post(client, **sources[form](northbridge_award))  # the caches are warm now
    assert warm["status"] == "valid"

    services.revoke(
        northbridge_award, "Awarded in error", staff_of(northbridge_award.badge_class.issuer)
    )
    northbridge_award.refresh_from_db()
    body = post(client, **sources[form](northbridge_award))

    assert body["status"] == "revoked"
    assert body["revocation"]["reason"] == "Awarded in error"
    pasted = {"credential": json.dumps, "jwt": str, "ob2-hosted": str}[form]
    assert on_page(client, pasted(next(iter(sources[form](northbridge_award).values())))) == (
        "revoked"
    )


@pytest.fixture
def staff_of(make_user):
    from cms import roles

    def make(issuer):
        user = make_user(f"staff-{uuid.uuid4().hex[:6]}@{issuer.slug}.example", roles.ISSUER_STAFF)
        issuer.staff.add(user)
        return user

    return make


@pytest.fixture
def cache_timeouts(monkeypatch):
    """The timeout of every status list the verifier caches, by key."""
    seen: dict[str, object] = {}
    original = cache.set

    def spy(key, value, timeout=None, *args, **kwargs):
        if str(key).startswith("verify-status:"):
            seen[key] = timeout
        return original(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    return seen


def publish_status_list(issuer: ExternalIssuer, ttl_ms: int | None) -> None:
    document = statuslist.build_status_list_credential(
        credential_id=issuer.status_url,
        issuer=issuer.id,
        status_purpose="revocation",
        encoded_list=issuer.status_list.encode(),
        valid_from=datetime(2024, 1, 1, tzinfo=UTC),
    )
    if ttl_ms is not None:
        document["credentialSubject"]["ttl"] = ttl_ms
    signed = dataintegrity.sign_eddsa_rdfc_2022(document, issuer.ed_key, issuer.ed_method)
    issuer.server.json(f"/{issuer.slug}/status/1", signed)


@pytest.mark.parametrize(("ttl_ms", "cached_for"), [(120_000, 120), (None, 600), (0, None)])
def test_another_issuers_status_list_is_cached_no_longer_than_its_ttl(
    mallory_server, loopback_fetch, settings, cache_timeouts, ttl_ms, cached_for
):
    settings.VERIFY_STATUS_CACHE_SECONDS = 600
    issuer = ExternalIssuer(mallory_server, f"ttl{ttl_ms}")
    publish_status_list(issuer, ttl_ms)

    assert verify(json.dumps(issuer.sign(issuer.credential(5)))).verdict == "valid"

    assert list(cache_timeouts.values()) == ([cached_for] if cached_for else [])


def test_a_cached_status_list_expires_and_a_revocation_then_shows(
    mallory_server, loopback_fetch, settings
):
    issuer = ExternalIssuer(mallory_server, "expiring")
    publish_status_list(issuer, 60_000)
    credential = json.dumps(issuer.sign(issuer.credential(5)))
    assert verify(credential).verdict == "valid"

    issuer.revoke_index(5)
    still_cached = verify(credential).verdict
    cache.clear()  # what the ttl's end does

    assert still_cached == "valid"
    assert verify(credential).verdict == "revoked"


def test_our_own_status_is_never_taken_from_a_cache(northbridge_award, client, cache_timeouts):
    post(client, credential=northbridge_award.ob3_credential)
    assert cache_timeouts == {}


def test_an_unreachable_status_list_is_status_unknown_never_valid(mallory_server, loopback_fetch):
    issuer = ExternalIssuer(mallory_server, "gone")
    credential = issuer.sign(issuer.credential(9))
    mallory_server.routes.pop("/gone/status/1")

    result = verify(json.dumps(credential))

    assert result.verdict == "status_unknown"
    assert result.check("status").passed is False


# --- slow and hostile servers ----------------------------------------------------------------


def test_a_client_holding_its_share_of_outside_fetches_is_told_to_wait(
    mallory_server, loopback_fetch, settings, client
):
    """The API counts a check's outside fetches against the caller's own address."""
    import threading

    from credentials.verify.fetch import client_scope
    from credentials.verify.site import fetch
    from tests.credentials import slow_server

    settings.VERIFY_FETCH_MAX_PER_CLIENT = 1
    issuer = ExternalIssuer(mallory_server, "patient")
    credential = issuer.sign(issuer.credential(status=False))
    with slow_server.SlowServer(slow_server.hold_then_answer) as holding:

        def hold_a_slot() -> None:
            with client_scope("203.0.113.9"):
                fetch(holding.url("/held"), timeout=10, use_cache=False)

        held = threading.Thread(target=hold_a_slot, daemon=True)
        held.start()
        assert holding.wait_for_connection()
        busy = client.post(
            API,
            json.dumps({"credential": credential}),
            content_type="application/json",
            REMOTE_ADDR="203.0.113.9",
        ).json()
        other = client.post(
            API,
            json.dumps({"credential": credential}),
            content_type="application/json",
            REMOTE_ADDR="198.51.100.7",
        ).json()
        holding.release.set()
        held.join(10)

    assert (busy["status"], busy["problem"]) == ("unknown_issuer", "busy")
    assert busy["headline"].startswith("Not checked yet")
    assert other["status"] == "valid"


def test_a_server_that_dribbles_bytes_cannot_hold_a_check_past_the_deadline(loopback_fetch, client):
    import time

    from credentials.verify.fetch import DEFAULT_TIMEOUT
    from tests.credentials import slow_server

    assert slow_server.DRIBBLE_SECONDS > DEFAULT_TIMEOUT + 2
    with slow_server.SlowServer(slow_server.dribble_body) as dribbling:
        started = time.monotonic()
        body = post(client, url=dribbling.url("/assertion"))
        took = time.monotonic() - started

    assert (body["status"], body["problem"]) == ("unknown_issuer", "timeout")
    assert took < DEFAULT_TIMEOUT + 2  # not the dribble's 8 s


# --- files uploaded to this site are not our institutions' documents ---------------------------


def test_an_ob2_assertion_uploaded_to_this_site_is_not_our_institutions(
    mallory_server, loopback_fetch, northbridge_badge, client
):
    """Hosted on our own origin, for our real issuer: still not one of its credentials."""
    published_badge = mallory_server.json(
        "/mallory/badge",
        {
            "@context": OB2_CONTEXT,
            "type": "BadgeClass",
            "id": mallory_server.url("/mallory/badge"),
            "name": "Chief Innovation Officer",
            "description": "Leads innovation.",
            "criteria": {"narrative": "Says so."},
            "image": links.badge_image_url(northbridge_badge),
            "issuer": links.issuer_ob2_url(northbridge_badge.issuer),
        },
    )

    def assertion(url: str) -> dict:
        return {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": url,
            "recipient": {"type": "email", "hashed": False, "identity": "mallory@example.org"},
            "issuedOn": stamp(datetime.now(UTC) - timedelta(days=1)),
            "verification": {"type": "hosted"},
            "badge": published_badge,
        }

    url = upload("assertion.json", assertion)

    result = verify(url)

    assert result.verdict == "tampered"
    assert result.check("issuer_key").passed is False
    assert post(client, url=url)["status"] == "tampered"
    assert on_page(client, url) == "tampered"


def test_our_ob2_issuers_allow_only_their_credential_urls(northbridge_badge, client):
    issuer = client.get(
        links.issuer_ob2_url(northbridge_badge.issuer), HTTP_ACCEPT="application/ld+json"
    )
    assert issuer.json()["verification"] == {"startsWith": settings.SITE_URL + "/credentials/"}
