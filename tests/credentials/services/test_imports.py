# ruff: noqa: F811 - the fixtures are imported from imports_support and requested by name
"""A learner's backpack keeps credentials from other issuers byte for byte, and shows our
verifier's verdict on each, never the document's own word (credentials/services/imports.py)."""

from __future__ import annotations

import base64
import json

import pytest
from django.db import IntegrityError

from credentials import tasks
from credentials.models import ImportedCredential
from credentials.services import imports, profiles
from credentials.verify import site as verify_site
from tests.credentials.forgery_support import NORTHBRIDGE, sign_with_did_key
from tests.credentials.imports_support import (  # noqa: F401 - fixtures
    foreign,
    imp_alice,
    imp_bob,
    odd_bytes,
    signed_json,
    signed_jwt,
)

JSON = "application/json"


@pytest.fixture
def kept(imp_alice, django_capture_on_commit_callbacks):
    """keep(body, content_type): upsert for Alice, the background check run as on commit."""

    def keep(body: bytes, content_type: str = JSON, owner=None):
        with django_capture_on_commit_callbacks(execute=True):
            row, created = imports.upsert(owner or imp_alice, body, content_type)
        row.refresh_from_db()
        return row, created

    return keep


def rejected(owner, body: bytes, content_type: str = JSON) -> imports.Rejected:
    with pytest.raises(imports.Rejected) as caught:
        imports.upsert(owner, body, content_type)
    assert not ImportedCredential.objects.exists()
    assert caught.value.description
    return caught.value


# --- byte for byte, and what is read from it ------------------------------------------------


def test_the_body_is_kept_byte_for_byte(kept):
    credential, key = foreign()
    credential["credentialSubject"]["achievement"]["description"] = "Café ✓ 學"
    body = odd_bytes(sign_with_did_key(credential, key))
    assert b"\\u00e9" in body and b"\t" in body and body.startswith(b" \r\n")

    row, created = kept(body)

    assert created
    assert row.body.encode("utf-8") == body
    assert row.format == ImportedCredential.Format.JSON
    assert row.achievement_name == "Open Science Basics"
    assert row.claimed_issuer_name == "Riverbank College"
    assert row.claimed_valid_from is not None
    assert row.verdict == "valid", row.verdict_detail  # odd bytes, same signed credential


def test_a_vc_jwt_is_kept_as_sent_and_checked(kept):
    token = signed_jwt() + "\n"

    row, created = kept(token.encode(), "text/plain")

    assert created and row.body == token
    assert row.format == ImportedCredential.Format.JWT
    assert row.achievement_name == "Open Science Basics"
    assert row.verdict == "valid", row.verdict_detail
    assert row.verdict_detail["proof_format"] == "vc-jwt"


def test_the_verdict_is_judged_against_the_learners_verified_address(kept, imp_bob):
    to_alice = json.dumps(signed_json()).encode()

    mine, _ = kept(to_alice)
    not_mine, _ = kept(to_alice, owner=imp_bob)

    assert mine.verdict == "valid" and mine.verdict_detail["recipient_matched"] is True
    assert not_mine.verdict == "not_recipient"


def test_an_unverified_address_does_not_count(kept, imp_bob):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=imp_bob, email="alice@example.org", verified=False)

    row, _ = kept(json.dumps(signed_json()).encode(), owner=imp_bob)

    assert row.verdict == "not_recipient"


# --- the same credential twice --------------------------------------------------------------


def test_the_same_credential_twice_is_one_row_replaced(kept):
    document = signed_json()
    first, created = kept(json.dumps(document).encode())
    again, created_again = kept(json.dumps(document, indent=2).encode())

    assert created and not created_again
    assert first.pk == again.pk
    assert ImportedCredential.objects.count() == 1
    assert again.body == json.dumps(document, indent=2)


def test_a_credential_without_an_id_is_keyed_by_its_bytes(kept):
    credential, key = foreign()
    del credential["id"]
    body = json.dumps(sign_with_did_key(credential, key)).encode()

    kept(body)
    kept(body)

    assert ImportedCredential.objects.count() == 1


def test_two_learners_keep_the_same_credential_apart(kept, imp_bob):
    body = json.dumps(signed_json()).encode()
    kept(body)
    kept(body, owner=imp_bob)

    assert ImportedCredential.objects.count() == 2


def test_a_lost_race_replaces_instead_of_failing(imp_alice, monkeypatch):
    """Two requests insert the same credential at once: the loser retries and replaces."""
    body = json.dumps(signed_json()).encode()
    imports.upsert(imp_alice, body, JSON)
    real = ImportedCredential.objects.select_for_update
    calls = {"n": 0}

    def first_sees_nothing():
        calls["n"] += 1
        found = real()
        return found.none() if calls["n"] == 1 else found

    monkeypatch.setattr(ImportedCredential.objects, "select_for_update", first_sees_nothing)

    row, created = imports.upsert(imp_alice, body, JSON)

    assert not created and calls["n"] == 2
    assert ImportedCredential.objects.count() == 1


def test_the_unique_constraint_holds_without_the_service(imp_alice):
    ImportedCredential.objects.create(owner=imp_alice, key="k", body="{}", format="json")
    with pytest.raises(IntegrityError):
        ImportedCredential.objects.create(owner=imp_alice, key="k", body="{}", format="json")


def test_a_changed_body_forgets_the_old_verdict(imp_alice, kept):
    credential, key = foreign()
    row, _ = kept(json.dumps(sign_with_did_key(credential, key)).encode())
    assert row.verdict == "valid"
    credential["credentialSubject"]["achievement"]["name"] = "Nobel Prize"  # same id, unsigned
    forged = {**credential, "proof": json.loads(row.body)["proof"]}

    imports.upsert(imp_alice, json.dumps(forged).encode(), JSON)  # no check run yet
    row.refresh_from_db()

    assert row.verdict == "" and row.checked_at is None


# --- attacks: never the document's word ------------------------------------------------------


def test_a_forged_credential_is_tampered_not_valid(kept):
    document = signed_json()
    document["credentialSubject"]["achievement"]["name"] = "Doctor of Everything"

    row, _ = kept(json.dumps(document).encode())

    assert row.achievement_name == "Doctor of Everything"  # what it claims, for listing only
    assert row.verdict == "tampered"


def test_a_forged_vc_jwt_is_tampered(kept):
    head, payload, signature = signed_jwt().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "==="))
    claims["credentialSubject"]["achievement"]["name"] = "Doctor of Everything"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    row, _ = kept(f"{head}.{forged}.{signature}".encode(), "application/jwt")

    assert row.verdict == "tampered"


def test_a_stranger_using_our_institutions_name_is_not_shown_as_ours(kept, northbridge):
    row, _ = kept(json.dumps(signed_json(NORTHBRIDGE)).encode())

    assert row.claimed_issuer_name == NORTHBRIDGE  # its claim
    assert row.verdict == "unknown_issuer"
    assert row.verdict_detail["problem"] == "impersonation"
    assert (row.verdict_detail["issuer_trust"] or {}).get("kind") != "platform"


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (b"\xff\xfe{}", JSON, "invaliddata"),
        (b"{not json", JSON, "invaliddata"),
        (b"[]", JSON, "invaliddata"),
        (b'"a string"', JSON, "invaliddata"),
        (b"", JSON, "invaliddata"),
        (b"{}", "application/xml", "unsupported_media_type"),
        (b"{}", "application/json; charset=latin-1", "unsupported_media_type"),
        (b'{"a": NaN}', JSON, "invaliddata"),
        (b'{"a": 1, "a": 2}', JSON, "invaliddata"),
        (b"[" * 5000 + b"]" * 5000, JSON, "invaliddata"),
        (b"not.a.jws!", "text/plain", "invaliddata"),
        (b"onlytwo.segments", "text/plain", "invaliddata"),
        (b"e30.e30.sig", "text/plain", "invaliddata"),  # {} header: no algorithm
        (b"eyJhbGciOiJub25lIn0.e30.", "text/plain", "invaliddata"),  # alg none, no signature
        (b"eyJhbGciOiJFZERTQSJ9.%%%.c2ln", "text/plain", "invaliddata"),
        (b"eyJhbGciOiJFZERTQSJ9.W10.c2ln", "text/plain", "invaliddata"),  # payload []
    ],
    ids=[
        "not-utf8",
        "not-json",
        "array",
        "string",
        "empty",
        "xml",
        "latin-1",
        "nan",
        "duplicate-key",
        "too-deep",
        "jws-bad-chars",
        "jws-two-segments",
        "jws-no-alg",
        "jws-alg-none",
        "jws-bad-payload",
        "jws-array-payload",
    ],
)
def test_what_is_not_a_credential_is_rejected(imp_alice, body, content_type, code):
    assert rejected(imp_alice, body, content_type).code == code


def test_deep_nesting_inside_a_credential_is_rejected(imp_alice):
    document = signed_json()
    deep: dict = {}
    for _ in range(40):
        deep = {"x": deep}
    document["credentialSubject"]["extra"] = deep

    assert rejected(imp_alice, json.dumps(document).encode()).code == "invaliddata"


def test_an_oversize_body_is_rejected(imp_alice, settings):
    settings.IMPORT_MAX_BYTES = 2048
    document = signed_json()
    document["credentialSubject"]["achievement"]["description"] = "x" * 4096

    assert rejected(imp_alice, json.dumps(document).encode()).code == "too_large"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda c: c.update({"@context": c["@context"][::-1]}), "context-not-first"),
        (lambda c: c.pop("@context"), "no-context"),
        (lambda c: c.update({"type": ["VerifiableCredential"]}), "not-a-badge"),
        (lambda c: c.update({"type": "OpenBadgeCredential"}), "type-not-a-list"),
        (lambda c: c.update({"type": ["OpenBadgeCredential"]}), "not-a-vc"),
        (lambda c: c.pop("issuer"), "no-issuer"),
        (lambda c: c.update({"issuer": {"name": "No id"}}), "issuer-without-id"),
        (lambda c: c.pop("credentialSubject"), "no-subject"),
        (lambda c: c.update({"credentialSubject": []}), "subject-list"),
        (lambda c: c.update({"id": 42}), "id-not-a-string"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_document_of_the_wrong_shape_is_rejected(imp_alice, change, why):
    document = signed_json()
    change(document)

    assert rejected(imp_alice, json.dumps(document).encode()).code == "invaliddata"


def test_a_jws_of_the_wrong_shape_is_rejected(imp_alice):
    credential, key = foreign()
    credential["type"] = ["VerifiableCredential"]
    from credentials.standards import jws, keys

    token = jws.encode_vc_jwt(
        credential, key, kid=keys.did_key_verification_method(key.public_key())
    )

    assert rejected(imp_alice, token.encode(), "text/plain").code == "invaliddata"


# --- checking, and when the check cannot run -------------------------------------------------


def test_a_failed_check_keeps_the_previous_verdict(kept, monkeypatch):
    row, _ = kept(json.dumps(signed_json()).encode())
    checked_at = row.checked_at

    def broken(*args, **kwargs):
        raise RuntimeError("the verifier fell over")

    monkeypatch.setattr(verify_site, "verify", broken)
    again = imports.check(row.pk)

    assert again.verdict == "valid" and again.checked_at == checked_at
    assert again.verdict_detail["unchecked_at"]


def test_a_busy_verifier_is_not_a_verdict(kept, monkeypatch):
    row, _ = kept(json.dumps(signed_json()).encode())
    busy = verify_site.verify("")
    busy.verdict, busy.problem = "unknown_issuer", "busy"
    monkeypatch.setattr(verify_site, "verify", lambda *a, **k: busy)

    assert imports.check(row.pk).verdict == "valid"


def test_a_check_of_a_removed_credential_does_nothing(imp_alice):
    assert imports.check(123456) is None


def test_the_stored_result_reads_back_as_the_verifiers(kept):
    row, _ = kept(json.dumps(signed_json()).encode())

    result = imports.stored_result(row)

    assert result.verdict == "valid"
    assert result.headline
    assert [c.name for c in result.checks]
    assert result.summary.badge["name"] == "Open Science Basics"


def test_a_check_again_is_throttled_to_once_a_minute(kept, imp_alice):
    row, _ = kept(json.dumps(signed_json()).encode())

    assert imports.recheck(imp_alice, row.public_id) is True
    assert imports.recheck(imp_alice, row.public_id) is False


# --- only the owner --------------------------------------------------------------------------


def test_nobody_else_can_remove_recheck_or_show_alices(kept, imp_bob):
    row, _ = kept(json.dumps(signed_json()).encode())

    for act in (
        lambda: imports.remove(imp_bob, row.public_id),
        lambda: imports.recheck(imp_bob, row.public_id),
        lambda: profiles.set_on_profile(imp_bob, row.public_id, True),
    ):
        with pytest.raises(ImportedCredential.DoesNotExist):
            act()
    row.refresh_from_db()
    assert not row.on_profile
    assert list(imports.imported_of(imp_bob)) == []


def test_the_owner_removes_and_shows_theirs(kept, imp_alice):
    row, _ = kept(json.dumps(signed_json()).encode())

    assert profiles.set_on_profile(imp_alice, row.public_id, True).on_profile
    imports.remove(imp_alice, row.public_id)

    assert not ImportedCredential.objects.exists()


# --- ours refused (F2), and what goes on a public profile (F3, F11, F15) ---------------------


def test_a_credential_of_one_of_our_institutions_is_refused(kept, northbridge_award, imp_bob):
    ours = json.dumps(northbridge_award.ob3_credential).encode()

    for owner in (northbridge_award.recipient, imp_bob):
        refusal = rejected(owner, ours)
        assert refusal.code == "ours"
        assert "already ours" in refusal.description


def test_only_a_valid_credential_goes_on_the_profile(kept, imp_alice):
    document = signed_json()
    document["credentialSubject"]["achievement"]["name"] = "Doctor of Everything"
    forged, _ = kept(json.dumps(document).encode())
    assert forged.verdict == "tampered"
    unchecked, _ = imports.upsert(imp_alice, json.dumps(signed_json("Other")).encode(), JSON)

    for row in (forged, unchecked):
        with pytest.raises(imports.Rejected) as caught:
            profiles.set_on_profile(imp_alice, row.public_id, True)
        assert caught.value.code == "not_valid"
        row.refresh_from_db()
        assert not row.on_profile
    profiles.set_on_profile(imp_alice, forged.public_id, False)  # hiding is always allowed


def test_the_holder_is_confirmed_only_by_a_verified_address(kept, make_user):
    nobody_verified = make_user("mallory@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=nobody_verified).delete()
    body = json.dumps(signed_json()).encode()
    alices, _ = kept(body)
    mallorys, _ = kept(body, owner=nobody_verified)
    no_email, _ = kept(json.dumps(signed_json(email=None)).encode())

    assert alices.holder_confirmed
    assert mallorys.verdict == "valid" and not mallorys.holder_confirmed
    assert no_email.verdict == "valid" and not no_email.holder_confirmed


def test_our_institutions_tag_needs_a_signature_that_verifies(kept):
    row, _ = kept(json.dumps(signed_json()).encode())
    trust = {"kind": "platform", "id": "https://x/issuers/1", "domain": "x"}
    checks = row.verdict_detail["checks"]
    ImportedCredential.objects.filter(pk=row.pk).update(
        verdict_detail={**row.verdict_detail, "issuer_trust": trust}
    )
    row.refresh_from_db()
    assert row.issuer_is_ours

    failed = [{**c, "passed": False} if c["name"] == "proof" else c for c in checks]
    ImportedCredential.objects.filter(pk=row.pk).update(
        verdict="tampered",
        verdict_detail={**row.verdict_detail, "issuer_trust": trust, "checks": failed},
    )
    row.refresh_from_db()
    assert not row.issuer_is_ours


def test_a_replaced_body_comes_off_the_profile(kept, imp_alice):
    document = signed_json()
    row, _ = kept(json.dumps(document).encode())
    profiles.set_on_profile(imp_alice, row.public_id, True)

    kept(json.dumps(document).encode())  # the same bytes: nothing changes
    row.refresh_from_db()
    assert row.on_profile
    kept(json.dumps(document, indent=1).encode())  # another body: the learner never chose it
    row.refresh_from_db()
    assert not row.on_profile


# --- no flood (F4) -----------------------------------------------------------------------------


def test_a_backpack_keeps_at_most_the_cap(kept, imp_alice, imp_bob, settings):
    settings.IMPORT_MAX_PER_LEARNER = 2
    first, _ = kept(json.dumps(signed_json()).encode())
    kept(json.dumps(signed_json("Second")).encode())

    with pytest.raises(imports.Rejected) as caught:
        imports.upsert(imp_alice, json.dumps(signed_json("Third")).encode(), JSON)

    assert caught.value.code == "too_many"
    assert ImportedCredential.objects.filter(owner=imp_alice).count() == 2
    kept(first.body.encode())  # one already kept may still be replaced
    kept(json.dumps(signed_json()).encode(), owner=imp_bob)  # Bob's backpack is his own


def test_one_learners_checks_wait_their_turn(kept, imp_alice, settings):
    settings.IMPORT_CHECKS_PER_LEARNER = 1
    row, _ = kept(json.dumps(signed_json()).encode())
    ImportedCredential.objects.filter(pk=row.pk).update(verdict="", checked_at=None)

    with imports.owner_slot(imp_alice.pk):  # one check of Alice's imports is running
        with pytest.raises(imports.Deferred):
            imports.check(row.pk)
        row.refresh_from_db()
        assert row.verdict == ""

    assert imports.check(row.pk).verdict == "valid"  # its turn came


def test_a_deferred_check_is_retried_later(kept, monkeypatch):
    row, _ = kept(json.dumps(signed_json()).encode())
    task = tasks.check_imported_credential_task

    def busy(pk):
        raise imports.Deferred

    def retry(**kwargs):
        raise RuntimeError(f"retry in {kwargs['countdown']}")

    monkeypatch.setattr(imports, "check", busy)
    monkeypatch.setattr(task, "retry", retry)

    with pytest.raises(RuntimeError, match="retry in"):
        task(row.pk)
