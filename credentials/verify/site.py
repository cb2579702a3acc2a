"""The site adapter: the one module of the verifier that touches Django and our models.

:mod:`credentials.verify.engine` verifies from documents, as an outsider would, and is handed
everything it needs. This module builds the real things from Django, our models and
``credentials.conf``, and hands them over in :func:`verify`:

* **the fetcher** (:func:`fetcher`, :func:`fetch`): :class:`credentials.verify.fetch.Fetcher`
  with the ``VERIFY_FETCH_*`` settings and ``VERIFY_ALLOW_PRIVATE_FETCH``, Django's cache, and
  our own site (``SITE_URL``) served in-process through Django's request handler -- the same
  views an outsider would reach over HTTP -- unless ``VERIFY_FETCH_IN_PROCESS`` is False;
* **the site's records** (:class:`SiteRecords`): who our institutions are -- an issuer id under
  ``SITE_URL`` is one of ours only if it is the OB 2.0 Issuer or OB 3.0 Profile address of an
  :class:`~credentials.models.Issuer` -- and whether one of our own credentials is revoked right
  now, read from our records so a revocation shows at once, whatever any cache holds;
* **the cache** (Django's), **the settings' values** (:func:`verifier_settings`) and **the
  clock** (Django's ``timezone.now``).

Who checked which of our credentials is counted by the web layer, once the verdict is in
(:mod:`credentials.services.verifications`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from credentials.conf import settings as conf
from credentials.verify import engine, results
from credentials.verify.context import Settings
from credentials.verify.fetch import Fetcher, FetchError, FetchResult, did_web_host, origin_of
from credentials.verify.network import REDIRECTS, USER_AGENT, Hop, media_type
from credentials.verify.records import AwardStatus, KnownIssuer, normalise_name
from credentials.verify.results import VerificationResult

__all__ = [
    "AwardStatus",
    "KnownIssuer",
    "SiteRecords",
    "fetch",
    "fetcher",
    "forget_award",
    "forget_issuer",
    "id_lookup_fetcher",
    "normalise_name",
    "verifier_settings",
    "verify",
]

results.use_translation(gettext)  # what a person reads, in the request's language

_ISSUER_URL_NAMES = frozenset({"issuer_ob2", "issuer_profile"})
_AWARD_URL_NAMES = frozenset(
    {"award", "award_ob2", "award_ob2_signed", "award_ob3", "award_jwt", "award_pdf"}
)


# --- what the verifier is handed ------------------------------------------------------------


def verify(
    source: bytes | str,
    *,
    email: str | None = None,
    fetcher: Callable[..., FetchResult] | None = None,
    records: SiteRecords | None = None,
) -> VerificationResult:
    """Verify ``source`` as this site does (:func:`credentials.verify.engine.verify`), handed
    the real fetcher, our records, Django's cache, the settings and the clock.

    ``fetcher`` and ``records`` replace the real ones (tests). Never raises for bad input.
    """
    return engine.verify(
        source,
        email=email,
        fetcher=fetcher or fetch,
        records=records or SiteRecords(),
        cache=cache,
        settings=verifier_settings(),
        clock=timezone.now,
    )


def verifier_settings() -> Settings:
    """The values of the verifier's settings, as ``credentials.conf`` reads them now."""
    return Settings(
        allow_private_fetch=bool(conf.VERIFY_ALLOW_PRIVATE_FETCH),
        fetch_cache_seconds=conf.VERIFY_FETCH_CACHE_SECONDS,
        status_cache_seconds=conf.VERIFY_STATUS_CACHE_SECONDS,
    )


class _OwnSite:
    """Our own ``SITE_URL`` origin, served in-process (see :func:`_in_process_hop`)."""

    def __init__(self, site_url: str) -> None:
        self.origin = origin_of(site_url)

    def serves(self, url: str) -> bool:
        """True for our own SITE_URL origin, however it is spelled (default port, trailing dot)."""
        return self.origin is not None and origin_of(url) == self.origin

    def get(self, url: str, accept: str, max_bytes: int) -> Hop:
        return _in_process_hop(url, accept, max_bytes)


def _in_process_hop(url: str, accept: str, max_bytes: int) -> Hop:
    """Serve one of our own URLs through Django's handler (the same views as over HTTP)."""
    from django.test import Client  # a request handler without a socket

    parts = urlsplit(url)
    client = Client(raise_request_exception=False, HTTP_HOST=parts.netloc)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    # The handler activates the language of the request it serves: the page that asked keeps
    # its own once the document is read.
    with translation.override(translation.get_language()):
        response = client.get(
            target,
            HTTP_ACCEPT=accept,
            HTTP_USER_AGENT=USER_AGENT,
            secure=parts.scheme == "https",
        )
    if response.status_code in REDIRECTS:
        return response.status_code, "", b"", response.get("Location")
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if len(body) > max_bytes:
        raise FetchError("too_large", f"the document is larger than {max_bytes} bytes", url)
    return response.status_code, media_type(response.get("Content-Type")), body, None


def fetcher() -> Fetcher:
    """The real fetcher, as the settings read now: Django's cache, our site in-process."""
    in_process = conf.VERIFY_FETCH_IN_PROCESS
    return Fetcher(
        allow_private=bool(conf.VERIFY_ALLOW_PRIVATE_FETCH),
        cache=cache,
        cache_seconds=conf.VERIFY_FETCH_CACHE_SECONDS,
        max_concurrent=conf.VERIFY_FETCH_MAX_CONCURRENT,
        max_per_client=conf.VERIFY_FETCH_MAX_PER_CLIENT,
        own_site=_OwnSite(getattr(settings, "SITE_URL", "") or "") if in_process else None,
    )


def fetch(url: str, **options: Any) -> FetchResult:
    """GET ``url`` with the real fetcher (see :class:`credentials.verify.fetch.Fetcher`)."""
    return fetcher()(url, **options)


def id_lookup_fetcher(public_id: str, *, visible: bool) -> Callable[..., FetchResult]:
    """The fetcher for looking up a *private* award by its id (``/verify/?id=``, the API's
    ``id``): the real one, except for that award's own addresses.

    Hidden (``visible=False``: anyone but the learner and the issuer's staff, which the web
    layer decides): each of its addresses answers 404, exactly as an unknown award's does, so
    the answer does not tell that it exists. Visible: its OB 3.0 credential is read from our
    records, since the anonymous in-process request may be refused it.
    """
    from credentials.issuing import links, openbadges3
    from credentials.issuing.signing import sign_award
    from credentials.models import Award

    wanted = str(uuid.UUID(public_id))
    credential_url = links.absolute("award_ob3", public_id=wanted)
    records = SiteRecords()

    def fetch_for_lookup(url: str, **options: Any) -> FetchResult:
        route = records._route(url)
        if route is None or route[1] != wanted or not route[0].startswith("award"):
            return fetch(url, **options)
        if not visible:
            return FetchResult(url=url, status=404, content_type="text/html", body=b"")
        if url != credential_url:
            return fetch(url, **options)
        award = sign_award(
            Award.objects.select_related("badge_class__issuer").get(public_id=wanted)
        )
        body = json.dumps(award.ob3_credential, ensure_ascii=False).encode("utf-8")
        return FetchResult(url=url, status=200, content_type=openbadges3.CONTENT_TYPE, body=body)

    return fetch_for_lookup


# --- the site's records -------------------------------------------------------------------

ISSUER_CACHE_SECONDS = 3600
# Keys are versioned: the cached objects are pickled with their class's module, and that moved
# (credentials.verify_site → credentials.verify.records). A release never reads what another
# release cached under the same key, so a rolling deploy cannot turn a valid credential into
# "could not be read".
_NAMES_CACHE_KEY = "verify-site:v2:issuer-names"


def _issuer_cache_key(issuer_id: str) -> str:
    return "verify-site:v2:issuer:" + hashlib.sha256(issuer_id.encode()).hexdigest()


def _read_issuer(issuer_id: str, public_id: uuid.UUID) -> dict[str, Any]:
    """The cache entry of an institution id ({} when it is not exactly one of ours)."""
    from credentials.issuing import links, openbadges3
    from credentials.models import Issuer

    found = Issuer.objects.filter(public_id=public_id).prefetch_related("keys").first()
    if found is None or issuer_id not in (
        links.issuer_profile_url(found),
        links.issuer_ob2_url(found),
    ):
        return {}  # only the exact address we publish is the institution's id
    is_profile = issuer_id == links.issuer_profile_url(found)
    return {
        "public_id": str(found.public_id),
        "name": found.name,
        "url": found.url,
        "page": settings.SITE_URL + found.get_absolute_url(),
        "profile": openbadges3.profile_document(found) if is_profile else None,
    }


def _read_names() -> dict[str, tuple[str, str, str, str]]:
    """Every institution by the skeleton of its name: (public id, name, website, page)."""
    from django.urls import reverse

    from credentials.models import Issuer

    return {
        normalise_name(name): (
            str(public_id),
            name,
            url,
            settings.SITE_URL + reverse("credentials:issuer", kwargs={"slug": slug}),
        )
        for public_id, name, url, slug in Issuer.objects.values_list(
            "public_id", "name", "url", "slug"
        )
    }


AWARD_CACHE_SECONDS = 300


def _award_cache_key(public_id: str) -> str:
    return f"verify-site:v2:award:{public_id}"


def _read_award(public_id: uuid.UUID) -> AwardStatus | None:
    from credentials.models import Award

    row = (
        Award.objects.filter(public_id=public_id)
        .values_list("badge_class__issuer__public_id", "revoked_at", "revocation_reason")
        .first()
    )
    if row is None:
        return None
    issuer_public_id, revoked_at, reason = row
    revoked_at = cast(datetime | None, revoked_at)
    return AwardStatus(
        issuer_public_id=str(issuer_public_id),
        revoked=revoked_at is not None,
        reason=reason if revoked_at else "",
        date=revoked_at.isoformat() if revoked_at else "",
    )


def forget_award(award: Any) -> None:
    """Drop the verifier's record of ``award`` now and once the transaction commits."""
    key = _award_cache_key(str(award.public_id))
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_issuer(issuer: Any) -> None:
    """Drop what the verifier keeps of ``issuer`` once the current transaction commits."""
    from credentials.issuing import links

    keys = [
        _issuer_cache_key(links.issuer_profile_url(issuer)),
        _issuer_cache_key(links.issuer_ob2_url(issuer)),
        _NAMES_CACHE_KEY,
    ]
    # Now, for readers inside this transaction; and again on commit, in case another process
    # read the old state in between and cached it.
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _host(netloc: str) -> str:
    return netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc


class SiteRecords:
    """The platform's records, read through Django (the default for :func:`verify`): the
    :class:`credentials.verify.records.Records` the verifier asks."""

    def site_origin(self) -> tuple[str, str] | None:
        """(scheme, host[:port]) of SITE_URL, spelled as :func:`origin_of` spells origins."""
        return origin_of(getattr(settings, "SITE_URL", "") or "")

    def is_site_address(self, url: str) -> bool:
        """True when ``url`` is on this platform's own origin, or a did:web of its host.

        Origins are compared as a browser would reach them (case, a trailing dot and the
        default port ignored). A ``did:web`` resolves to a ``did.json`` under its host over
        https, and an editor can upload a file of that name to the document library: a
        did:web of our host is ours or nobody's.
        """
        origin = self.site_origin()
        if origin is None or not url:
            return False
        if url.startswith("did:web:"):
            did_origin = origin_of("https://" + did_web_host(url))
            return did_origin is not None and did_origin[1] in (origin[1], _host(origin[1]))
        return origin_of(url) == origin

    def _route(self, url: str) -> tuple[str, str] | None:
        """(URL name, public id) of one of our credential URLs, else None."""
        if not self.is_site_address(url):
            return None
        from credentials.issuing import links

        match = links.resolve(urlsplit(url).path)
        if match is None:
            return None
        if match.namespace != "credentials":
            return None
        public_id = match.kwargs.get("public_id")
        return (match.url_name or "", str(public_id)) if public_id else None

    def __init__(self) -> None:
        # One verification asks about the same issuer several times: read it once.
        self._issuers: dict[str, dict[str, Any] | None] = {}

    def _issuer_entry(self, issuer_id: str) -> dict[str, Any] | None:
        """What we know of the institution whose id is exactly ``issuer_id`` (else None).

        Kept in the cache until the institution or one of its keys changes
        (:func:`forget_issuer`, on commit): its name, website, page and published Profile.
        """
        if issuer_id in self._issuers:
            return self._issuers[issuer_id]
        entry: dict[str, Any] | None = None
        route = self._route(issuer_id)
        if route is not None and route[0] in _ISSUER_URL_NAMES:
            key = _issuer_cache_key(issuer_id)
            cached = cache.get(key)
            if cached is None:
                cached = _read_issuer(issuer_id, uuid.UUID(route[1]))
                cache.set(key, cached, ISSUER_CACHE_SECONDS)
            entry = cached or None
        self._issuers[issuer_id] = entry
        return entry

    def issuer(self, issuer_id: str) -> KnownIssuer | None:
        """The institution whose OB 2.0 Issuer or OB 3.0 Profile address is ``issuer_id``."""
        entry = self._issuer_entry(issuer_id)
        if entry is None:
            return None
        return KnownIssuer(
            public_id=entry["public_id"], name=entry["name"], url=entry["url"], page=entry["page"]
        )

    def published_profile(self, issuer_id: str) -> dict[str, Any] | None:
        """The OB 3.0 Profile one of our institutions publishes at ``issuer_id``, if it is one.

        The very document ``/credentials/issuers/<uuid>/profile`` serves, built without a
        round trip through the request handler: the verifier reads our institutions' keys
        from what they publish, as it does anyone's.
        """
        entry = self._issuer_entry(issuer_id)
        return None if entry is None else entry["profile"]

    def issuer_named(self, name: str) -> KnownIssuer | None:
        """An institution of this platform whose name reads as ``name`` (its skeleton)."""
        wanted = normalise_name(name)
        if not wanted:
            return None
        names = cache.get(_NAMES_CACHE_KEY)
        if names is None:
            names = _read_names()
            cache.set(_NAMES_CACHE_KEY, names, ISSUER_CACHE_SECONDS)
        found = names.get(wanted)
        return KnownIssuer(*found) if found else None

    def badge_issuer(self, achievement_id: str) -> str | None:
        """The public id of the institution whose badge class has ``achievement_id``."""
        route = self._route(achievement_id)
        if route is None or route[0] != "badge_ob2":
            return None
        from credentials.models import BadgeClass

        found = (
            BadgeClass.objects.filter(public_id=uuid.UUID(route[1]))
            .values_list("issuer__public_id", flat=True)
            .first()
        )
        return str(found) if found else None

    def endorsement_withdrawn(self, endorsement_id: str) -> bool | None:
        """Whether one of our endorsements was withdrawn (None: not one of ours)."""
        route = self._route(endorsement_id)
        if route is None or route[0] not in ("endorsement_ob2", "endorsement_ob3"):
            return None
        from credentials.models import Endorsement

        found = Endorsement.objects.filter(public_id=uuid.UUID(route[1])).first()
        return None if found is None else found.withdrawn_at is not None

    def award_status(self, credential_id: str) -> AwardStatus | None:
        """Our record of the award whose public address is ``credential_id``, if it is ours.

        Cached until the award changes (:func:`forget_award`, called when an award is saved
        with its revocation fields: :func:`credentials.services.revoke` does), so a
        revocation shows at the next check; the cache time is only a safety net.
        """
        route = self._route(credential_id)
        if route is None or route[0] not in _AWARD_URL_NAMES:
            return None
        key = _award_cache_key(route[1])
        cached = cache.get(key)
        if cached is None:
            cached = _read_award(uuid.UUID(route[1]))
            if cached is not None:
                cache.set(key, cached, AWARD_CACHE_SECONDS)
        return cached

    def award_url(self, public_id: str) -> str:
        """The public URL of one of our awards' OB 3.0 credential, from its UUID."""
        from credentials.issuing import links

        return links.absolute("award_ob3", public_id=public_id)
