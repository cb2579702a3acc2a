"""A learner adds a badge to their backpack by hand: a baked PNG or SVG, an address, or the
credential's own text (JSON or a compact JWS / VC-JWT).

Whatever is found is handed to :func:`credentials.services.imports.upsert` exactly as it was
found -- the text baked into the image, the body the address answered, the text pasted -- so
what is kept is what was signed. Reading reuses the verifier's pieces: the image is sniffed
from its bytes before it is parsed (:func:`credentials.standards.bakery.image_type`) and read
under the bakery's limits; an address is fetched only through the verifier's bounded fetcher
(public addresses, one deadline, a size cap). Open Badges 2.0 assertions are not OB 3.0
credentials: they are refused here, and our verifier still checks them at /verify/.

Every refusal is an :class:`ImportRefused` naming the field it belongs to and saying why in
the learner's language.

:func:`pull` is the other way in: the credentials another Open Badges 3.0 host lists for the
learner (``getCredentials``, page by page under caps on pages, credentials and bytes), each
kept as the exact text of its element in the host's answer; the OAuth round trip that gets the
access token is :mod:`credentials.services.remote_hosts`'s.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.conf import settings as conf
from credentials.models import ImportedCredential, RemoteConnection
from credentials.services import remote_http
from credentials.services.remote_http import RemoteError
from credentials.standards import bakery
from credentials.verify import ob2, ob3, site
from credentials.verify.fetch import FetchError, origin_of
from credentials.verify.reading import JWS_RE, URL_RE, decode_segment, loads
from lib import ratelimit

__all__ = [
    "JSON_TYPE",
    "JWS_TYPE",
    "MAX_CREDENTIALS",
    "MAX_FILE_BYTES",
    "MAX_PAGES",
    "MAX_TEXT_CHARS",
    "ATTEMPTS_PER_MINUTE",
    "Found",
    "ImportRefused",
    "Summary",
    "add",
    "from_image",
    "from_text",
    "from_url",
    "has_room",
    "may_try",
    "pull",
    "too_many_attempts",
]

MAX_FILE_BYTES = bakery.DEFAULT_MAX_BYTES  # 5 MiB: the verifier's own cap on an image
MAX_TEXT_CHARS = 512 * 1024
FETCH_TIMEOUT = 5.0
# The media types of the OB 3.0 API's upsertCredential: a credential as JSON, or compact JWS.
JSON_TYPE = "application/json"
JWS_TYPE = "text/plain"
# Attempts a learner may make per minute (each may fetch from other servers).
ATTEMPTS_PER_MINUTE = 20
# Caps on one pull from another backpack (getCredentials, page by page).
PAGE_SIZE = 50
MAX_PAGES = 10
MAX_CREDENTIALS = 200
MAX_PAGE_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
# Credentials from other issuers one learner may keep, however they came (by hand, from
# another backpack): each is stored and checked by our verifier, which fetches from the network.
_IMAGE_ACCEPT = "application/ld+json, application/json;q=0.9, image/png;q=0.8, */*;q=0.1"


class ImportRefused(Exception):
    """What was given cannot be added; ``field`` is the form field it belongs to."""

    def __init__(self, field: str, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Found:
    """The credential to keep, byte for byte, and the media type it is handed over as."""

    body: bytes
    content_type: str


def _ob2_refusal(field: str) -> ImportRefused:
    return ImportRefused(
        field,
        _(
            "This is an Open Badges 2.0 assertion, not an Open Badges 3.0 credential: the "
            "backpack keeps Open Badges 3.0 credentials only. Our verifier can still check it "
            "on the verify page."
        ),
        "ob2",
    )


def _not_ob3(field: str) -> ImportRefused:
    return ImportRefused(field, _("This is not an Open Badges 3.0 credential."), "not_a_credential")


def _check_document(document: Any, field: str) -> None:
    """Refuse anything but an OB 3.0 credential (an OB 2.0 assertion with its own words)."""
    if not isinstance(document, dict):
        raise _not_ob3(field)
    if ob3.is_ob3(document):
        return
    if ob2.is_ob2(document):
        raise _ob2_refusal(field)
    raise _not_ob3(field)


def _jws_document(token: str) -> Any:
    """The credential a compact JWS / VC-JWT carries (its payload, or the payload's ``vc``)."""
    try:
        header = decode_segment(token.split(".")[0])
        payload = decode_segment(token.split(".")[1])
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return None
    vc = payload.get("vc")
    return vc if isinstance(vc, dict) else payload


def _classify_text(text: str, field: str) -> Found | str:
    """The credential in ``text`` (JSON or JWS), or the address it is (a ``str``)."""
    stripped = text.strip()
    if not stripped:
        raise ImportRefused(field, _("Nothing was given."), "empty")
    if stripped.startswith("{"):
        try:
            document = loads(stripped)
        except (ValueError, RecursionError) as exc:
            raise ImportRefused(field, _("This is not valid JSON."), "invalid_json") from exc
        _check_document(document, field)
        return Found(stripped.encode("utf-8"), JSON_TYPE)
    if JWS_RE.match(stripped):
        document = _jws_document(stripped)
        if document is None:
            raise ImportRefused(field, _("This token cannot be read."), "unreadable")
        _check_document(document, field)
        return Found(stripped.encode("ascii"), JWS_TYPE)
    if URL_RE.match(stripped):
        return stripped
    raise ImportRefused(
        field,
        _("Give an Open Badges 3.0 credential as JSON, as a compact JWS, or its address."),
        "unreadable",
    )


def from_text(text: str, *, field: str = "text") -> Found:
    """The credential pasted as JSON or as a compact JWS (an address is fetched)."""
    if len(text) > MAX_TEXT_CHARS:
        raise ImportRefused(field, _("This text is too long."), "too_large")
    found = _classify_text(text, field)
    return from_url(found, field=field) if isinstance(found, str) else found


def from_image(data: bytes, *, field: str = "file") -> Found:
    """The credential baked into a PNG or SVG, as the text the image holds.

    The type is read from the bytes (never the file name) before anything is parsed, and the
    image is read under the bakery's limits (size, pixels, decompression).
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(field, _too_large_message(), "too_large")
    try:
        bakery.image_type(data)
    except bakery.BakeryError as exc:
        raise ImportRefused(
            field, _("This file is not a PNG or SVG image."), "not_an_image"
        ) from exc
    try:
        baked = bakery.extract(data, max_bytes=MAX_FILE_BYTES)
    except bakery.BakeryError as exc:
        if exc.reason.startswith("no Open Badges data"):
            raise ImportRefused(
                field, _("This image holds no badge."), "no_badge_in_image"
            ) from exc
        if "larger than" in exc.reason:
            raise ImportRefused(field, _too_large_message(), "too_large") from exc
        raise ImportRefused(
            field, _("The badge in this image cannot be read."), "corrupt_image"
        ) from exc
    if baked.version == "2.0":
        raise _ob2_refusal(field)
    if baked.kind == "url":
        return from_url(baked.text, field=field)
    found = _classify_text(baked.text, field)
    if isinstance(found, str):  # (the bakery classifies a URL as "url" already)
        return from_url(found, field=field)
    # The text exactly as the image holds it: that is what was signed.
    return Found(baked.text.encode("utf-8"), found.content_type)


def may_try(user: Any, *, now: float | None = None) -> bool:
    """Count one attempt of ``user`` (a file, an address, a host); False past the limit.

    Each attempt may make this site fetch from other servers, and reads and parses what
    comes back: a learner gets :data:`ATTEMPTS_PER_MINUTE` a minute.
    """
    clock = (lambda: now) if now is not None else time.time
    key = f"backpack-import:{user.pk}"
    return ratelimit.hit(cache, key, ATTEMPTS_PER_MINUTE, 60, clock=clock) is None


def too_many_attempts(field: str) -> ImportRefused:
    return ImportRefused(
        field, _("Too many attempts in a minute. Wait a moment and try again."), "too_many"
    )


def _too_large_message() -> str:
    return _("This file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}


def _fetch_refusal(error: FetchError, field: str) -> ImportRefused:
    if error.kind == "blocked":
        message = _("Only addresses on the public internet can be read.")
    elif error.kind in ("url", "scheme"):
        message = _("This is not a web address (http or https).")
    elif error.kind == "too_large":
        message = _("The address answered with more than %(size)s MB.") % {
            "size": MAX_FILE_BYTES // (1024 * 1024)
        }
    elif error.kind == "timeout":
        message = _("The address took too long to answer.")
    elif error.kind == "busy":
        message = _("Too many addresses are being read right now; try again in a moment.")
    else:
        message = _("The address could not be reached.")
    return ImportRefused(field, message, f"fetch_{error.kind}")


def from_url(url: str, *, field: str = "url") -> Found:
    """The credential an address answers: the response's own bytes (or a baked image's text).

    Fetched only through the verifier's bounded fetcher: public addresses only (unless the
    tests allow loopback), one deadline, a size cap, redirects checked hop by hop.
    """
    url = url.strip()
    if not URL_RE.match(url):
        raise ImportRefused(field, _("This is not a web address (http or https)."), "fetch_url")
    try:
        answer = site.fetch(
            url,
            accept=_IMAGE_ACCEPT,
            max_bytes=MAX_FILE_BYTES,
            timeout=FETCH_TIMEOUT,
            use_cache=False,
        )
    except FetchError as exc:
        raise _fetch_refusal(exc, field) from exc
    except ValueError as exc:  # an answer no parser expected: the address's fault, not ours
        raise _fetch_refusal(FetchError("network", str(exc)[:200], url[:200]), field) from exc
    if not answer.ok:
        raise ImportRefused(
            field,
            _("The address answered with an error (HTTP %(status)s).") % {"status": answer.status},
            "fetch_status",
        )
    body = answer.body
    try:
        bakery.image_type(body)
        is_image = True
    except bakery.BakeryError:
        is_image = False
    if is_image:
        return from_image(body, field=field)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_ob3(field) from exc
    found = _classify_text(text, field)
    if isinstance(found, str):
        raise _not_ob3(field)  # an address that answers with an address: not followed
    # The response's own bytes, as they came (the classification read a decoded copy).
    return Found(body, found.content_type)


def _full_message() -> str:
    return _(
        "Your backpack holds %(count)s credentials from other issuers, the most it keeps. "
        "Remove some to add others."
    ) % {"count": conf.IMPORT_MAX_PER_LEARNER}


def has_room(owner: Any, body: bytes, content_type: str) -> bool:
    """False when ``owner`` keeps ``IMPORT_MAX_PER_LEARNER`` imported credentials and
    ``body`` would be a new one (one already kept may still be replaced)."""
    from credentials.services import imports

    kept = ImportedCredential.objects.filter(owner=owner)
    if kept.count() < conf.IMPORT_MAX_PER_LEARNER:
        return True
    try:
        key = imports.read(body, content_type).key
    except imports.Rejected:
        return True  # not kept anyway: the backpack refuses it with its own reason
    return kept.filter(key=key).exists()


def add(owner: Any, found: Found, *, field: str = "file") -> tuple[ImportedCredential, bool]:
    """Hand ``found`` to the backpack (:func:`credentials.services.imports.upsert`).

    Returns (the imported credential, True when it is new). The backpack's own refusals, and
    a new credential past ``IMPORT_MAX_PER_LEARNER``, become an :class:`ImportRefused`
    on ``field``.
    """
    from credentials.services import imports

    if not has_room(owner, found.body, found.content_type):
        raise ImportRefused(field, _full_message(), "backpack_full")
    try:
        return imports.upsert(owner, found.body, found.content_type)
    except imports.Rejected as exc:
        raise ImportRefused(field, str(exc.description), str(exc.code)) from exc


@dataclass
class Summary:
    """What one pull brought: counts, the refusals with their reasons, the host's word on the
    learner's name (a claim of theirs, never an identity), whether a cap stopped it, and
    whether that cap was the learner's full backpack."""

    host: str
    new: int = 0
    replaced: int = 0
    refused: list[dict[str, str]] = field(default_factory=list)
    name: str = ""
    stopped_early: bool = False
    full: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# --- pulling from another backpack (the OB 3.0 API consumer) ----------------------------------


def _api_get(connection: RemoteConnection, url: str, access_token: str) -> remote_http.Answer:
    try:
        return remote_http.request(
            "GET",
            url,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            max_bytes=MAX_PAGE_BYTES,
        )
    except FetchError as exc:
        raise RemoteError(
            _("The other backpack could not be reached."), f"fetch_{exc.kind}"
        ) from exc


def _refuse(summary: Summary, label: str, reason: str) -> None:
    summary.refused.append({"credential": label[:200], "reason": reason[:300]})


def _keep(connection: RemoteConnection, summary: Summary, body: bytes, content_type: str) -> None:
    from credentials.services import imports

    if not has_room(connection.user, body, content_type):
        summary.full = summary.stopped_early = True
        return
    label = _("credential %(number)s") % {
        "number": summary.new + summary.replaced + len(summary.refused) + 1
    }
    try:
        _row, created = imports.upsert(connection.user, body, content_type)
    except imports.Rejected as exc:
        _refuse(summary, label, str(exc.description))
        return
    if created:
        summary.new += 1
    else:
        summary.replaced += 1


def pull(connection: RemoteConnection, access_token: str) -> Summary:
    """Read the learner's credentials at the host (``getCredentials``, page by page, under the
    caps) and their profile (``getProfile``), and keep each credential as it was sent."""
    host = connection.host
    origin = origin_of(host.api_base_url)
    summary = Summary(host=host.base_url)
    url: str | None = f"{host.api_base_url}/credentials?" + urlencode(
        {"limit": PAGE_SIZE, "offset": 0}
    )
    seen_pages: set[str] = set()
    total_bytes = 0
    taken = 0
    for _page in range(MAX_PAGES):
        if url is None:
            break
        seen_pages.add(url)
        answer = _api_get(connection, url, access_token)
        if not answer.ok:
            raise RemoteError(
                _("The other backpack refused to list your badges (HTTP %(status)s).")
                % {"status": answer.status},
                "api",
            )
        total_bytes += len(answer.body)
        if total_bytes > MAX_TOTAL_BYTES:
            summary.stopped_early = True
            break
        try:
            text = answer.body.decode("utf-8")
            loads(text)
            objects, tokens = remote_http.credential_elements(text)
        except (ValueError, RecursionError) as exc:
            raise RemoteError(
                _("The other backpack's list of badges cannot be read."), "api"
            ) from exc
        for element, content_type in [(o, "application/json") for o in objects] + [
            (t, "text/plain") for t in tokens
        ]:
            if taken >= MAX_CREDENTIALS:
                summary.stopped_early = True
                break
            taken += 1
            _keep(connection, summary, element.encode("utf-8"), content_type)
            if summary.full:
                break
        if summary.stopped_early:
            break
        following = remote_http.next_link(answer.headers.get("link", ""))
        url = urljoin(url, following) if following else None
        if url is not None and (origin_of(url) != origin or url in seen_pages):
            url = None  # a next page elsewhere, or a loop: not followed
    else:
        summary.stopped_early = url is not None
    summary.name = _profile_name(connection, access_token)
    RemoteConnection.objects.filter(pk=connection.pk).update(last_pulled_at=timezone.now())
    return summary


def _profile_name(connection: RemoteConnection, access_token: str) -> str:
    """The name the host's ``getProfile`` gives the learner ('' when it gives none)."""
    try:
        answer = _api_get(connection, f"{connection.host.api_base_url}/profile", access_token)
        profile = loads(answer.body) if answer.ok else None
    except (RemoteError, ValueError, RecursionError):
        return ""
    name = profile.get("name") if isinstance(profile, dict) else None
    return name.strip()[:200] if isinstance(name, str) else ""
