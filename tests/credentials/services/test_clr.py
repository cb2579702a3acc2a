"""A learner's CLR 2.0 records: one signed ClrCredential per institution, cached, owner's own."""

import json
import time

import pytest
from django.core.cache import cache

from credentials import services
from credentials.issuing import clr as clr_issuing
from credentials.issuing import keystore, links
from credentials.issuing.signing import sign_award
from credentials.services import clr
from credentials.standards import clr as standard
from credentials.standards import keys
from credentials.standards.dataintegrity import verify_eddsa_rdfc_2022
from credentials.verify.site import verify
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db


@pytest.fixture
def clr_alice(make_user):
    return make_user("alice@example.org", display_name="Alice")


@pytest.fixture
def clr_bob(make_user):
    return make_user("bob@example.org", display_name="Bob")


@pytest.fixture
def clr_university(db):
    return make_issuer("clr-uni", name="CLR University")


def give(badge, user, **extra):
    return sign_award(services.award(badge, user, **extra))


def resolver(issuer):
    published = {k.key_id: k for k in keystore.published_keys(issuer)}
    return lambda method: keys.public_key_from_multibase(
        published[method.rsplit("/", 1)[1]].public_key
    )


def test_no_credential_means_no_record(clr_alice):
    assert clr.signed_records(clr_alice) == []
    with pytest.raises(clr.NoRecord):
        clr.signed_record(clr_alice)


def test_record_embeds_the_stored_credentials_and_verifies(clr_alice, clr_university):
    course = make_badge(clr_university, "course")
    programme = make_badge(clr_university, "programme")
    course.part_of.add(programme)
    award = give(course, clr_alice)
    held = give(programme, clr_alice)
    record = clr.signed_record(clr_alice)
    subject = record["credentialSubject"]
    embedded = subject["verifiableCredential"]
    assert len(embedded) == 2
    assert award.ob3_credential in embedded and held.ob3_credential in embedded
    assert subject["association"] == [
        {
            "type": "Association",
            "associationType": "isPartOf",
            "sourceId": award.ob3_credential["credentialSubject"]["achievement"]["id"],
            "targetId": links.badge_url(programme),
        }
    ]
    assert {a["id"] for a in subject["achievement"]} == {
        links.badge_url(course),
        links.badge_url(programme),
    }
    ok, reason = verify_eddsa_rdfc_2022(record, resolver(clr_university))
    assert ok, reason
    assert "alice@example.org" not in str(record)


def test_revoked_awards_are_left_out(clr_alice, clr_university, make_user):
    charlie = make_user("charlie@example.org", display_name="Charlie")
    clr_university.staff.add(charlie)
    kept = give(make_badge(clr_university, "kept"), clr_alice)
    gone = give(make_badge(clr_university, "gone"), clr_alice)
    services.revoke(gone, "Plagiarism", charlie)
    record = clr.signed_record(clr_alice)
    assert record["credentialSubject"]["verifiableCredential"] == [kept.ob3_credential]


def test_one_record_per_institution_and_only_its_own(clr_alice, clr_university):
    other = make_issuer("clr-other", name="Another Institute")
    give(make_badge(clr_university, "mine"), clr_alice)
    give(make_badge(other, "theirs"), clr_alice)
    records = clr.signed_records(clr_alice)
    assert [r["issuer"]["name"] for r in records] == ["Another Institute", "CLR University"]
    with pytest.raises(clr.SeveralRecords):
        clr.signed_record(clr_alice)
    mine = clr.signed_record(clr_alice, clr_university)
    assert len(mine["credentialSubject"]["verifiableCredential"]) == 1


def test_bob_never_gets_alices_credentials(clr_alice, clr_bob, clr_university):
    give(make_badge(clr_university, "alices"), clr_alice)
    with pytest.raises(clr.NoRecord):
        clr.signed_record(clr_bob)


def test_same_state_gives_the_same_record_from_the_cache(clr_alice, clr_university):
    give(make_badge(clr_university, "cached"), clr_alice)
    cache.clear()
    first = clr.signed_record(clr_alice)
    assert clr.signed_record(clr_alice) == first
    cache.clear()
    again = clr.signed_record(clr_alice)
    first_unsigned = {k: v for k, v in first.items() if k != "proof"}
    assert {k: v for k, v in again.items() if k != "proof"} == first_unsigned


@pytest.mark.parametrize("count", [1, 10, 50])
def test_signing_time_is_measured(clr_alice, clr_university, count, capsys):
    for n in range(count):
        give(make_badge(clr_university, f"timed-{n}"), clr_alice)
    cache.clear()
    started = time.perf_counter()
    clr.signed_record(clr_alice)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    clr.signed_record(clr_alice)
    warm = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nCLR of {count} awards: signed in {cold:.2f}s, from cache in {warm:.3f}s")
    assert warm < cold


def test_parts_never_hold_more_than_the_verifier_reads():
    assert 0 < clr.PART_SIZE <= standard.MAX_EMBEDDED


def test_more_awards_than_a_record_holds_are_split_into_parts_that_verify(
    clr_alice, clr_university, monkeypatch, verify_isolation
):
    monkeypatch.setattr(clr, "PART_SIZE", 2)
    awards = [give(make_badge(clr_university, f"part-{n}"), clr_alice) for n in range(5)]
    records = clr.signed_records(clr_alice)
    assert [len(r["credentialSubject"]["verifiableCredential"]) for r in records] == [2, 2, 1]
    embedded = [c for r in records for c in r["credentialSubject"]["verifiableCredential"]]
    assert sorted(c["id"] for c in embedded) == sorted(a.ob3_credential["id"] for a in awards)
    assert len({r["id"] for r in records}) == 3
    assert records[2]["name"].endswith("(part 3 of 3)")
    assert clr.record_parts(clr_alice, clr_university) == 3
    assert clr.signed_record(clr_alice, clr_university, part=2) == records[1]
    with pytest.raises(clr.NoRecord):
        clr.signed_record(clr_alice, clr_university, part=4)
    for record in records:
        assert verify(json.dumps(record)).verdict == "valid"


def test_a_record_at_the_limit_is_one_part(clr_alice, clr_university, monkeypatch):
    monkeypatch.setattr(clr, "PART_SIZE", 2)
    for n in range(2):
        give(make_badge(clr_university, f"whole-{n}"), clr_alice)
    (record,) = clr.signed_records(clr_alice)
    assert "part" not in record["name"]
    assert record["id"] == clr_issuing.record_id(clr_university, clr_alice.pk)
