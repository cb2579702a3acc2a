# ruff: noqa: F811 - the fixtures are imported from imports_support and requested by name
"""A learner's public profile at /people/<id>/: on only when they switch it on; their public,
unrevoked awards and the imported credentials they chose, with our verdict
(credentials/web/views_profiles.py)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from credentials import services, tasks
from credentials.models import ImportedCredential
from credentials.services import imports, profiles
from credentials.verify import site as verify_site
from tests.credentials.factories import make_badge
from tests.credentials.imports_support import (  # noqa: F401 - fixtures
    imp_alice,
    imp_bob,
    make_stale,
    signed_json,
)


@pytest.fixture
def alices_profile(imp_alice, uni, badge, django_capture_on_commit_callbacks):
    """Alice's profile, on: a public award, a revoked and a private one; two imports, one shown."""
    with django_capture_on_commit_callbacks(execute=True):
        shown_award = services.award(badge, imp_alice)
        revoked = services.award(make_badge(uni, "withdrawn-badge"), imp_alice)
        services.award(make_badge(uni, "private-badge"), imp_alice)
        shown, _ = imports.upsert(imp_alice, json.dumps(signed_json()).encode(), "application/json")
        imports.upsert(
            imp_alice, json.dumps(signed_json("Hidden Academy")).encode(), "application/json"
        )
    type(shown_award).objects.filter(pk__in=[shown_award.pk, revoked.pk]).update(is_public=True)
    type(revoked).objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    profiles.set_on_profile(imp_alice, shown.public_id, True)
    return profiles.set_profile_public(imp_alice, True)


def test_the_switch_turns_the_profile_on_and_off(client, imp_alice):
    client.force_login(imp_alice)

    client.post("/people/me/", {"public": "1"})
    profile = profiles.profile_of(imp_alice)
    assert profile.is_public
    assert client.get(f"/people/{profile.public_id}/").status_code == 200
    assert f"/people/{profile.public_id}/" in client.get("/credentials/mine/").content.decode()

    client.post("/people/me/", {"public": "0"})
    assert client.get(f"/people/{profile.public_id}/").status_code == 404


def test_the_switch_needs_a_login_and_a_post(client, imp_alice):
    assert client.post("/people/me/", {"public": "1"}).status_code == 302
    assert profiles.profile_of(imp_alice) is None
    client.force_login(imp_alice)
    assert client.get("/people/me/").status_code == 405


def test_an_anonymous_visitor_sees_what_alice_chose(client, alices_profile, badge):
    page = client.get(f"/people/{alices_profile.public_id}/").content.decode()

    assert "Alice Martin" in page
    assert "not a verified identity" in page
    assert badge.name in page
    assert "withdrawn-badge" not in page.lower() and "private-badge" not in page.lower()
    assert "Open Science Basics" in page and 'data-verdict="valid"' in page
    assert "Checked by Co-Create Academy’s verifier on" in page
    assert "Hidden Academy" not in page
    assert "alice@example.org" not in page


def test_a_revoked_award_of_ours_is_not_listed(client, alices_profile, uni):
    from credentials.models import Award

    revoked = Award.objects.get(revoked_at__isnull=False)
    page = client.get(f"/people/{alices_profile.public_id}/").content.decode()

    assert revoked.badge_class.name not in page
    assert str(revoked.public_id) not in page


def test_each_award_links_to_its_credential_page(client, alices_profile):
    from credentials.models import Award

    shown = Award.objects.get(is_public=True, revoked_at__isnull=True)
    page = client.get(f"/people/{alices_profile.public_id}/").content.decode()

    assert f"/credentials/{shown.public_id}/" in page


def test_a_private_profile_is_not_found(client, alices_profile, imp_alice):
    profiles.set_profile_public(imp_alice, False)

    assert client.get(f"/people/{alices_profile.public_id}/").status_code == 404


def test_an_unknown_or_malformed_profile_is_not_found(client, db):
    assert client.get("/people/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/people/not-a-uuid/").status_code == 404


def test_a_deactivated_account_has_no_profile(client, alices_profile, imp_alice):
    imp_alice.is_active = False
    imp_alice.save()

    assert client.get(f"/people/{alices_profile.public_id}/").status_code == 404


@pytest.mark.parametrize("prefix", ["", "/fr", "/nl", "/de"])
def test_the_profile_works_in_every_language(client, alices_profile, prefix, settings):
    codes = [code for code, _name in settings.LANGUAGES]
    if prefix and prefix[1:] not in codes:
        pytest.skip(f"{prefix} is not a language of the site")

    response = client.get(f"{prefix}/people/{alices_profile.public_id}/")

    assert response.status_code == 200
    assert "Open Science Basics" in response.content.decode()


# --- never a frozen or borrowed "Valid" (F2, F3) -----------------------------------------------


def _page(client, profile) -> str:
    return client.get(f"/people/{profile.public_id}/").content.decode()


def _shown(imp_alice):
    return ImportedCredential.objects.get(owner=imp_alice, on_profile=True)


def test_a_stale_verdict_says_when_it_was_checked_and_is_checked_again_off_the_request(
    client, alices_profile, imp_alice, monkeypatch, django_capture_on_commit_callbacks
):
    row = _shown(imp_alice)
    make_stale(row)
    queued: list[int] = []
    monkeypatch.setattr(tasks.check_imported_credential_task, "delay", queued.append)

    def inline(*args, **kwargs):
        raise AssertionError("the visitor's request ran the verifier")

    monkeypatch.setattr(verify_site, "verify", inline)

    with django_capture_on_commit_callbacks(execute=True):
        page = _page(client, alices_profile)

    assert queued == [row.pk]
    assert "Open Science Basics" in page and 'data-verdict="stale"' in page
    assert 'data-verdict="valid"' not in page
    assert "checking again" in page and "Last checked on" in page
    with django_capture_on_commit_callbacks(execute=True):
        _page(client, alices_profile)
    assert queued == [row.pk]  # a second visitor does not queue it again


def test_valid_is_shown_only_with_the_holder_confirmed(client, alices_profile, imp_alice):
    page = _page(client, alices_profile)
    assert "Issued to this person: confirmed (their verified e-mail address matches)." in page

    row = _shown(imp_alice)
    detail = {**row.verdict_detail, "recipient_matched": None}
    ImportedCredential.objects.filter(pk=row.pk).update(verdict_detail=detail)
    page = _page(client, alices_profile)

    assert "Genuine, but we could not confirm it was issued to this person." in page
    assert "Issued to this person: confirmed" not in page
    assert ">Valid<" not in page
    assert "genuine and in good standing" not in page


@pytest.mark.parametrize("verdict", ["revoked", "tampered", "unknown_issuer", "expired", ""])
def test_a_credential_no_longer_valid_leaves_the_profile(
    client, alices_profile, imp_alice, verdict
):
    ImportedCredential.objects.filter(pk=_shown(imp_alice).pk).update(verdict=verdict)

    assert "Open Science Basics" not in _page(client, alices_profile)
