# ruff: noqa: F811 - the fixtures are imported from remote_fake_host and requested by name
"""The backpack's "Add a badge" and "Bring badges from another backpack" pages: errors next to
the field, the round trip through another host, and who may not use or see whose."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials.issuing import baking
from credentials.models import ImportedCredential, RemoteConnection
from credentials.services import backpack_import
from tests.credentials.services.remote_fake_host import (  # noqa: F401 - fixtures
    add_alice,
    add_bob,
    add_charlie,
    baked_other,
    credential,
    fake_host,
    token,
)

ADD = "credentials_manage:backpack_import:add"
REMOTE = "credentials_manage:backpack_import:remote"
CALLBACK = "credentials_manage:backpack_import:remote_callback"


@pytest.fixture(autouse=True)
def import_pages_fresh_cache():
    """The attempt counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def upload(client, name: str, data: bytes, content_type: str = "image/png"):
    return client.post(reverse(ADD), {"file": SimpleUploadedFile(name, data, content_type)})


def test_the_backpack_offers_to_add_a_badge(client, add_alice):
    client.force_login(add_alice)
    page = client.get(reverse("credentials_manage:backpack")).content.decode()
    assert reverse(ADD) in page and reverse(REMOTE) in page


def test_someone_signed_out_is_sent_to_sign_in(client, db):
    for name in (ADD, REMOTE, CALLBACK):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_alice_adds_a_baked_svg_of_another_issuer(client, add_alice):
    client.force_login(add_alice)
    response = upload(client, "b.svg", baked_other("svg"), "image/svg+xml")
    assert response.status_code == 302
    assert response["Location"].endswith("#imported")
    assert ImportedCredential.objects.get(owner=add_alice).credential_id == credential(7)["id"]


def test_one_of_our_own_awards_is_refused_next_to_the_field(client, add_alice, signed):
    client.force_login(add_alice)
    response = upload(client, "b.png", baking.bake_one(signed, "png3"))
    assert response.status_code == 400
    assert "already ours" in response.content.decode()
    assert not ImportedCredential.objects.filter(owner=add_alice).exists()


def test_the_same_png_twice_keeps_one_row(client, add_alice):
    client.force_login(add_alice)
    image = baked_other("png")
    upload(client, "b.png", image)
    upload(client, "b.png", image)
    assert ImportedCredential.objects.filter(owner=add_alice).count() == 1


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"notes renamed to a png", "not a PNG or SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * backpack_import.MAX_FILE_BYTES, "larger than"),
    ],
)
def test_a_bad_file_is_refused_next_to_its_field(client, add_alice, data, words):
    client.force_login(add_alice)
    response = upload(client, "badge.png", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_file_error"' in page and words in page
    assert not ImportedCredential.objects.exists()


def test_a_png_without_a_badge_and_an_ob2_badge_are_explained(client, add_alice, signed):
    client.force_login(add_alice)
    plain = upload(client, "plain.png", baking.default_png("Plain")).content.decode()
    ob2 = upload(client, "old.png", baking.bake_one(signed, "png2")).content.decode()
    assert "holds no badge" in plain
    assert "Open Badges 2.0" in ob2 and "verif" in ob2


def test_a_private_address_is_refused_next_to_the_address(client, add_alice, settings):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    cache.clear()
    client.force_login(add_alice)
    response = client.post(reverse(ADD), {"url": "http://127.0.0.1:9/c.json"})
    assert response.status_code == 400
    assert 'id="id_url_error"' in response.content.decode()


def test_nothing_given_or_two_things_given_is_explained(client, add_alice, signed):
    client.force_login(add_alice)
    empty = client.post(reverse(ADD), {})
    both = client.post(reverse(ADD), {"url": "https://a.example/c", "text": signed.ob3_jwt})
    assert empty.status_code == both.status_code == 400
    assert "one badge at a time" in both.content.decode()


def test_a_pasted_token_is_added(client, add_alice):
    client.force_login(add_alice)
    jwt = token(11)
    assert client.post(reverse(ADD), {"text": jwt}).status_code == 302
    assert ImportedCredential.objects.get(owner=add_alice).body == jwt


def connect(client, host, user):
    """Alice asks to connect; the host approves; (the callback's query)."""
    client.force_login(user)
    response = client.post(reverse(REMOTE), {"address": host.base})
    assert response.status_code == 302, response.content.decode()[:500]
    code, state = host.approve(response["Location"])
    return {"code": code, "state": state}


def test_alice_brings_her_badges_and_reads_the_summary(client, fake_host, add_alice):
    fake_host.credential_texts = [json.dumps(credential(n)) for n in range(2)]
    params = connect(client, fake_host, add_alice)
    back = client.get(reverse(CALLBACK), params)
    assert back.status_code == 302
    summary = client.get(back["Location"]).content.decode()
    assert "2 new credentials" in summary
    assert "Alice Elsewhere" in summary
    listing = client.get(reverse(REMOTE)).content.decode()
    assert fake_host.base in listing


def test_bob_cannot_finish_with_alice_s_state(client, fake_host, add_alice, add_bob):
    params = connect(client, fake_host, add_alice)
    client.force_login(add_bob)
    response = client.get(reverse(CALLBACK), params)
    assert response.status_code == 400
    assert not RemoteConnection.objects.exists()


def test_a_host_error_shows_a_page_not_a_crash(client, fake_host, add_alice):
    params = connect(client, fake_host, add_alice)
    response = client.get(reverse(CALLBACK), {"state": params["state"], "error": "access_denied"})
    assert response.status_code == 400
    assert "access_denied" in response.content.decode()


def test_a_bad_host_is_refused_next_to_the_address(client, fake_host, add_alice):
    fake_host.discovery_overrides = {"tokenUrl": "https://elsewhere.example/token"}
    client.force_login(add_alice)
    response = client.post(reverse(REMOTE), {"address": fake_host.base})
    assert response.status_code == 400
    assert 'id="id_address_error"' in response.content.decode()


def test_charlie_neither_sees_nor_disconnects_alice_s_host(
    client, fake_host, add_alice, add_charlie
):
    client.get(reverse(CALLBACK), connect(client, fake_host, add_alice))
    connection = RemoteConnection.objects.get(user=add_alice)
    client.force_login(add_charlie)
    assert fake_host.base not in client.get(reverse(REMOTE)).content.decode()
    for name in ("remote_disconnect", "remote_pull"):
        url = reverse(f"credentials_manage:backpack_import:{name}", args=[connection.pk])
        assert client.post(url).status_code == 404
    assert RemoteConnection.objects.filter(pk=connection.pk).exists()


def test_alice_disconnects_and_her_tokens_are_gone(client, fake_host, add_alice):
    client.get(reverse(CALLBACK), connect(client, fake_host, add_alice))
    connection = RemoteConnection.objects.get(user=add_alice)
    url = reverse("credentials_manage:backpack_import:remote_disconnect", args=[connection.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not RemoteConnection.objects.exists()


def test_too_many_attempts_in_a_minute_are_refused(client, add_alice, monkeypatch):
    monkeypatch.setattr(backpack_import, "ATTEMPTS_PER_MINUTE", 1)
    client.force_login(add_alice)
    first = upload(client, "a.png", b"not an image")
    second = upload(client, "a.png", b"not an image")
    third = client.post(reverse(REMOTE), {"address": "https://host.example"})
    assert "Too many attempts" not in first.content.decode()
    assert "Too many attempts" in second.content.decode()
    assert "Too many attempts" in third.content.decode()


def test_the_page_answers_in_the_learner_s_language(client, add_alice):
    client.force_login(add_alice)
    page = client.get("/fr/credentials/mine/import/")
    assert page.status_code == 200
    assert '<html lang="fr"' in page.content.decode()


def test_a_non_ascii_content_length_at_an_address_is_not_a_crash(client, fake_host, add_alice):
    fake_host.content_length = "\u00b2"
    client.force_login(add_alice)
    response = client.post(reverse(ADD), {"url": fake_host.base + "/credential.json"})
    assert response.status_code == 302  # the length is ignored, the body read under the cap
    assert ImportedCredential.objects.filter(owner=add_alice).count() == 1


def test_a_non_ascii_content_length_on_the_callback_is_not_a_crash(client, fake_host, add_alice):
    params = connect(client, fake_host, add_alice)
    fake_host.content_length = "\u00b2"
    response = client.get(reverse(CALLBACK), params)
    assert response.status_code == 302
    assert RemoteConnection.objects.filter(user=add_alice).exists()


def test_a_full_backpack_is_explained_next_to_the_field(client, add_alice, settings):
    settings.IMPORT_MAX_PER_LEARNER = 1
    client.force_login(add_alice)
    assert client.post(reverse(ADD), {"text": token(1)}).status_code == 302
    again = client.post(reverse(ADD), {"text": token(1)})  # the same one: replaced
    other = client.post(reverse(ADD), {"text": json.dumps(credential(7))})
    assert again.status_code == 302
    assert other.status_code == 400
    assert 'id="id_text_error"' in other.content.decode()
    assert ImportedCredential.objects.filter(owner=add_alice).count() == 1
