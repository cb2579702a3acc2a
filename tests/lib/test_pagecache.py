"""lib.pagecache: what is stored for whom, under which key, and how a bump drops it."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from lib import pagecache

KEY = dict(scheme="https", host="a.example", path="/p/", query="", language="en", zone="UTC")


@pytest.fixture
def lib_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    previous = pagecache._source
    pagecache.configure(SimpleNamespace(PAGE_CACHE="on", PAGE_CACHE_SECONDS=60))
    caches["default"].clear()
    pagecache._pending.__dict__.clear()
    yield caches["default"]
    caches["default"].clear()
    pagecache.configure(previous)


def anonymous(path="/p/", method="get", **extra):
    request = getattr(RequestFactory(), method)(path, **extra)
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def counting_view(body=b"hello", **headers):
    calls = []

    @pagecache.cache_anonymous(["t"], params=["q"])
    def view(request):
        calls.append(request)
        response = HttpResponse(body, content_type="text/plain")
        for name, value in headers.items():
            response[name] = value
        return response

    return view, calls


# --------------------------------------------------------------------------- keys, headers


def test_the_query_order_does_not_matter_but_everything_else_does():
    assert pagecache.page_key(**{**KEY, "query": "b=2&a=1"}) == pagecache.page_key(
        **{**KEY, "query": "a=1&b=2"}
    )
    base = pagecache.page_key(**KEY)
    for name, other in [
        ("scheme", "http"),
        ("host", "b.example"),
        ("path", "/q/"),
        ("query", "a=1"),
        ("language", "de"),
        ("zone", "Europe/Paris"),
    ]:
        assert pagecache.page_key(**{**KEY, name: other}) != base, name
    assert pagecache.page_key(**KEY, variant="application/json") != base


def test_only_the_views_own_headers_are_kept():
    kept = pagecache.kept_headers(
        [
            ("Content-Type", "text/html"),
            ("Set-Cookie", "sessionid=x"),
            ("Content-Security-Policy", "default-src 'self'"),
            ("ETag", '"1"'),
            ("Access-Control-Allow-Origin", "*"),
        ]
    )
    assert kept == [
        ("Content-Type", "text/html"),
        ("ETag", '"1"'),
        ("Access-Control-Allow-Origin", "*"),
    ]


def test_only_short_queries_of_known_parameters_are_cached():
    assert pagecache.query_is_cacheable("", [])
    assert pagecache.query_is_cacheable("q=x&page=2", ["q", "page"])
    assert not pagecache.query_is_cacheable("q=x&utm=1", ["q", "page"])
    assert not pagecache.query_is_cacheable("q=" + "x" * 300, ["q"])


# --------------------------------------------------------------------------- on or off


def test_auto_is_on_only_with_a_cache_every_process_shares(settings, lib_page_cache):
    pagecache.configure(SimpleNamespace(PAGE_CACHE="auto", PAGE_CACHE_SECONDS=60))
    assert not pagecache.enabled()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1",
        }
    }
    assert pagecache.backend_is_shared() and pagecache.enabled()
    pagecache.configure(SimpleNamespace(PAGE_CACHE="off", PAGE_CACHE_SECONDS=60))
    assert not pagecache.enabled()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# --------------------------------------------------------------------------- the decorator


def test_an_anonymous_get_is_stored_and_answered_again(lib_page_cache):
    view, calls = counting_view(ETag='"e1"')
    first = view(anonymous())
    second = view(anonymous())
    assert first.content == second.content == b"hello" and len(calls) == 1
    assert second["Content-Type"] == "text/plain" and second["ETag"] == '"e1"'
    not_modified = view(anonymous(HTTP_IF_NONE_MATCH='"e1"'))
    assert not_modified.status_code == 304 and len(calls) == 1


def test_a_signed_in_person_always_runs_the_view(lib_page_cache, django_user_model):
    view, calls = counting_view()
    view(anonymous())
    request = anonymous()
    request.user = django_user_model(email="x@example.org")
    view(request)
    view(request)
    assert len(calls) == 3


def test_a_waiting_message_is_shown_not_a_stored_page(lib_page_cache):
    view, calls = counting_view()
    view(anonymous())
    request = anonymous()
    request._messages.add(20, "Logged out.")
    view(request)
    assert len(calls) == 2


@pytest.mark.parametrize(
    "spoil",
    [
        lambda request, response: response.set_cookie("c", "1"),
        lambda request, response: get_token(request),
        lambda request, response: setattr(request, "_csp_nonce", "abc"),
        lambda request, response: response.__setitem__("Cache-Control", "private, no-store"),
        lambda request, response: setattr(response, "_csp_update", {"img-src": ["x"]}),
        lambda request, response: setattr(response, "page_cache_seconds", 0),
    ],
    ids=["cookie", "csrf-token", "csp-nonce", "no-store", "csp-decorator", "expired"],
)
def test_an_answer_with_something_personal_or_per_request_is_not_stored(lib_page_cache, spoil):
    calls = []

    @pagecache.cache_anonymous(["t"])
    def view(request):
        calls.append(1)
        response = HttpResponse(b"x")
        spoil(request, response)
        return response

    view(anonymous())
    view(anonymous())
    assert len(calls) == 2


def test_a_body_with_a_csrf_field_is_not_stored(lib_page_cache):
    view, calls = counting_view(body=b'<input name="csrfmiddlewaretoken" value="x">')
    view(anonymous())
    view(anonymous())
    assert len(calls) == 2


def test_only_a_200_to_a_get_is_stored_and_unknown_parameters_skip(lib_page_cache):
    calls = []

    @pagecache.cache_anonymous(["t"], params=["q"])
    def missing(request):
        calls.append(1)
        return HttpResponse(status=404)

    missing(anonymous())
    missing(anonymous())
    view, seen = counting_view()
    view(anonymous(method="head"))
    view(anonymous("/p/?utm=1"))
    view(anonymous("/p/?utm=1"))
    view(anonymous(method="post"))
    assert len(calls) == 2 and len(seen) == 4


def test_each_variant_is_kept_apart(lib_page_cache):
    @pagecache.cache_anonymous(["t"], variant=lambda request: request.headers.get("Accept", ""))
    def view(request):
        return HttpResponse(request.headers.get("Accept", ""))

    assert view(anonymous(HTTP_ACCEPT="a")).content == b"a"
    assert view(anonymous(HTTP_ACCEPT="b")).content == b"b"
    assert view(anonymous(HTTP_ACCEPT="a")).content == b"a"


# --------------------------------------------------------------------------- bumps


def test_a_bump_drops_what_depended_on_the_tag(lib_page_cache):
    view, calls = counting_view()
    view(anonymous())
    pagecache.bump("other")
    view(anonymous())
    assert len(calls) == 1
    pagecache.bump("t")
    view(anonymous())
    assert len(calls) == 2


def test_an_evicted_tag_is_never_matched(lib_page_cache):
    view, calls = counting_view()
    view(anonymous())
    lib_page_cache.delete(pagecache.TAG_PREFIX + "t")
    view(anonymous())
    assert len(calls) == 2


def test_an_answer_rendered_while_a_change_commits_is_not_kept(lib_page_cache):
    calls = []

    @pagecache.cache_anonymous(["t"])
    def view(request):
        calls.append(1)
        pagecache.bump("t")  # another process commits a change while this one renders
        return HttpResponse(b"old")

    view(anonymous())
    view(anonymous())
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_writes_its_bumps_once_on_commit_and_none_on_rollback(
    lib_page_cache, monkeypatch
):
    writes = []
    original = pagecache._write
    monkeypatch.setattr(
        pagecache, "_write", lambda tags: writes.append(set(tags)) or original(tags)
    )
    with transaction.atomic():
        for number in range(50):
            pagecache.bump(f"award:{number}")
            with transaction.atomic():
                pagecache.bump("credentials")
        assert writes == []
    assert len(writes) == 1 and len(writes[0]) == 51
    with pytest.raises(RuntimeError), transaction.atomic():
        pagecache.bump("pages")
        raise RuntimeError
    assert len(writes) == 1
    with transaction.atomic():
        try:
            with transaction.atomic():
                pagecache.bump("dropped")
                raise RuntimeError
        except RuntimeError:
            pass
        pagecache.bump("kept")
    assert writes[-1] == {"kept"}


def test_only_an_early_answer_is_given_before_the_view_and_only_while_fresh(lib_page_cache):
    @pagecache.cache_anonymous(["t"])
    def late(request):
        return HttpResponse(b"late")

    @pagecache.cache_anonymous(["t"], early=True, when=lambda request: request.path != "/no/")
    def early(request):
        return HttpResponse(b"early")

    late(anonymous("/late/"))
    early(anonymous("/early/"))
    early(anonymous("/no/"))
    assert pagecache.early_answer(anonymous("/late/")) is None
    assert pagecache.early_answer(anonymous("/no/")) is None
    assert pagecache.early_answer(anonymous("/early/")).content == b"early"
    pagecache.bump("t")
    assert pagecache.early_answer(anonymous("/early/")) is None
    with pytest.raises(ValueError):
        pagecache.cache_anonymous(["t"], early=True, variant=lambda request: "x")


def test_fragments_are_made_once_and_again_after_a_bump(lib_page_cache):
    made = []

    def make(names):
        made.append(sorted(names))
        return {name: f"<p>{name}</p>" for name in names}

    assert pagecache.fragments(["a", "b"], ["t"], make) == {"a": "<p>a</p>", "b": "<p>b</p>"}
    assert pagecache.fragments(["a", "b", "c"], ["t"], make)["c"] == "<p>c</p>"
    assert made == [["a", "b"], ["c"]]
    pagecache.bump("t")
    pagecache.fragments(["a"], ["t"], make)
    assert made[-1] == ["a"]


# --------------------------------------------------------------------------- the cache down


class _Down(Exception):
    pass


@pytest.fixture
def cache_down(lib_page_cache, monkeypatch):
    """Every read and write of the shared cache fails, as when Redis is unreachable."""

    def fail(*args, **kwargs):
        raise _Down("connection refused")

    for name in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(lib_page_cache, name, fail)
    return lib_page_cache


def test_with_the_cache_down_the_view_answers_and_nothing_fails(cache_down):
    view, calls = counting_view()
    assert view(anonymous()).content == b"hello"
    assert view(anonymous()).content == b"hello" and len(calls) == 2
    assert pagecache.early_answer(anonymous()) is None
    made = pagecache.fragments(["a", "b"], ["t"], lambda names: {n: n.upper() for n in names})
    assert made == {"a": "A", "b": "B"}


def test_a_bump_the_cache_cannot_take_is_logged_not_raised(cache_down, caplog):
    pagecache.bump("t")  # outside a transaction: written at once, and failing
    assert "could not drop" in caplog.text
