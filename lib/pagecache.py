"""A shared cache of what anonymous visitors get: whole pages and public JSON documents.

A view wears ``@cache_anonymous(tags=...)``. Only a visitor who is not signed in, has no
message waiting and asks with GET (or HEAD) for a URL whose query names only the view's
``params`` is answered from the cache; everyone else runs the view as before. An answer is
stored only when it is a plain 200 from a GET: no cookie set, no CSRF token asked for, no CSP
nonce drawn, no ``no-store``, no message left. What is stored is the body, the status and the
headers the view set itself; the cached answer is rebuilt as a fresh response that still goes
through every middleware outside the view (security headers, the Content-Security-Policy,
sessions), so those stay per response.

The key holds the scheme, host, path, the normalised query, the active language and time zone,
and a ``variant`` the view names (what it negotiates, such as JSON or HTML from ``Accept``).

Invalidation is by tags: each entry records the generation (a random token kept in the shared
cache, without expiry) of every tag it depends on, read *before* the view ran. ``bump(tag)``
gives a tag a new token once the current transaction commits (once per transaction, however
many times it is called), so every entry that recorded the old one is never served again. A tag
missing from the cache (evicted) is never matched: the lookup misses and the tag gets a new
token.

The cache must be shared by every process that serves the site (Redis), or a bump in one
process would not reach the entries of another: ``enabled()`` says whether it is on, from the
settings object the project hands to ``configure()`` (``PAGE_CACHE``: ``auto`` — on when the
cache backend is shared —, ``on``, ``off``; ``PAGE_CACHE_SECONDS``: how long an entry lives at
most). Imports no app of ours.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

ALIAS = "default"
ENTRY_PREFIX = "pagecache:v1:entry:"
TAG_PREFIX = "pagecache:v1:tag:"
FRAGMENT_PREFIX = "pagecache:v1:fragment:"
# Cache backends that live inside one process: a bump there reaches no other process.
LOCAL_BACKENDS = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)
# Headers a view sets that are kept with the body; everything else (cookies, and whatever the
# outer middleware adds on the way out) is produced afresh for each response.
KEPT_HEADERS = frozenset(
    {
        "content-type",
        "content-language",
        "content-disposition",
        "cache-control",
        "etag",
        "last-modified",
        "vary",
        "access-control-allow-origin",
        "link",
        "x-robots-tag",
    }
)
# Paths no view stores an early answer for: early_answer() does not even look.
EARLY_SKIPPED = ("/static/", "/media/", "/admin/", "/django-admin/")
MAX_QUERY = 256  # longer queries are not cached (a visitor could fill the cache with them)
# django-csp's per-view decorators leave these on a response; such a response is not stored.
CSP_ATTRIBUTES = ("_csp_exempt", "_csp_update", "_csp_replace", "_csp_config")

# The tags the site's pages depend on: any Wagtail page, image or site setting (menus, footers,
# courses, lessons); any institution, key, badge, endorsement, framework or approval; one award.
PAGES = "pages"
CREDENTIALS = "credentials"


def award_tag(public_id: Any) -> str:
    return f"award:{public_id}"


_source: Any = None
_pending = threading.local()


def configure(source: Any) -> None:
    """Hand over the settings object that answers ``PAGE_CACHE`` and ``PAGE_CACHE_SECONDS``."""
    global _source
    _source = source


def backend_is_shared(alias: str = ALIAS) -> bool:
    """Whether every process reads the same cache (Redis, Memcached, a database table)."""
    return django_settings.CACHES[alias]["BACKEND"] not in LOCAL_BACKENDS


def enabled() -> bool:
    if _source is None:
        return False
    mode = str(_source.PAGE_CACHE).lower()
    return mode == "on" or (mode == "auto" and backend_is_shared())


def seconds() -> int:
    return int(_source.PAGE_CACHE_SECONDS) if _source is not None else 0


# --------------------------------------------------------------------------- pure helpers


def normalised_query(query_string: str) -> str:
    """The query, its parameters sorted, so ``?b=2&a=1`` and ``?a=1&b=2`` share an entry."""
    return urlencode(sorted(parse_qsl(query_string, keep_blank_values=True)))


def page_key(
    *, scheme: str, host: str, path: str, query: str, language: str, zone: str, variant: str = ""
) -> str:
    raw = "\n".join([scheme, host.lower(), path, normalised_query(query), language, zone, variant])
    return ENTRY_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def kept_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers of a view's response worth storing with its body."""
    return [(name, value) for name, value in headers if name.lower() in KEPT_HEADERS]


def query_is_cacheable(query_string: str, params: Iterable[str]) -> bool:
    """Only short queries naming only the view's own parameters are cached."""
    if not query_string:
        return True
    if len(query_string) > MAX_QUERY:
        return False
    allowed = set(params)
    return all(name in allowed for name, _ in parse_qsl(query_string, keep_blank_values=True))


# --------------------------------------------------------------------------- tags


def _tag_key(tag: str) -> str:
    return TAG_PREFIX + tag


def _write(tags: Iterable[str]) -> None:
    tags = set(tags)
    if not tags:
        return
    try:
        caches[ALIAS].set_many({_tag_key(tag): secrets.token_hex(8) for tag in tags}, timeout=None)
    except Exception:
        # The change has committed; failing the request now would hide that it happened. What
        # was stored under the old generations can live until PAGE_CACHE_SECONDS at most.
        logger.exception("The page cache could not drop what depends on %s", sorted(tags))


def bump(*tags: str, using: str | None = None) -> None:
    """Give each tag a new generation once the current transaction commits (at once outside a
    transaction): every stored answer that depends on one of them is never served again.
    Within one transaction the tags are gathered and written once, on commit; nothing is
    written if it rolls back."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _write(tags)
        return
    batches = getattr(_pending, "batches", None)
    if batches is None:
        batches = _pending.batches = {}
    batch = batches.get(connection.alias)
    # A batch whose commit callback was dropped (its savepoint rolled back) is not reused.
    if batch is None or not any(func is batch[1] for _, func, _ in connection.run_on_commit):
        gathered: set[str] = set()

        def flush(gathered=gathered, alias=connection.alias) -> None:
            if batches.get(alias, (None,))[0] is gathered:
                del batches[alias]
            _write(gathered)

        batch = batches[connection.alias] = (gathered, flush)
        transaction.on_commit(flush, using=using)
    batch[0].update(tags)


def generations(tags: Iterable[str], extra: Iterable[str] = ()) -> tuple[dict[str, str], dict]:
    """The current token of each tag (made now for a tag that has none) and, read in the same
    round trip, the cache values of ``extra`` keys."""
    cache = caches[ALIAS]
    tags = list(tags)
    found = cache.get_many([*extra, *map(_tag_key, tags)])
    missing = [tag for tag in tags if found.get(_tag_key(tag)) is None]
    for tag in missing:
        cache.add(_tag_key(tag), secrets.token_hex(8), timeout=None)
    if missing:
        found.update(cache.get_many([_tag_key(tag) for tag in missing]))
    current = {tag: found.get(_tag_key(tag)) for tag in tags}
    return current, found


# --------------------------------------------------------------------------- fragments


def fragments(
    names: list[str], tags: Iterable[str], make: Callable[[list[str]], dict[str, Any]]
) -> dict[str, Any]:
    """Parts of a page that are the same for everyone (a course's card), by name: from the
    shared cache when stored under the tags' current generations, else made by
    ``make(missing names)`` and stored. For signed-in visitors too, so a fragment must never
    hold anything about the person asking; its name holds whatever else it depends on (the
    language). Without the page cache, everything is made afresh."""
    if not enabled():
        return make(names)
    keys = {name: FRAGMENT_PREFIX + hashlib.sha256(name.encode()).hexdigest() for name in names}
    try:
        current, found = generations(tags, extra=keys.values())
    except Exception:
        logger.warning("The page cache cannot be read; fragments made afresh", exc_info=True)
        return make(names)
    values, missing = {}, []
    for name in names:
        entry = found.get(keys[name])
        if entry is not None and entry["tags"] == current:
            values[name] = entry["value"]
        else:
            missing.append(name)
    if missing:
        made = make(missing)
        _store_many({keys[name]: {"tags": current, "value": made[name]} for name in made})
        values.update(made)
    return values


# --------------------------------------------------------------------------- the decorator


def _is_anonymous_get(request: HttpRequest, params: Iterable[str] | None) -> bool:
    """A GET or HEAD by someone not signed in, with no message waiting, and a query of only
    ``params`` (any short query when None: only a view's own entries can match it)."""
    if request.method not in ("GET", "HEAD") or getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        return False
    query = request.META.get("QUERY_STRING", "")
    if params is None:
        return len(query) <= MAX_QUERY
    return query_is_cacheable(query, params)


def _key_for(request: HttpRequest, variant: str) -> str:
    return page_key(
        scheme=request.scheme or "",
        host=request.get_host(),
        path=request.path,
        query=request.META.get("QUERY_STRING", ""),
        language=translation.get_language() or "",
        zone=timezone.get_current_timezone_name(),
        variant=variant,
    )


def _storable(request: HttpRequest, response: Any, csrf_before: bool) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if getattr(response, "streaming", False) or response.cookies:
        return False
    if any(hasattr(response, name) for name in CSP_ATTRIBUTES):
        return False
    if isinstance(getattr(request, "_csp_nonce", None), str):  # the body carries the nonce
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not csrf_before:
        return False
    if "no-store" in response.get("Cache-Control", ""):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "_queued_messages", None):
        return False
    return b"csrfmiddlewaretoken" not in response.content


def _rebuild(request: HttpRequest, entry: dict) -> HttpResponse:
    headers = dict(entry["headers"])
    etag = headers.get("ETag")
    if etag and etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
        del response["Content-Type"]
        headers.pop("Content-Type", None)
    else:
        response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in headers.items():
        response[name] = value
    return response


def _store_many(entries: dict[str, Any], timeout: int | None = None) -> None:
    try:
        caches[ALIAS].set_many(entries, timeout=seconds() if timeout is None else timeout)
    except Exception:
        logger.warning("The page cache cannot be written", exc_info=True)


def early_answer(request: HttpRequest) -> HttpResponse | None:
    """The stored answer for this request if a view stored it as ``early`` (before URL
    resolution and Wagtail's routing run again), else None. For a middleware placed after
    those that authenticate, read messages, pick the language and time zone."""
    if not enabled() or request.path.startswith(EARLY_SKIPPED):
        return None
    if not _is_anonymous_get(request, None):
        return None
    cache = caches[ALIAS]
    try:
        entry = cache.get(_key_for(request, ""))
        if entry is None or not entry.get("early"):
            return None
        tags = list(entry["tags"])
        found = cache.get_many([_tag_key(tag) for tag in tags])
    except Exception:  # the cache is down: the view answers, as if nothing were stored
        logger.warning("The page cache cannot be read", exc_info=True)
        return None
    if any(found.get(_tag_key(tag)) != entry["tags"][tag] for tag in tags):
        return None
    return _rebuild(request, entry)


def cache_anonymous(
    tags: Iterable[str] | Callable[..., Iterable[str]],
    *,
    params: Iterable[str] = (),
    variant: Callable[[HttpRequest], str] | None = None,
    early: bool = False,
    when: Callable[..., bool] | None = None,
):
    """Answer anonymous GETs of the wrapped view from the shared cache (see the module).

    ``tags``: what the answer depends on, or a function of the view's arguments giving them;
    ``params``: the query parameters the view reads (any other parameter skips the cache);
    ``variant``: a function of the request naming what the view negotiates (from ``Accept``).
    ``early``: the answer may also be given by ``early_answer()`` before the view is even
    found (a Wagtail page: its routing costs more than the answer); only for a view that
    negotiates nothing and whose access rules are all in the view or ``when``.
    ``when``: a function of the view's arguments saying whether this answer may be stored
    (called only when storing).
    A view may set ``response.page_cache_seconds`` to keep its answer for less time (an award
    that expires), or 0 to keep it out of the cache.
    """
    params = frozenset(params)
    if early and variant is not None:
        raise ValueError("An early answer cannot depend on a negotiated variant.")

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not enabled() or not _is_anonymous_get(request, params):
                return view(request, *args, **kwargs)
            names = list(tags(request, *args, **kwargs) if callable(tags) else tags)
            key = _key_for(request, variant(request) if variant else "")
            try:
                current, found = generations(names, extra=[key])
            except Exception:  # the cache is down: answer as if there were no cache
                logger.warning("The page cache cannot be read", exc_info=True)
                return view(request, *args, **kwargs)
            entry = found.get(key)
            if entry is not None and entry["tags"] == current:
                return _rebuild(request, entry)
            csrf_before = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            lifetime = min(seconds(), getattr(response, "page_cache_seconds", seconds()))
            if (
                lifetime > 0
                and _storable(request, response, csrf_before)
                and (when is None or when(request, *args, **kwargs))
            ):
                stored = {
                    "early": early,
                    "tags": current,
                    "status": response.status_code,
                    "content": response.content,
                    "headers": kept_headers(response.items()),
                }
                _store_many({key: stored}, timeout=lifetime)
            return response

        return wrapped

    return decorate
