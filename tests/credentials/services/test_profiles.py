# ruff: noqa: F811 - the fixtures are imported from imports_support and requested by name
"""A learner's public profile (on only when they switch it on, never their e-mail address, never
a revoked award), and what their data export holds and account deletion removes of it and of
their imported credentials (credentials/services/profiles.py)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from credentials import tasks
from credentials.models.imports import ImportedCredential, PublicProfile
from credentials.services import imports, profiles
from tests.credentials.imports_support import (  # noqa: F401 - fixtures
    imp_alice,
    make_stale,
    odd_bytes,
    signed_json,
    signed_jwt,
)

JSON = "application/json"


# --- the public profile ----------------------------------------------------------------------


def test_a_profile_shows_only_when_switched_on(imp_alice):
    profile = profiles.set_profile_public(imp_alice, True)
    assert profiles.public_profile(profile.public_id).name == "Alice Martin"

    profiles.set_profile_public(imp_alice, False)

    assert profiles.public_profile(profile.public_id) is None
    assert profiles.set_profile_public(imp_alice, True).public_id == profile.public_id


def test_a_profile_never_shows_the_email_address(make_user):
    nameless = make_user("carol.secret@example.org")
    profile = profiles.set_profile_public(nameless, True)

    assert profiles.public_profile(profile.public_id).name == ""


def test_a_profile_lists_public_unrevoked_awards_and_chosen_imports(
    imp_alice, uni, badge, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from credentials import services
    from tests.credentials.factories import make_badge

    with django_capture_on_commit_callbacks(execute=True):
        public = services.award(badge, imp_alice)
        private = services.award(make_badge(uni, "private-one"), imp_alice)
        revoked = services.award(make_badge(uni, "revoked-one"), imp_alice)
    type(public).objects.filter(pk__in=[public.pk, revoked.pk]).update(is_public=True)
    type(public).objects.filter(pk=revoked.pk).update(revoked_at=timezone.now() - timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):  # checked: valid
        shown, _ = imports.upsert(imp_alice, json.dumps(signed_json()).encode(), JSON)
        imports.upsert(imp_alice, json.dumps(signed_json("Other College")).encode(), JSON)
    profiles.set_on_profile(imp_alice, shown.public_id, True)
    profile = profiles.set_profile_public(imp_alice, True)

    view = profiles.public_profile(profile.public_id)

    assert [a.pk for a in view.awards] == [public.pk]
    assert private.pk not in [a.pk for a in view.awards]
    assert [r.pk for r in view.imported] == [shown.pk]


def test_the_data_export_holds_each_original_byte_for_byte(imp_alice):
    body = odd_bytes(signed_json())
    token = signed_jwt().encode()
    row, _ = imports.upsert(imp_alice, body, JSON)
    imports.upsert(imp_alice, token, "text/plain")
    profiles.set_profile_public(imp_alice, True)

    data = profiles.export_of(imp_alice)
    files = dict(profiles.export_files(imp_alice))

    assert data["public_profile"]["public"] is True
    entry = next(e for e in data["imported_credentials"] if e["id"] == str(row.public_id))
    assert entry["claimed_issuer_name"] == "Riverbank College"
    assert files[entry["file"]] == body
    assert token in files.values()


def test_the_export_of_someone_without_any_is_empty(imp_alice):
    assert profiles.export_of(imp_alice) == {"public_profile": None, "imported_credentials": []}


def test_deleting_the_account_forgets_imports_and_the_profile(imp_alice):
    imports.upsert(imp_alice, json.dumps(signed_json()).encode(), JSON)
    profiles.set_profile_public(imp_alice, True)

    profiles.forget(imp_alice)

    assert not ImportedCredential.objects.exists()
    assert not PublicProfile.objects.exists()


# --- verdicts expire: checked again, never in the visitor's request (F2) -----------------------


@pytest.fixture
def alices_checked_import(imp_alice, django_capture_on_commit_callbacks):
    """A valid credential in Alice's backpack, checked, on her public profile (switched on)."""
    with django_capture_on_commit_callbacks(execute=True):
        row, _ = imports.upsert(imp_alice, json.dumps(signed_json()).encode(), JSON)
    profiles.set_on_profile(imp_alice, row.public_id, True)
    profiles.set_profile_public(imp_alice, True)
    row.refresh_from_db()
    return row


@pytest.fixture
def queued(monkeypatch):
    """The imported credentials whose check was queued (none run here)."""
    pks: list[int] = []
    monkeypatch.setattr(tasks.check_imported_credential_task, "delay", pks.append)
    return pks


def test_a_verdict_older_than_its_lifetime_is_stale(alices_checked_import):
    row = alices_checked_import
    assert not row.verdict_is_stale

    make_stale(row)

    assert row.verdict_is_stale


def test_a_stale_verdict_is_queued_again_at_most_once_a_while(
    alices_checked_import, queued, django_capture_on_commit_callbacks
):
    row = alices_checked_import
    with django_capture_on_commit_callbacks(execute=True):
        assert profiles.refresh_stale([row]) == 0  # fresh: nothing to do
    make_stale(row)

    with django_capture_on_commit_callbacks(execute=True):
        assert profiles.refresh_stale([row]) == 1
        assert profiles.refresh_stale([row]) == 0  # already asked: not again for a while

    assert queued == [row.pk]


def test_the_periodic_recheck_queues_what_public_profiles_show(
    alices_checked_import, queued, make_user, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    bob = make_user("bob@example.org")
    bobs, _ = imports.upsert(bob, json.dumps(signed_json(email=None)).encode(), JSON)
    ImportedCredential.objects.filter(pk=bobs.pk).update(on_profile=True, verdict="valid")
    profiles.set_profile_public(bob, False)  # shown, but his profile is off
    imports.upsert(alices_checked_import.owner, signed_jwt().encode(), "text/plain")  # not shown
    long_ago = timezone.now() - timedelta(days=2)
    ImportedCredential.objects.update(checked_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        count = profiles.recheck_public()

    assert count == 1 and queued == [alices_checked_import.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.recheck_public_imports_task() == 0  # just queued: not again at once
