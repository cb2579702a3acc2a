# ruff: noqa: F811 - the fixtures are imported from remote_fake_host and requested by name
"""Bringing badges from another OB 3.0 host (Service Consumer, Read): discovery checked,
one registration per host, authorization code with PKCE S256 and a single-use state bound
to the learner, getCredentials paged under caps, each credential kept as the host sent it."""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from credentials.models import ImportedCredential, RemoteConnection, RemoteHost
from credentials.services import backpack_import, remote_hosts
from credentials.services.remote_http import unseal
from tests.credentials.services.remote_fake_host import (  # noqa: F401 - fixtures
    add_alice,
    add_bob,
    add_charlie,
    credential,
    fake_host,
    token,
)


def odd_text(number: int) -> str:
    """A credential as a host might space it: kept as these exact characters."""
    return json.dumps(credential(number), indent=2, ensure_ascii=False).replace(": ", " :  ")


def unseal_refresh(connection) -> str:
    return json.loads(unseal(connection.refresh_token_encrypted))["refresh_token"]


def round_trip(host, user, session):
    authorize = remote_hosts.start(user, host.base, session)
    code, state = host.approve(authorize)
    return authorize, {"code": code, "state": state}


def state_error(call, *args) -> remote_hosts.RemoteError:
    with pytest.raises(remote_hosts.RemoteError) as caught:
        call(*args)
    return caught.value


def test_a_learner_brings_the_credentials_as_the_host_sent_them(fake_host, add_alice):
    fake_host.credential_texts = [odd_text(n) for n in range(3)]
    fake_host.tokens = [token(9)]
    session: dict = {}
    authorize, params = round_trip(fake_host, add_alice, session)
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert authorize.startswith(fake_host.base + "/authorize?")
    assert query["code_challenge_method"] == "S256" and len(query["state"]) >= 32
    assert "credential.readonly" in query["scope"]

    summary = remote_hosts.finish(add_alice, session, params)

    assert (summary.new, summary.replaced, summary.refused) == (4, 0, [])
    assert summary.name == "Alice Elsewhere"
    bodies = set(ImportedCredential.objects.filter(owner=add_alice).values_list("body", flat=True))
    assert bodies == {*fake_host.credential_texts, token(9)}
    connection = RemoteConnection.objects.get(user=add_alice)
    assert connection.last_pulled_at is not None
    assert remote_hosts.grant_of(connection) == ("client-1", unseal_refresh(connection))
    assert remote_hosts.grant_of(connection)[1].startswith("refresh-")
    assert "refresh-" not in connection.refresh_token_encrypted
    host = RemoteHost.objects.get()
    assert unseal(host.client_secret_encrypted) == fake_host.client["client_secret"]
    assert fake_host.client["client_secret"] not in host.client_secret_encrypted


def test_bringing_them_again_replaces_and_registers_only_once(fake_host, add_alice, add_bob):
    fake_host.credential_texts = [odd_text(1)]
    session: dict = {}
    remote_hosts.finish(add_alice, session, round_trip(fake_host, add_alice, session)[1])
    again = remote_hosts.pull_again(add_alice, RemoteConnection.objects.get(user=add_alice).pk)
    bob_session: dict = {}
    remote_hosts.finish(add_bob, bob_session, round_trip(fake_host, add_bob, bob_session)[1])
    assert (again.new, again.replaced) == (0, 1)
    assert fake_host.registrations == 1
    assert ImportedCredential.objects.filter(owner=add_alice).count() == 1


def test_a_state_that_does_not_match_is_refused(fake_host, add_alice):
    session: dict = {}
    _authorize, params = round_trip(fake_host, add_alice, session)
    error = state_error(remote_hosts.finish, add_alice, session, {**params, "state": "forged"})
    assert error.code == "state"
    assert not RemoteConnection.objects.exists()


def test_a_state_is_spent_once(fake_host, add_alice):
    session: dict = {}
    _authorize, params = round_trip(fake_host, add_alice, session)
    remote_hosts.finish(add_alice, session, params)
    assert state_error(remote_hosts.finish, add_alice, session, params).code == "state"


def test_an_expired_state_is_refused(fake_host, add_alice):
    session: dict = {}
    _authorize, params = round_trip(fake_host, add_alice, session)
    session[remote_hosts.SESSION_KEY][params["state"]]["expires"] = time.time() - 1
    assert state_error(remote_hosts.finish, add_alice, session, params).code == "state"


def test_another_learner_cannot_use_alice_s_state(fake_host, add_alice, add_bob):
    alice_session: dict = {}
    _authorize, params = round_trip(fake_host, add_alice, alice_session)
    # Bob's own session never held it; nor is it his in Alice's (bound to her).
    assert state_error(remote_hosts.finish, add_bob, {}, params).code == "state"
    assert state_error(remote_hosts.finish, add_bob, alice_session, params).code == "state"
    assert not RemoteConnection.objects.exists()
    assert not ImportedCredential.objects.exists()


def test_a_return_without_a_code_is_refused(fake_host, add_alice):
    session: dict = {}
    _authorize, params = round_trip(fake_host, add_alice, session)
    error = state_error(remote_hosts.finish, add_alice, session, {"state": params["state"]})
    assert error.code == "code"


def test_an_error_from_the_host_is_shown_and_nothing_is_kept(fake_host, add_alice):
    session: dict = {}
    _authorize, params = round_trip(fake_host, add_alice, session)
    answer = {"state": params["state"], "error": "access_denied"}
    error = state_error(remote_hosts.finish, add_alice, session, answer)
    assert error.code == "denied" and "access_denied" in error.message
    assert not RemoteConnection.objects.exists()


def test_a_token_answer_without_an_access_token_is_refused(fake_host, add_alice):
    fake_host.token_answer = {"token_type": "Bearer", "refresh_token": "r"}
    session: dict = {}
    _authorize, params = round_trip(fake_host, add_alice, session)
    assert state_error(remote_hosts.finish, add_alice, session, params).code == "token"
    assert not RemoteConnection.objects.exists()


@pytest.mark.parametrize(
    "token_url", ["https://elsewhere.example/token", "http://10.1.2.3/token", "/token"]
)
def test_a_host_whose_token_endpoint_is_not_its_own_is_refused(fake_host, add_alice, token_url):
    fake_host.discovery_overrides = {"tokenUrl": token_url}
    error = state_error(remote_hosts.start, add_alice, fake_host.base, {})
    assert error.code == "discovery"
    assert fake_host.registrations == 0 and not RemoteHost.objects.exists()


def test_a_host_whose_registration_is_elsewhere_is_refused(fake_host, add_alice):
    fake_host.discovery_overrides = {"x-imssf-registrationUrl": "https://evil.example/register"}
    assert state_error(remote_hosts.start, add_alice, fake_host.base, {}).code == "discovery"


def test_a_host_on_a_private_address_is_refused_without_the_test_setting(
    fake_host, add_alice, settings
):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    for address in (fake_host.base, "https://127.0.0.1:9", "https://10.0.0.7"):
        error = state_error(remote_hosts.start, add_alice, address, {})
        assert error.code in ("address", "fetch_blocked"), address
    assert fake_host.requests == []


@pytest.mark.parametrize(
    "address", ["", "ftp://host.example", "https://user:pw@host.example", "https://h.example/?q"]
)
def test_an_address_that_is_not_a_host_is_refused(db, address):
    assert state_error(remote_hosts.normalise_address, address).code == "address"


def test_a_host_answering_5000_credentials_is_read_only_up_to_the_caps(fake_host, add_alice):
    fake_host.credential_texts = [json.dumps(credential(n)) for n in range(5000)]
    session: dict = {}
    summary = remote_hosts.finish(add_alice, session, round_trip(fake_host, add_alice, session)[1])
    pages = [path for method, path in fake_host.requests if "/credentials" in path]
    assert summary.stopped_early
    assert summary.new == backpack_import.MAX_CREDENTIALS
    assert len(pages) <= backpack_import.MAX_PAGES
    assert ImportedCredential.objects.count() == backpack_import.MAX_CREDENTIALS


def test_a_next_page_on_another_origin_is_not_followed(fake_host, add_alice, monkeypatch):
    from credentials.services import remote_http

    fake_host.credential_texts = [json.dumps(credential(n)) for n in range(60)]
    monkeypatch.setattr(remote_http, "next_link", lambda header: "https://evil.example/p2")
    session: dict = {}
    summary = remote_hosts.finish(add_alice, session, round_trip(fake_host, add_alice, session)[1])
    assert summary.new == backpack_import.PAGE_SIZE


def test_refused_credentials_are_counted_with_their_reasons(fake_host, add_alice):
    broken = credential(2)
    del broken["credentialSubject"]
    fake_host.credential_texts = [json.dumps(credential(1)), json.dumps(broken)]
    session: dict = {}
    summary = remote_hosts.finish(add_alice, session, round_trip(fake_host, add_alice, session)[1])
    assert summary.new == 1
    assert len(summary.refused) == 1 and summary.refused[0]["reason"]


def test_charlie_can_neither_see_nor_disconnect_alice_s_hosts(fake_host, add_alice, add_charlie):
    session: dict = {}
    remote_hosts.finish(add_alice, session, round_trip(fake_host, add_alice, session)[1])
    connection = RemoteConnection.objects.get(user=add_alice)
    assert remote_hosts.connections_of(add_charlie) == []
    for call in (remote_hosts.disconnect, remote_hosts.pull_again):
        assert state_error(call, add_charlie, connection.pk).code == "not_found"
    assert RemoteConnection.objects.filter(pk=connection.pk).exists()


def test_disconnecting_deletes_the_learner_s_tokens(fake_host, add_alice):
    session: dict = {}
    remote_hosts.finish(add_alice, session, round_trip(fake_host, add_alice, session)[1])
    connection = RemoteConnection.objects.get(user=add_alice)
    assert remote_hosts.disconnect(add_alice, connection.pk) == fake_host.base
    assert not RemoteConnection.objects.exists()
    assert RemoteHost.objects.exists()  # the registration stays, for the next learner


def test_the_elements_of_an_answer_are_cut_out_byte_for_byte():
    from credentials.services.remote_http import credential_elements, next_link

    text = (
        '{"x": {"credential": 1}, "credential" : [ {"a" : "\\u00e9"} ,{"b":[1, 2]}],'
        ' "compactJwsString": ["a.b.c", 7]}'
    )
    assert credential_elements(text) == (['{"a" : "\\u00e9"}', '{"b":[1, 2]}'], ["a.b.c"])
    assert next_link('<https://h/c?o=2>; rel="next", <https://h/c?o=9>; rel="last"') == (
        "https://h/c?o=2"
    )
    assert next_link('<https://h/c?o=9>; rel="last"') is None


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


@pytest.mark.django_db(transaction=True)
def test_our_consumer_brings_badges_from_our_own_host_over_http(
    live_server, settings, add_alice, badge, monkeypatch
):
    """The whole round trip against our own provider (H1's OAuth and OB 3.0 API), served by
    a live server: discovery, registration, consent, token, getCredentials, getProfile.

    Here we are both sides: the consumer registers under our name with our address, which
    our provider (refusing look-alikes of its own name) accepts."""
    from credentials.services import imports

    handed: list[tuple[str, str]] = []
    upsert = imports.upsert

    def spy(owner, body, content_type, *args, **kwargs):
        text = body.decode("utf-8")
        handed.append((content_type, json.loads(text)["id"] if text[:1] == "{" else text))
        return upsert(owner, body, content_type, *args, **kwargs)

    monkeypatch.setattr(imports, "upsert", spy)
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from credentials import services
    from credentials.issuing.signing import sign_award
    from credentials.models import Award
    from tests.credentials.factories import make_badge

    settings.SITE_URL = live_server.url
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    cache.clear()
    award = sign_award(services.award(badge, add_alice, []))
    # An award signed only as a VC-JWT: our provider lists it under ``compactJwsString``.
    jwt_only = sign_award(services.award(make_badge(badge.issuer, slug="jwt-only"), add_alice, []))
    Award.objects.filter(pk=jwt_only.pk).update(ob3_credential=None)
    browser = Client()
    browser.force_login(add_alice)
    started = browser.post(
        reverse("credentials_manage:backpack_import:remote"), {"address": live_server.url}
    )
    assert started.status_code == 302, started.content.decode()[:800]
    authorize = urlsplit(started["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == live_server.url
    consent = browser.get(f"{authorize.path}?{authorize.query}")
    assert consent.status_code == 200, consent.content.decode()[:800]
    hidden = _HiddenInputs()
    hidden.feed(consent.content.decode())
    allowed = browser.post(authorize.path, {**hidden.fields, "allow": "Authorize"})
    assert allowed.status_code == 302, allowed.content.decode()[:800]
    back = urlsplit(allowed["Location"])
    assert f"{back.scheme}://{back.netloc}" == live_server.url
    done = browser.get(f"{back.path}?{back.query}")
    assert done.status_code == 302, done.content.decode()[:800]
    summary = browser.get(done["Location"]).content.decode()
    # Both reach the backpack: the JSON one and the VC-JWT (``compactJwsString``). Our own
    # awards may be refused there as already ours; which is the backpack's rule, not ours.
    assert sorted(handed) == sorted(
        [("application/json", award.ob3_credential["id"]), ("text/plain", jwt_only.ob3_jwt)]
    )
    assert "2 new credentials" in summary or "2 refused" in summary, summary[:3000]
    assert RemoteHost.objects.get().base_url == live_server.url


def test_we_register_our_callback_in_every_language_of_the_site(settings):
    uris = remote_hosts.redirect_uris()
    assert len(uris) == len(settings.LANGUAGES)
    assert settings.SITE_URL + "/fr/credentials/mine/import/hosts/callback/" in uris


def test_a_new_site_address_registers_again_in_place(fake_host, add_alice, settings):
    remote_hosts.start(add_alice, fake_host.base, {})
    remote_hosts.start(add_alice, fake_host.base, {})
    settings.SITE_URL = "https://new.example"
    authorize = remote_hosts.start(add_alice, fake_host.base, {})
    assert fake_host.registrations == 2
    host = RemoteHost.objects.get()
    assert host.client_id == fake_host.client["client_id"] == "client-2"
    assert "redirect_uri=https%3A%2F%2Fnew.example%2F" in authorize


def test_a_page_larger_than_the_cap_stops_the_pull(fake_host, add_alice, monkeypatch):
    monkeypatch.setattr(backpack_import, "MAX_PAGE_BYTES", 2000)
    fake_host.credential_texts = [json.dumps(credential(n)) for n in range(20)]
    session: dict = {}
    params = round_trip(fake_host, add_alice, session)[1]
    assert state_error(remote_hosts.finish, add_alice, session, params).code == "fetch_too_large"
    assert not ImportedCredential.objects.exists()


def test_the_consumer_s_http_refuses_plain_http_and_private_hosts(settings, db):
    from credentials.services import remote_http

    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    for url, kind in (("http://host.example/token", "scheme"), ("https://127.0.0.1/t", "blocked")):
        with pytest.raises(remote_http.FetchError) as caught:
            remote_http.request("POST", url, body=b"x")
        assert caught.value.kind == kind


def test_both_spellings_of_the_jws_list_are_read_the_specification_s_first():
    from credentials.services.remote_http import credential_elements

    assert credential_elements('{"compactJwsString": ["a.b.c"]}') == ([], ["a.b.c"])
    # The specification's own example once spelled it with an "s": hosts copied it.
    assert credential_elements('{"compactJwsStrings": ["d.e.f"]}') == ([], ["d.e.f"])


def connect(host, user):
    session: dict = {}
    return remote_hosts.finish(user, session, round_trip(host, user, session)[1])


def test_registering_again_keeps_every_learner_s_connection_working(
    fake_host, add_alice, add_bob, settings
):
    fake_host.credential_texts = [json.dumps(credential(1))]
    connect(fake_host, add_alice)
    alice_session: dict = {}
    _authorize, in_flight = round_trip(fake_host, add_alice, alice_session)
    settings.SITE_URL = "https://new.example"
    connect(fake_host, add_bob)  # our callback changed: a second client at this host
    assert fake_host.registrations == 2
    alice = RemoteConnection.objects.get(user=add_alice)
    bob = RemoteConnection.objects.get(user=add_bob)
    assert remote_hosts.pull_again(add_alice, alice.pk).replaced == 1
    assert remote_hosts.pull_again(add_bob, bob.pk).replaced == 1
    assert remote_hosts.pull_again(add_alice, alice.pk).replaced == 1  # rotated token too
    # A round trip begun before the new registration finishes with the client it began with.
    assert remote_hosts.finish(add_alice, alice_session, in_flight).replaced == 1


def test_going_back_to_an_earlier_address_uses_its_client_again(fake_host, add_alice, settings):
    first = settings.SITE_URL
    remote_hosts.start(add_alice, fake_host.base, {})
    settings.SITE_URL = "https://new.example"
    remote_hosts.start(add_alice, fake_host.base, {})
    settings.SITE_URL = first
    authorize = remote_hosts.start(add_alice, fake_host.base, {})
    assert fake_host.registrations == 2
    assert "client_id=client-1&" in authorize
    assert RemoteHost.objects.get().client_id == "client-1"


def test_a_client_id_longer_than_we_keep_is_refused(fake_host, add_alice):
    fake_host.registration_overrides = {"client_id": "c" * 501}
    assert state_error(remote_hosts.start, add_alice, fake_host.base, {}).code == "registration"
    assert not RemoteHost.objects.exists()


def test_an_endpoint_longer_than_we_keep_is_refused(fake_host, add_alice):
    fake_host.discovery_overrides = {"authorizationUrl": fake_host.base + "/a" * 300}
    assert state_error(remote_hosts.start, add_alice, fake_host.base, {}).code == "discovery"
    assert fake_host.registrations == 0 and not RemoteHost.objects.exists()


def test_an_address_longer_than_we_keep_is_refused(db):
    address = "https://host.example/" + "p" * 490
    assert state_error(remote_hosts.normalise_address, address).code == "address"


def test_a_non_ascii_content_length_from_the_host_is_not_read_as_a_number(fake_host, add_alice):
    fake_host.credential_texts = [json.dumps(credential(1))]
    session: dict = {}
    _authorize, params = round_trip(fake_host, add_alice, session)
    fake_host.content_length = "\u00b2"  # a superscript two: a digit to str.isdigit
    assert remote_hosts.finish(add_alice, session, params).new == 1  # read under the cap


def test_any_parse_error_in_an_exchange_becomes_a_fetch_error(fake_host, monkeypatch):
    from credentials.services import remote_http

    def broken(*args, **kwargs):
        raise ValueError("a header nobody expected")

    monkeypatch.setattr(remote_http, "read_capped", broken)
    with pytest.raises(remote_http.FetchError) as caught:
        remote_http.request("GET", fake_host.base + "/ims/ob/v3p0/discovery")
    assert caught.value.kind == "network"


def test_a_pull_stops_when_the_learner_s_backpack_is_full(fake_host, add_alice, add_bob, settings):
    settings.IMPORT_MAX_PER_LEARNER = 2
    fake_host.credential_texts = [json.dumps(credential(n)) for n in range(3)]
    summary = connect(fake_host, add_alice)
    assert (summary.new, summary.full, summary.stopped_early) == (2, True, True)
    assert ImportedCredential.objects.filter(owner=add_alice).count() == 2
    # Those already kept are still replaced when full; Bob has his own room.
    again = remote_hosts.pull_again(add_alice, RemoteConnection.objects.get(user=add_alice).pk)
    assert (again.new, again.replaced) == (0, 2)
    assert connect(fake_host, add_bob).new == 2


def test_a_connection_kept_before_clients_were_recorded_still_refreshes(
    fake_host, add_alice, settings
):
    from credentials.services.remote_http import seal

    connect(fake_host, add_alice)
    alice = RemoteConnection.objects.get(user=add_alice)
    alice.refresh_token_encrypted = seal(unseal_refresh(alice))  # the bare token, as before
    alice.save()
    settings.SITE_URL = "https://new.example"
    remote_hosts.start(add_alice, fake_host.base, {})  # a second client is registered
    assert remote_hosts.pull_again(add_alice, alice.pk).host == fake_host.base
