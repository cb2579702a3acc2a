# ruff: noqa: F811 - the fixtures are imported from imports_support and requested by name
"""A learner's public profile (on only when they switch it on, never their e-mail address, never
a revoked award), and what their data export holds and account deletion removes of it and of
their imported credentials (credentials/services/profiles.py)."""

from __future__ import annotations

import json
from datetime import timedelta

from credentials.models.imports import ImportedCredential, PublicProfile
from credentials.services import imports, profiles
from tests.credentials.imports_support import (  # noqa: F401 - fixtures
    imp_alice,
    imports_checked_on_commit,
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
    shown, _ = imports.upsert(imp_alice, json.dumps(signed_json()).encode(), JSON)
    imports.upsert(imp_alice, json.dumps(signed_json("Other College")).encode(), JSON)
    imports.set_on_profile(imp_alice, shown.public_id, True)
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
