"""credentials.verify.fetch (with .limits and .network), as the site adapter builds it: public
addresses, one deadline, size and concurrency caps, redirects, cache"""

from __future__ import annotations

import os
import socket
import ssl
import threading
import time

import pytest
from django.core.cache import cache

from credentials.verify import fetch as fetch_module
from credentials.verify import limits
from credentials.verify import site as verify_site
from credentials.verify.fetch import FetchError, client_scope, is_public_address
from credentials.verify.site import fetch
from tests.credentials import slow_server


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


@pytest.mark.parametrize("url", ["http://[::1", "https://example.org:99999/x", "http://x:port/"])
def test_a_malformed_address_is_a_fetch_error_not_a_crash(url):
    with pytest.raises(FetchError) as error:
        fetch(url)
    assert error.value.kind == "url"


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


# One wall-clock deadline that a slow server cannot stretch.  The misbehaving servers keep
# going for slow_server.DRIBBLE_SECONDS (8 s); the fetch must give up at its own deadline.

DEADLINE = 1.0
SLACK = 1.5  # generous, for a loaded 2-core machine; still far below the servers' 8 s


@pytest.fixture(scope="module")
def tls_certificate():
    return slow_server.self_signed_tls()


@pytest.fixture
def trust_test_certificate(tls_certificate, monkeypatch):
    """Make the fetcher trust the self-signed certificate of the test TLS servers."""
    client_context = ssl.create_default_context(cadata=tls_certificate[1])
    monkeypatch.setattr(ssl, "create_default_context", lambda *args, **kwargs: client_context)
    return tls_certificate[0]


def _timed_fetch(url: str, **kwargs) -> tuple[FetchError, float]:
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        fetch(url, **kwargs)
    return error.value, time.monotonic() - started


@pytest.mark.parametrize(
    "behaviour",
    [slow_server.dribble_body, slow_server.dribble_headers, slow_server.silent],
    ids=["body-one-byte-at-a-time", "headers-one-byte-at-a-time", "accepts-never-answers"],
)
def test_a_slow_server_cannot_stretch_the_deadline(private, behaviour):
    with slow_server.SlowServer(behaviour) as slow:
        error, took = _timed_fetch(slow.url("/slow"), timeout=DEADLINE)
    assert error.kind == "timeout"
    assert took < DEADLINE + SLACK


def test_a_dribbling_https_server_cannot_stretch_the_deadline(private, trust_test_certificate):
    with slow_server.SlowServer(slow_server.tls(slow_server.answer, trust_test_certificate)) as ok:
        assert fetch(ok.url("/", scheme="https"), timeout=5).body == b"{}"  # TLS itself works
    dribble = slow_server.tls(slow_server.dribble_body, trust_test_certificate)
    with slow_server.SlowServer(dribble) as slow:
        error, took = _timed_fetch(slow.url("/slow", scheme="https"), timeout=DEADLINE)
    assert error.kind == "timeout"
    assert took < DEADLINE + SLACK


def _open_descriptors() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


def test_a_timed_out_fetch_leaves_no_thread_or_socket_behind(private):
    threads_before = threading.active_count()
    descriptors_before = _open_descriptors()
    with slow_server.SlowServer(slow_server.dribble_body) as slow:
        error, took = _timed_fetch(slow.url("/slow"), timeout=DEADLINE)
    assert (error.kind, took < DEADLINE + SLACK) == ("timeout", True)
    settle = time.monotonic() + 2
    while threading.active_count() > threads_before and time.monotonic() < settle:
        time.sleep(0.02)
    assert threading.active_count() == threads_before
    if descriptors_before is not None:
        assert _open_descriptors() <= descriptors_before


@pytest.mark.parametrize(
    ("count", "size"),
    [(200, 1024), (20, 1024), (150, 10)],
    ids=["200-lines-of-1-KiB", "20-KiB-in-few-lines", "too-many-short-lines"],
)
def test_oversized_headers_are_refused(private, count, size):
    with (
        slow_server.SlowServer(slow_server.many_headers(count, size)) as big,
        pytest.raises(FetchError) as error,
    ):
        fetch(big.url("/"), timeout=5)
    assert error.value.kind == "too_large"
    assert error.value.reason == "the server's headers are too large"


# Concurrency caps on outside fetches: per client (set by the view) and per process.


@pytest.fixture
def holding_server():
    with slow_server.SlowServer(slow_server.hold_then_answer) as holding:
        yield holding


def _in_thread(client: str | None, url: str) -> tuple[threading.Thread, dict]:
    """Fetch ``url`` for ``client`` in another thread (which has a context of its own)."""
    outcome: dict = {}

    def run():
        try:
            with client_scope(client):
                outcome["result"] = fetch(url, timeout=10, use_cache=False)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _refuses_as_busy(url: str) -> bool:
    with pytest.raises(FetchError) as error:
        fetch(url, use_cache=False)
    return error.value.kind == "busy" and "try again in a moment" in error.value.reason


def test_one_client_cannot_hold_more_than_its_share_of_fetches(private, server, holding_server):
    private.VERIFY_FETCH_MAX_PER_CLIENT = 1
    quick = server.json("/quick", {"ok": 1})
    thread, outcome = _in_thread("203.0.113.9", holding_server.url("/held"))
    assert holding_server.wait_for_connection()

    with client_scope("203.0.113.9"):
        assert _refuses_as_busy(quick)
    with client_scope("198.51.100.7"):
        assert fetch(quick, use_cache=False).ok  # another client is not held up
    assert fetch(quick, use_cache=False).ok  # nor a fetch made for no client

    holding_server.release.set()
    thread.join(10)
    assert outcome["result"].ok
    with client_scope("203.0.113.9"):
        assert fetch(quick, use_cache=False).ok  # the slot was given back


def test_a_failed_fetch_gives_its_slots_back(private, server, holding_server):
    private.VERIFY_FETCH_MAX_PER_CLIENT = 1
    private.VERIFY_FETCH_MAX_CONCURRENT = 1
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    refused = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    probe.close()
    with client_scope("203.0.113.9"):
        for _ in range(3):
            with pytest.raises(FetchError) as error:
                fetch(refused)
            assert error.value.kind == "network"
        with slow_server.SlowServer(slow_server.silent) as slow:
            error, _took = _timed_fetch(slow.url("/"), timeout=0.3)
        assert error.kind == "timeout"
        after = server.json("/after", {})
        assert fetch(after, use_cache=False).ok

    # and the caps are live, so the fetch above really did find its slots free again
    thread, outcome = _in_thread("203.0.113.9", holding_server.url("/held"))
    assert holding_server.wait_for_connection()
    with client_scope("203.0.113.9"):
        assert _refuses_as_busy(after)
    holding_server.release.set()
    thread.join(10)
    assert outcome["result"].ok


def test_the_process_caps_outside_fetches_but_not_our_own_pages(
    db, private, server, holding_server
):
    private.VERIFY_FETCH_MAX_CONCURRENT = 1
    quick = server.json("/quick", {"ok": 1})
    thread, outcome = _in_thread(None, holding_server.url("/held"))
    assert holding_server.wait_for_connection()

    assert _refuses_as_busy(quick)
    with client_scope("198.51.100.7"):
        assert _refuses_as_busy(quick)  # the process cap is shared by every client
    own = fetch("http://testserver/verify/", accept="text/html")
    assert own.status == 200  # our own pages are served in-process and take no slot

    holding_server.release.set()
    thread.join(10)
    assert outcome["result"].ok
    assert fetch(quick, use_cache=False).ok


def test_client_scope_is_restored_on_exit():
    with client_scope("203.0.113.9"):
        with client_scope("198.51.100.7"):
            assert limits._client.get() == "198.51.100.7"
        assert limits._client.get() == "203.0.113.9"
    assert limits._client.get() is None


# Caching: never our own documents; cache_seconds caps it.


class _RecordingCache:
    def __init__(self, inner):
        self.inner = inner
        self.timeouts: list = []

    def get(self, key, default=None):
        return self.inner.get(key, default)

    def set(self, key, value, timeout):
        self.timeouts.append(timeout)
        self.inner.set(key, value, timeout)


def test_our_own_documents_are_never_cached(db, settings, monkeypatch):
    served = []
    in_process = verify_site._in_process_hop

    def counting(url, *args, **kwargs):
        served.append(url)
        return in_process(url, *args, **kwargs)

    monkeypatch.setattr(verify_site, "_in_process_hop", counting)
    fetch("http://testserver/verify/", accept="text/html")
    fetch("http://testserver/verify/", accept="text/html")
    assert len(served) == 2


def test_cache_seconds_zero_does_not_cache(server, private):
    url = server.json("/fresh", {"n": 1})
    before = len(server.hits)
    fetch(url, cache_seconds=0)
    fetch(url, cache_seconds=0)
    fetch(url)
    assert len(server.hits) == before + 3


def test_cache_seconds_caps_how_long_an_answer_is_cached(server, private, monkeypatch):
    private.VERIFY_FETCH_CACHE_SECONDS = 60
    recording = _RecordingCache(cache)
    monkeypatch.setattr(verify_site, "cache", recording)
    fetch(server.json("/ttl-5", {}), cache_seconds=5)
    fetch(server.json("/ttl-600", {}), cache_seconds=600)
    fetch(server.json("/no-ttl", {}))
    assert recording.timeouts == [5, 60, 60]


def test_a_cached_answer_older_than_cache_seconds_is_fetched_again(server, private):
    url = server.json("/status-list", {"n": 1})
    before = len(server.hits)
    fetch(url)
    time.sleep(0.6)
    fetch(url)  # the default allows 60 s
    assert len(server.hits) == before + 1
    fetch(url, cache_seconds=0.5)
    assert len(server.hits) == before + 2


def test_a_slow_name_server_cannot_stretch_the_deadline(private, monkeypatch):
    """getaddrinfo cannot be interrupted; the fetch stops waiting for it at the deadline."""
    real = socket.getaddrinfo

    def slow(host, *args, **kwargs):
        if host == "slow-dns.example":
            time.sleep(4)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        fetch("http://slow-dns.example/badge.json", timeout=1.0, use_cache=False)
    took = time.monotonic() - started

    assert error.value.kind == "timeout"
    assert took < 1.0 + 1.5  # not the name server's 4 s


# The fetcher itself reads no settings: it uses the cache and limits it is handed.


def test_a_fetcher_uses_only_the_cache_and_limits_it_is_handed(server, private):
    from credentials.verify.fetch import Fetcher

    url = server.json("/handed", {"n": 1})
    recording = _RecordingCache(cache)
    before = len(server.hits)

    handed = Fetcher(allow_private=True, cache=recording, cache_seconds=7)
    handed(url)
    handed(url)

    assert len(server.hits) == before + 1
    assert recording.timeouts == [7]
    with pytest.raises(FetchError) as error:  # the settings allow loopback; this fetcher not
        Fetcher(cache=recording)(server.url("/other"))
    assert error.value.kind == "blocked"
    Fetcher(allow_private=True)(url)  # no cache handed: nothing is read or kept
    assert len(server.hits) == before + 2
