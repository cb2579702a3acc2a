# ruff: noqa: F811 - the fixtures are imported from remote_fake_host and requested by name
"""Adding a badge by hand: a baked image, an address or the credential's text, kept byte for
byte as found; OB 2.0 assertions, fakes, oversize files and private addresses refused."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from credentials.issuing import baking
from credentials.models import ImportedCredential
from credentials.services import backpack_import as service
from credentials.standards import bakery
from tests.credentials.services.remote_fake_host import (  # noqa: F401 - fixtures
    add_alice,
    add_bob,
    baked_other,
    credential,
    token,
)

OTHER = json.dumps(credential(7), indent=2, ensure_ascii=False)  # what baked_other() bakes


def refused(call, *args, **kwargs) -> service.ImportRefused:
    with pytest.raises(service.ImportRefused) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_a_baked_ob3_image_of_another_issuer_is_kept_as_the_text_it_holds(add_alice, fmt):
    image = baked_other(fmt)
    found = service.from_image(image)
    assert found.body == bakery.extract(image).text.encode("utf-8") == OTHER.encode("utf-8")
    assert found.content_type == service.JSON_TYPE
    row, created = service.add(add_alice, found)
    assert created
    assert row.owner == add_alice
    assert row.body.encode("utf-8") == found.body
    assert row.credential_id == credential(7)["id"]


@pytest.mark.parametrize("fmt", [baking.Format.PNG3, baking.Format.SVG3])
def test_a_baked_image_of_one_of_our_own_awards_is_refused_as_already_ours(signed, add_alice, fmt):
    found = service.from_image(baking.bake_one(signed, fmt))
    error = refused(service.add, add_alice, found)
    assert "already ours" in error.message
    assert not ImportedCredential.objects.filter(owner=add_alice).exists()


def test_the_same_badge_added_twice_is_kept_once(add_alice):
    image = baked_other("png")
    first, created = service.add(add_alice, service.from_image(image))
    again, created_again = service.add(add_alice, service.from_image(image))
    assert created and not created_again
    assert first.pk == again.pk
    assert ImportedCredential.objects.filter(owner=add_alice).count() == 1


def test_a_png_without_a_credential_is_refused(db):
    error = refused(service.from_image, baking.default_png("Plain"))
    assert (error.code, error.field) == ("no_badge_in_image", "file")


def test_an_oversize_file_is_refused_before_it_is_read(db):
    error = refused(service.from_image, b"\x89PNG\r\n\x1a\n" + b"0" * service.MAX_FILE_BYTES)
    assert error.code == "too_large"


def test_a_text_file_named_png_is_refused_as_not_an_image(db):
    error = refused(service.from_image, b"just some notes, renamed to badge.png\n")
    assert error.code == "not_an_image"


@pytest.mark.parametrize("fmt", [baking.Format.PNG2, baking.Format.SVG2])
def test_an_ob2_baked_image_is_refused_with_a_pointer_to_the_verifier(signed, fmt):
    error = refused(service.from_image, baking.bake_one(signed, fmt))
    assert error.code == "ob2"
    assert "verif" in error.message


def test_an_ob2_assertion_pasted_as_json_is_refused(signed):
    assertion = baking.payload(signed, baking.Format.PNG2)
    error = refused(service.from_text, assertion)
    assert (error.code, error.field) == ("ob2", "text")


def test_pasted_json_is_kept_exactly_as_pasted(add_alice):
    text = json.dumps(credential(8), indent=3, ensure_ascii=False)
    found = service.from_text("  " + text + "\n")
    assert found.body == text.encode("utf-8")
    row, _created = service.add(add_alice, found, field="text")
    assert row.body == text


def test_a_pasted_vc_jwt_is_kept_as_a_token(add_alice):
    jwt = token(9)
    found = service.from_text(jwt)
    assert (found.body, found.content_type) == (jwt.encode(), service.JWS_TYPE)
    row, created = service.add(add_alice, found, field="text")
    assert created and row.format == ImportedCredential.Format.JWT


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("{not json", "invalid_json"),
        (
            '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["X"]}',
            "not_a_credential",
        ),
        ("hello there", "unreadable"),
        ("eyJhbGciOiJub25lIn0.bm90IGpzb24.", "unreadable"),
    ],
)
def test_what_is_not_an_ob3_credential_is_refused(db, text, code):
    assert refused(service.from_text, text).code == code


def test_an_address_on_a_private_network_is_refused_without_the_test_setting(settings, db):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    cache.clear()
    error = refused(service.from_url, "http://127.0.0.1:9/credential.json")
    assert (error.code, error.field) == ("fetch_blocked", "url")


def test_an_address_is_kept_as_the_bytes_it_answered(settings, server, add_alice):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    cache.clear()
    body = json.dumps(credential(10), indent=1).encode()
    server.raw("/mine.json", body, "application/ld+json")
    found = service.from_url(server.url("/mine.json"))
    assert found.body == body
    row, _created = service.add(add_alice, found, field="url")
    assert row.body.encode() == body


def test_an_address_of_a_baked_image_is_read_like_an_upload(settings, server, signed):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    cache.clear()
    image = baking.bake_one(signed, baking.Format.PNG3)
    server.raw("/badge.png", image, "image/png")
    assert service.from_url(server.url("/badge.png")).body == bakery.extract(image).text.encode()


def test_an_address_answering_an_error_is_refused(settings, server, db):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    cache.clear()
    server.raw("/gone.json", b"{}", "application/json", status=404)
    assert refused(service.from_url, server.url("/gone.json")).code == "fetch_status"


def test_the_backpack_s_own_refusal_is_shown_on_the_field(add_alice):
    found = service.Found(b'{"@context": ["https://www.w3.org/ns/credentials/v2"]}', "text/plain")
    error = refused(service.add, add_alice, found, field="url")
    assert error.field == "url"
    assert not ImportedCredential.objects.exists()


def test_a_learner_gets_a_limited_number_of_attempts_a_minute(add_alice, monkeypatch):
    cache.clear()
    monkeypatch.setattr(service, "ATTEMPTS_PER_MINUTE", 2)
    assert [service.may_try(add_alice, now=600.0) for _ in range(3)] == [True, True, False]
    assert service.may_try(add_alice, now=660.0)  # a new minute


def test_a_full_backpack_refuses_a_new_badge_but_not_bob_s(add_alice, add_bob, settings):
    from tests.credentials.services.remote_fake_host import credential, token

    settings.IMPORT_MAX_PER_LEARNER = 1
    found = service.from_text(token(1))
    service.add(add_alice, found)
    assert service.add(add_alice, found)[1] is False  # the same one is still replaced
    other = service.from_text(json.dumps(credential(3)))
    error = refused(service.add, add_alice, other, field="text")
    assert (error.code, error.field) == ("backpack_full", "text")
    assert service.add(add_bob, other)[1] is True
    assert ImportedCredential.objects.filter(owner=add_alice).count() == 1


def test_an_answer_no_parser_expected_is_refused_as_unreachable(monkeypatch, db):
    from credentials.verify import site

    def unexpected(*args, **kwargs):
        raise ValueError("invalid literal for int() with base 10: '\u00b2'")

    monkeypatch.setattr(site, "fetch", unexpected)
    error = refused(service.from_url, "https://badges.example/c.json")
    assert (error.code, error.field) == ("fetch_network", "url")
