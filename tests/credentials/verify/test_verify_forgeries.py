"""Review of the verifier, as an attacker would: each test names what must hold.

Mallory runs her own web server (a DocServer on loopback) and can upload files to this
platform's document library, as any editor can. Northbridge is a real institution here.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization

from credentials.issuing import links
from credentials.standards import dataintegrity, jws, keys
from credentials.verify.site import verify
from tests.credentials.forgery_support import (
    API,
    controller_document,
    did_key_credential,
    on_page,
    post,
    sign_with_did_key,
    upload,
)
from tests.credentials.verify_helpers import (
    CREDENTIALS_V2,
    OB2_CONTEXT,
    OB3_CONTEXT,
    ExternalIssuer,
    stamp,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verify_isolation")]


def pem(public_key) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


# --- OB 2.0 signed: the key document must be the one at the address the issuer lists -------


def test_an_ob2_key_document_naming_our_issuers_key_url_does_not_make_a_strangers_key_ours(
    northbridge_award, mallory_server, loopback_fetch, client
):
    """verify.creator points at Mallory's server; the document there *claims* the id of
    Northbridge's real key URL and Northbridge as owner, but holds Mallory's RSA key."""
    issuer = northbridge_award.badge_class.issuer
    our_issuer = client.get(links.issuer_ob2_url(issuer), HTTP_ACCEPT="application/ld+json")
    real_key_url = our_issuer.json()["publicKey"][0]
    mallory = keys.generate_rsa_key()
    creator = mallory_server.json(
        "/mallory/ob2-key-claiming-ours",
        {
            "@context": OB2_CONTEXT,
            "type": "CryptographicKey",
            "id": real_key_url,  # a lie: this is not the address it is served from
            "owner": links.issuer_ob2_url(issuer),
            "publicKeyPem": pem(mallory.public_key()),
        },
    )
    assertion = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": f"urn:uuid:{uuid.uuid4()}",
        "recipient": {"type": "email", "hashed": False, "identity": "mallory@example.org"},
        "badge": links.badge_url(northbridge_award.badge_class),
        "issuedOn": stamp(datetime.now(UTC) - timedelta(days=1)),
        "verification": {"type": "SignedBadge", "creator": creator},
    }
    token = jws.sign_ob2_assertion(assertion, mallory)

    result = verify(token)

    assert result.verdict != "valid", result.as_dict()
    assert result.verdict == "tampered"
    assert result.problem == "key_not_issuers"
    assert post(client, jwt=token)["status"] != "valid"
    assert on_page(client, token) != "valid"


# --- a name is never an identity: look-alikes are still the name -----------------------------


@pytest.mark.parametrize(
    "name",
    [
        "North\u00adbridge University of Technology",  # soft hyphen: invisible
        "North\u200bbridge University of Technology",  # zero-width space: invisible
        "N\u043erthbridge University of Technology",  # Cyrillic o
    ],
    ids=["soft-hyphen", "zero-width-space", "cyrillic-o"],
)
def test_an_issuer_using_a_look_alike_of_our_institutions_name_is_an_impersonation(
    northbridge, name
):
    mallory = keys.generate_ed25519_key()
    forged = sign_with_did_key(did_key_credential(name, mallory), mallory)

    result = verify(json.dumps(forged))

    assert result.verdict == "unknown_issuer", result.as_dict()
    assert result.problem == "impersonation"


# --- endorsements: "institution of this platform" only when it is ----------------------------


def test_an_unsigned_endorsement_naming_our_institution_is_not_shown_as_from_it(
    northbridge, mallory_server, loopback_fetch, client
):
    issuer = ExternalIssuer(mallory_server, "endorsed")
    credential = issuer.credential(status=False)
    achievement = credential["credentialSubject"]["achievement"]
    credential["endorsement"] = [
        {
            "@context": [CREDENTIALS_V2, OB3_CONTEXT],
            "id": f"urn:uuid:{uuid.uuid4()}",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "issuer": {"id": links.issuer_profile_url(northbridge), "type": ["Profile"]},
            "validFrom": stamp(datetime.now(UTC) - timedelta(days=2)),
            "credentialSubject": {
                "id": achievement["id"],
                "type": ["EndorsementSubject"],
                "endorsementComment": "Our best partner programme.",
            },
        }
    ]
    signed = issuer.sign(credential)

    result = verify(json.dumps(signed))

    assert result.verdict == "valid"  # Mallory's own credential is genuine
    endorser = result.summary.endorsers[0]
    assert endorser["verified"] is False
    assert endorser["trust"] != "platform", endorser
    page = client.post("/verify/", {"text": json.dumps(signed)}).content.decode()
    endorsers = page.split("<dt>Endorsed by</dt>", 1)[1].split("</dd>", 1)[0]
    assert "institution of this platform" not in endorsers
    assert "not confirmed" in endorsers


def test_our_institutions_endorsement_of_one_badge_does_not_verify_on_a_strangers_credential(
    northbridge_badge, other_issuer, other_staff, mallory_server, loopback_fetch
):
    """Helix (ours) endorses Northbridge's badge. Mallory issues her own credential whose
    achievement borrows that badge's id, and copies the genuine endorsement in."""
    from credentials.services import endorsements

    endorsement = endorsements.endorse(
        northbridge_badge, other_issuer, "A fine badge.", other_staff
    )
    issuer = ExternalIssuer(mallory_server, "borrower")
    credential = issuer.credential(status=False)
    credential["credentialSubject"]["achievement"]["id"] = endorsement.credential[
        "credentialSubject"
    ]["id"]
    credential["credentialSubject"]["achievement"]["endorsement"] = [endorsement.credential]
    signed = issuer.sign(credential)

    result = verify(json.dumps(signed))

    assert result.issuer_trust["kind"] == "domain"  # Mallory's, not ours
    endorser = result.summary.endorsers[0]
    assert not (endorser["verified"] and endorser["trust"] == "platform"), endorser


# --- our own origin, spelled with its default port ----------------------------------------------


def _own_site_through_the_network(url: str, **options):
    """What a real network fetch of ``https://<our host>:443/…`` returns in production: our
    own site (here served in-process, as the fetcher does for SITE_URL)."""
    from credentials.verify.site import fetch

    return fetch(url.replace("https://testserver:443/", "https://testserver/", 1), **options)


@pytest.mark.parametrize("form", ["did-web", "did-web-port", "https-port"])
def test_our_origin_with_its_default_port_is_still_our_site(db, media_root, settings, form):
    """A did:web of our host resolves to /documents/<n>/did.json, which any editor can upload;
    https://<our host>:443/… is our site too, however it is spelled."""
    settings.SITE_URL = "https://testserver"  # did:web resolves over https, as in production
    mallory = keys.generate_ed25519_key()
    holder: dict[str, str] = {}

    def document(url: str) -> dict:
        number = url.rstrip("/").split("/")[-2]
        issuer_id = {
            "did-web": f"did:web:testserver:documents:{number}",
            "did-web-port": f"did:web:testserver%3A443:documents:{number}",
            "https-port": url.replace("https://testserver/", "https://testserver:443/", 1),
        }[form]
        holder["id"] = issuer_id
        return controller_document(issuer_id, mallory, "Registrar")

    upload("did.json", document)
    issuer_id = holder["id"]
    credential = did_key_credential("Registrar", mallory)
    credential["issuer"] = {"id": issuer_id, "type": ["Profile"], "name": "Registrar"}
    forged = dataintegrity.sign_eddsa_rdfc_2022(credential, mallory, issuer_id + "#key")

    result = verify(json.dumps(forged), fetcher=_own_site_through_the_network)

    assert result.check("proof").passed is True  # the document resolved: the attack is real
    assert result.verdict == "unknown_issuer", result.as_dict()
    assert result.problem == "not_platform_issuer"


# --- 410 Gone says something only about the address that answered it ----------------------------


def test_a_strangers_410_does_not_make_our_award_revoked(
    northbridge_award, mallory_server, loopback_fetch
):
    real = links.absolute("award_ob2", public_id=northbridge_award.public_id)
    url = mallory_server.json(
        "/mallory/gone",
        {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": real,
            "badge": links.badge_url(northbridge_award.badge_class),
            "recipient": {"type": "email", "hashed": False, "identity": "x@example.org"},
            "verification": {"type": "hosted"},
            "issuedOn": stamp(datetime.now(UTC) - timedelta(days=1)),
            "revoked": True,
            "revocationReason": "Plagiarism",
        },
        status=410,
    )

    result = verify(url)

    assert northbridge_award.revoked_at is None
    assert result.verdict != "revoked", result.as_dict()


# --- a verifier must answer, whatever it is given -----------------------------------------------

LONE_SURROGATES = (
    '{"@context": ["https://www.w3.org/ns/credentials/v2", '
    '"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], '
    '"type": ["VerifiableCredential", "OpenBadgeCredential"], '
    '"issuer": {"id": "did:key:z6Mkabc\\ud800", "name": "x\\ud800"}, '
    '"validFrom": "2024-01-01T00:00:00Z", '
    '"credentialSubject": {"achievement": {"id": "urn:x:\\ud800", "name": "B\\udc00", '
    '"criteria": {"narrative": "n"}}}}'
)


def test_json_escapes_of_lone_surrogates_get_a_verdict_not_a_server_error(db):
    from django.test import Client

    client = Client(raise_request_exception=False)

    page = client.post("/verify/", {"text": LONE_SURROGATES})
    api = client.post(
        API, json.dumps({"credential": LONE_SURROGATES}), content_type="application/json"
    )

    assert page.status_code == 200
    assert api.status_code == 200
    assert api.json()["status"] != "valid"


def _poison_credential(key, blank_nodes: int) -> dict:
    """A tiny did:key credential whose blank nodes form a complete graph: every node looks
    like every other, so RDF canonicalisation tries every permutation. The proof value is
    64 random bytes: canonicalisation runs before the signature is compared."""
    import os

    import base58

    credential = did_key_credential("Poison", key)
    credential["https://example.org/graph"] = [
        {
            "@id": f"_:b{i}",
            "https://example.org/link": [{"@id": f"_:b{j}"} for j in range(blank_nodes) if j != i],
        }
        for i in range(blank_nodes)
    ]
    credential["proof"] = [
        {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": stamp(datetime.now(UTC)),
            "verificationMethod": keys.did_key_verification_method(key.public_key()),
            "proofPurpose": "assertionMethod",
            "proofValue": "z" + base58.b58encode(os.urandom(64)).decode(),
        }
    ]
    return credential


def test_a_credential_built_to_make_canonicalisation_explode_is_answered_in_seconds(db):
    import threading
    import time

    from credentials.verify.fetch import DEFAULT_TIMEOUT

    forged = json.dumps(_poison_credential(keys.generate_ed25519_key(), 7))
    answer: dict = {}

    def run() -> None:
        answer["result"] = verify(forged)

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(DEFAULT_TIMEOUT + 1)
    took = time.monotonic() - started
    worker.join(120)  # let it finish: it holds the JSON-LD store's lock meanwhile

    assert took < DEFAULT_TIMEOUT + 1, f"still canonicalising after {took:.0f} s"
    assert answer["result"].verdict != "valid"
