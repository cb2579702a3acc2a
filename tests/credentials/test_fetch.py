"""credentials.fetch: public addresses only, a deadline, a size cap, checked redirects, a cache."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.core.cache import cache

from credentials import fetch as fetch_module
from credentials.fetch import FetchError, fetch, is_public_address

from .verify_helpers import DocServer


@pytest.fixture(scope="module")
def server():
    server = DocServer()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private(settings):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = True
    return settings


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "ff02::1",
    ],
)
def test_internal_addresses_are_not_public(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_global_addresses_are_public(address):
    assert is_public_address(address)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://localhost:8000/x", "http://[::1]/", "http://10.0.0.8/a"],
)
def test_internal_targets_are_refused_by_default(settings, url):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    with pytest.raises(FetchError) as error:
        fetch(url)
    assert error.value.kind == "blocked"


def test_a_name_resolving_to_a_private_address_is_refused(settings, monkeypatch):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.0.10", 80))],
    )
    with pytest.raises(FetchError) as error:
        fetch("http://innocent.example/badge.json")
    assert error.value.kind == "blocked"


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "gopher://x", ""])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError) as error:
        fetch(url)
    assert error.value.kind == "scheme"


def test_a_document_is_fetched_with_its_status_and_type(server, private):
    server.json("/doc", {"hello": "world"})
    result = fetch(server.url("/doc"))
    assert (result.status, result.content_type) == (200, "application/ld+json")
    assert result.body == b'{"hello": "world"}'


def test_non_2xx_answers_are_returned_not_raised(server, private):
    server.json("/gone", {"revoked": True}, status=410)
    assert fetch(server.url("/gone")).status == 410


def test_redirects_are_followed_and_each_hop_is_checked(server, private, settings):
    server.json("/target", {"ok": 1})
    server.redirect("/hop", server.url("/target"))
    assert fetch(server.url("/hop")).url == server.url("/target")
    server.redirect("/to-internal", "http://10.0.0.1/secret")
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    with pytest.raises(FetchError):
        fetch(server.url("/to-internal"))


def test_a_redirect_to_another_scheme_is_refused(server, private):
    server.redirect("/to-file", "file:///etc/passwd")
    with pytest.raises(FetchError) as error:
        fetch(server.url("/to-file"))
    assert error.value.kind == "scheme"


def test_a_redirect_loop_is_detected(server, private):
    server.redirect("/a", server.url("/b"))
    server.redirect("/b", server.url("/a"))
    with pytest.raises(FetchError) as error:
        fetch(server.url("/a"))
    assert error.value.kind == "redirect"


def test_too_many_redirects_are_refused(server, private):
    for n in range(10):
        server.redirect(f"/chain/{n}", server.url(f"/chain/{n + 1}"))
    with pytest.raises(FetchError) as error:
        fetch(server.url("/chain/0"))
    assert error.value.kind == "redirect"


def test_a_document_over_the_size_cap_is_refused(server, private):
    server.raw("/big", b"x" * 5000)
    with pytest.raises(FetchError) as error:
        fetch(server.url("/big"), max_bytes=1000)
    assert error.value.kind == "too_large"


def test_a_lying_content_length_still_hits_the_cap(private):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve():
        conn, _ = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"y" * 20000)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    port = listener.getsockname()[1]
    with pytest.raises(FetchError) as error:
        fetch(f"http://127.0.0.1:{port}/", max_bytes=1000)
    listener.close()
    assert error.value.kind == "too_large"


def test_a_server_that_never_answers_times_out(private):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        fetch(f"http://127.0.0.1:{port}/slow", timeout=0.5)
    listener.close()
    assert error.value.kind == "timeout"
    assert time.monotonic() - started < 3


def test_the_default_timeout_is_five_seconds():
    assert fetch_module.DEFAULT_TIMEOUT == 5.0


def test_a_connection_refused_is_a_network_error(private):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(FetchError) as error:
        fetch(f"http://127.0.0.1:{port}/")
    assert error.value.kind == "network"


def test_answers_are_cached(server, private):
    server.json("/cached", {"n": 1})
    before = len(server.hits)
    fetch(server.url("/cached"))
    fetch(server.url("/cached"))
    assert len(server.hits) == before + 1
    fetch(server.url("/cached"), use_cache=False)
    assert len(server.hits) == before + 2


def test_our_own_site_is_served_in_process(db, settings):
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    result = fetch("http://testserver/verify/", accept="text/html")
    assert result.status == 200
    assert b"Verify a credential" in result.body


def test_in_process_serving_can_be_switched_off(db, settings):
    settings.VERIFY_FETCH_IN_PROCESS = False
    settings.VERIFY_ALLOW_PRIVATE_FETCH = False
    with pytest.raises(FetchError):
        fetch("http://testserver/verify/")
