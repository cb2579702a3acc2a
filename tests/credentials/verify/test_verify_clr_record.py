"""A CLR 2.0 record from a stranger: who it is about, its verdict as a whole, and its cost.

Pure engine (no database, no network): the issuers are did:keys, the fetcher and the
monotonic clock are fakes.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import ed25519

from credentials.standards import clr, dataintegrity, keys
from credentials.verify import clr as verify_clr
from credentials.verify import engine
from credentials.verify.fetch import FetchError, FetchResult

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ALICE = "did:example:alice"
MALLORY = "did:example:mallory"
ALICE_HASH = {
    "type": "IdentityObject",
    "identityType": "emailAddress",
    "hashed": True,
    "identityHash": "sha256$" + "a" * 64,
    "salt": "pepper",
}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _sign(document, key):
    method = keys.did_key_verification_method(key.public_key())
    return dataintegrity.sign_eddsa_rdfc_2022(document, key, method)


class NoRecords:
    """This platform has no institutions: every issuer here is a stranger."""

    def is_site_address(self, url):
        return False

    def issuer(self, issuer_id):
        return None

    def published_profile(self, issuer_id):
        return None

    def issuer_named(self, name):
        return None

    def badge_issuer(self, achievement):
        return None

    def endorsement_withdrawn(self, endorsement):
        return None

    def award_status(self, credential_id):
        return None

    def award_url(self, public_id):
        return ""


def _no_network(url, **options):
    raise FetchError("blocked", "no network in this test", url)


def credential_for(subject, key=None, name="Alice's Master", issuer_id=None):
    key = key or ed25519.Ed25519PrivateKey.generate()
    document = {
        "@context": [V2, OB3],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_id or keys.did_key(key.public_key()),
            "type": ["Profile"],
            "name": "Some Issuer",
        },
        "validFrom": _stamp(datetime.now(UTC) - timedelta(days=3)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            **subject,
            "achievement": {
                "id": f"urn:uuid:{uuid.uuid4()}",
                "type": ["Achievement"],
                "name": name,
                "description": "x",
                "criteria": {"narrative": "x"},
            },
        },
    }
    return _sign(document, key)


def record_of(credentials, subject_id=None, identifiers=()):
    mallory = ed25519.Ed25519PrivateKey.generate()
    document = clr.record(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        name="Mallory's record",
        issuer={"id": keys.did_key(mallory.public_key()), "type": ["Profile"], "name": "Mallory"},
        valid_from=_stamp(datetime.now(UTC) - timedelta(days=1)),
        identifiers=list(identifiers),
        credentials=credentials,
    )
    if subject_id:
        document["credentialSubject"]["id"] = subject_id
    return _sign(document, mallory)


def run(document, fetcher=_no_network, **options):
    return engine.verify(json.dumps(document), fetcher=fetcher, records=NoRecords(), **options)


# --- F1: who vouches, who it is about, the verdict as a whole ------------------------------


def test_a_self_signed_record_never_reads_as_genuine():
    result = run(record_of([credential_for({"id": ALICE})], subject_id=ALICE))
    assert result.verdict == "valid", result.as_dict()
    assert result.issuer_trust["kind"] == "self_asserted"
    assert "learner record is genuine" not in result.headline
    assert "nobody confirms" in result.headline


def test_someone_elses_credential_in_a_record_is_not_about_its_learner():
    result = run(record_of([credential_for({"id": ALICE})], subject_id=MALLORY))
    (item,) = result.record["credentials"]
    assert item["status"] == "not_recipient"
    assert item["problem"] == "not_record_subject"
    assert "not about this record's learner" in item["headline"]
    assert result.verdict == "not_recipient"
    assert result.as_dict()["status"] == "not_recipient"
    assert "#1" in result.headline and "Alice's Master" in result.headline


def test_identifiers_tie_an_embedded_credential_to_the_records_learner():
    inner = credential_for({"identifier": [ALICE_HASH]})
    assert run(record_of([inner], identifiers=[ALICE_HASH])).verdict == "valid"


def test_another_salt_or_hash_is_another_learner():
    inner = credential_for({"identifier": [ALICE_HASH]})
    other = dict(ALICE_HASH, identityHash="sha256$" + "b" * 64)
    resalted = dict(ALICE_HASH, salt="other")
    for identity in (other, resalted):
        result = run(record_of([inner], identifiers=[identity]))
        assert result.record["credentials"][0]["problem"] == "not_record_subject"
        assert result.verdict != "valid"


def test_a_record_naming_nobody_ties_no_credential_to_itself():
    result = run(record_of([credential_for({"id": ALICE})]))
    assert result.record["credentials"][0]["problem"] == "not_record_subject"
    assert result.verdict != "valid"


def test_the_worst_embedded_verdict_is_the_records_and_names_its_credential():
    good = credential_for({"id": ALICE}, name="Course")
    bad = credential_for({"id": ALICE}, name="Doctorate")
    bad["credentialSubject"]["achievement"]["description"] = "changed after signing"
    result = run(record_of([good, bad], subject_id=ALICE))
    assert [c["status"] for c in result.record["credentials"]] == ["valid", "tampered"]
    assert result.verdict == "tampered"
    assert result.as_dict()["status"] == "tampered"
    assert "#2" in result.headline and "Doctorate" in result.headline


# --- F12: one deadline and one fetch budget for a whole record -----------------------------


class SlowFetcher:
    """Every fetch takes ``seconds`` on the fake clock, then fails."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.now = 1000.0
        self.calls = 0

    def clock(self) -> float:
        return self.now

    def __call__(self, url, **options):
        self.calls += 1
        self.now += self.seconds
        return FetchResult(url=url, status=404, content_type="application/json", body=b"{}")


def _remote_record(count: int):
    key = ed25519.Ed25519PrivateKey.generate()
    issuer = "https://a1.evil.example/issuer"
    inner = [credential_for({"id": ALICE}, key=key, issuer_id=issuer) for _ in range(count)]
    return record_of(inner, subject_id=ALICE)


def test_a_slow_record_stops_at_its_deadline():
    fetcher = SlowFetcher(seconds=5)
    result = run(_remote_record(40), fetcher=fetcher, monotonic=fetcher.clock)
    assert fetcher.calls * 5 <= verify_clr.RECORD_SECONDS + 5
    statuses = [c["problem"] for c in result.record["credentials"]]
    assert statuses[-1] == "record_too_large"
    assert "too large to check at once" in result.record["credentials"][-1]["headline"]
    assert result.verdict != "valid"


def test_a_record_shares_one_fetch_budget():
    fetcher = SlowFetcher(seconds=0)
    document = _remote_record(verify_clr.RECORD_FETCHES + 20)
    result = run(document, fetcher=fetcher, monotonic=fetcher.clock)
    assert fetcher.calls <= verify_clr.RECORD_FETCHES
    assert result.record["credentials"][-1]["problem"] == "record_too_large"
    assert result.verdict != "valid"
