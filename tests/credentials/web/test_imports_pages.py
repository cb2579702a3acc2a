# ruff: noqa: F811 - the fixtures are imported from imports_support and requested by name
"""The backpack's "From other issuers": each credential with our verifier's verdict, its page,
its original bytes, and what only its owner may do (credentials/web/views_imports.py)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from credentials.models import ImportedCredential
from credentials.services import imports
from tests.credentials.forgery_support import NORTHBRIDGE
from tests.credentials.imports_support import (  # noqa: F401 - fixtures
    imp_alice,
    imp_bob,
    odd_bytes,
    signed_json,
)

BACKPACK = "/credentials/mine/"


@pytest.fixture
def alices_import(imp_alice, django_capture_on_commit_callbacks):
    """A valid credential from Riverbank College in Alice's backpack, checked."""
    body = odd_bytes(signed_json())
    with django_capture_on_commit_callbacks(execute=True):
        row, _ = imports.upsert(imp_alice, body, "application/json")
    row.refresh_from_db()
    assert row.verdict == "valid"
    return row


def url(row, action: str = "", prefix: str = "") -> str:
    base = f"{prefix}/credentials/mine/imported/{row.public_id}/"
    return base + (f"{action}/" if action else "")


def test_the_backpack_shows_the_verdict_and_the_claim_as_a_claim(client, alices_import):
    client.force_login(alices_import.owner)

    page = client.get(BACKPACK).content.decode()

    assert "From other issuers" in page
    assert "Open Science Basics" in page
    assert "Says it was issued by “Riverbank College”" in page
    assert 'data-verdict="valid"' in page
    assert "did:key:" in page  # the issuer our verifier identified
    assert "self-asserted: nobody confirms its name" in page
    assert url(alices_import, "original") in page


def test_an_impersonator_is_shown_as_unknown_issuer_not_as_ours(
    client, imp_alice, northbridge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        imports.upsert(imp_alice, json.dumps(signed_json(NORTHBRIDGE)).encode(), "application/json")
    client.force_login(imp_alice)

    page = client.get(BACKPACK).content.decode()

    assert 'data-verdict="unknown_issuer"' in page
    assert "institution of this platform" not in page.split('id="imported"')[1]


def test_a_new_import_is_not_checked_yet(client, imp_alice):
    imports.upsert(imp_alice, json.dumps(signed_json()).encode(), "application/json")  # no commit
    client.force_login(imp_alice)

    assert 'data-verdict="unchecked"' in client.get(BACKPACK).content.decode()


def test_the_detail_page_shows_the_verifiers_result_and_the_original(client, alices_import):
    client.force_login(alices_import.owner)

    page = client.get(url(alices_import)).content.decode()

    assert "What we checked" in page  # the verifier page's result partial
    assert "issued to one of the e-mail addresses you verified" in page
    assert "Riverbank College" in page


def test_the_original_is_downloaded_byte_for_byte(client, alices_import):
    client.force_login(alices_import.owner)

    response = client.get(url(alices_import, "original"))

    assert response.status_code == 200
    assert response.content == alices_import.body.encode("utf-8")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]


def test_the_owner_shows_it_on_the_profile_and_hides_it(client, alices_import):
    client.force_login(alices_import.owner)

    client.post(url(alices_import, "profile"), {"shown": "1"})
    alices_import.refresh_from_db()
    assert alices_import.on_profile
    client.post(url(alices_import, "profile"), {"shown": "0"})
    alices_import.refresh_from_db()
    assert not alices_import.on_profile


def test_check_again_runs_once_a_minute(client, alices_import, django_capture_on_commit_callbacks):
    cache.clear()
    client.force_login(alices_import.owner)
    ImportedCredential.objects.filter(pk=alices_import.pk).update(verdict="tampered")

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url(alices_import, "check"), follow=True)
    alices_import.refresh_from_db()
    assert alices_import.verdict == "valid"  # checked again (tasks run eagerly here)
    assert "checking" in first.content.decode()

    second = client.post(url(alices_import, "check"), follow=True)
    assert "less than a minute ago" in second.content.decode()


def test_remove_asks_first_then_removes(client, alices_import):
    client.force_login(alices_import.owner)

    confirm = client.get(url(alices_import, "remove"))
    assert confirm.status_code == 200 and b"csrfmiddlewaretoken" in confirm.content
    assert ImportedCredential.objects.exists()

    client.post(url(alices_import, "remove"))
    assert not ImportedCredential.objects.exists()


def test_actions_need_post(client, alices_import):
    client.force_login(alices_import.owner)

    for action in ("check", "profile"):
        assert client.get(url(alices_import, action)).status_code == 405


@pytest.mark.parametrize("action", ["", "original", "remove"])
def test_nobody_else_sees_alices_imports(client, alices_import, imp_bob, action):
    client.force_login(imp_bob)

    assert client.get(url(alices_import, action)).status_code == 404
    assert "Open Science Basics" not in client.get(BACKPACK).content.decode()


@pytest.mark.parametrize("action", ["check", "profile", "remove"])
def test_nobody_else_changes_alices_imports(client, alices_import, imp_bob, action):
    client.force_login(imp_bob)

    assert client.post(url(alices_import, action), {"shown": "1"}).status_code == 404
    alices_import.refresh_from_db()
    assert not alices_import.on_profile


def test_a_visitor_is_sent_to_log_in(client, alices_import):
    response = client.get(url(alices_import))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_pages_work_under_a_language_prefix(client, alices_import):
    client.force_login(alices_import.owner)

    assert client.get(url(alices_import, prefix="/fr")).status_code == 200
    assert client.get("/fr" + BACKPACK).status_code == 200


# --- only what is valid goes on the profile; our tag only for our signature (F3, F15) ----------


def test_a_credential_that_is_not_valid_cannot_go_on_the_profile(client, alices_import):
    ImportedCredential.objects.filter(pk=alices_import.pk).update(verdict="tampered")
    client.force_login(alices_import.owner)

    page = client.post(url(alices_import, "profile"), {"shown": "1"}, follow=True)

    alices_import.refresh_from_db()
    assert not alices_import.on_profile
    assert "Only a credential our verifier found valid" in page.content.decode()


def test_a_forgery_naming_our_institution_is_never_tagged_as_ours(client, alices_import):
    detail = alices_import.verdict_detail
    trust = {"kind": "platform", "id": "https://example.org/issuers/x", "domain": "example.org"}
    failed = [{**c, "passed": False} if c["name"] == "proof" else c for c in detail["checks"]]
    ImportedCredential.objects.filter(pk=alices_import.pk).update(
        verdict="tampered", verdict_detail={**detail, "issuer_trust": trust, "checks": failed}
    )
    client.force_login(alices_import.owner)

    for page in (client.get(BACKPACK), client.get(url(alices_import))):
        text = page.content.decode().split('id="imported"')[-1]
        assert "institution of this platform" not in text
        assert "the signature is not theirs" in text


def test_the_backpack_says_whether_the_holder_is_confirmed(client, alices_import):
    client.force_login(alices_import.owner)
    assert "Issued to this person: confirmed" in client.get(BACKPACK).content.decode()

    detail = {**alices_import.verdict_detail, "recipient_matched": None}
    ImportedCredential.objects.filter(pk=alices_import.pk).update(verdict_detail=detail)

    page = client.get(BACKPACK).content.decode()
    assert "Genuine, but we could not confirm it was issued to this person." in page
