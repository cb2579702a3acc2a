"""What the verifier may ask this platform: the one place it touches the database.

:mod:`credentials.verify.engine` verifies from documents, as an outsider would. Two facts only
this platform can give it, and it receives them through a :class:`SiteRecords` object:

* **who our institutions are** -- an issuer id under ``SITE_URL`` is one of ours only if it is
  the OB 2.0 Issuer or OB 3.0 Profile address of an :class:`~credentials.models.Issuer`; the
  platform vouches for those names, and a stranger calling itself by one of them is an
  impersonation;
* **whether one of our own credentials is revoked right now** -- read from our records, so a
  revocation shows at once, whatever any cache holds.

Tests hand the verifier their own object with the same three methods.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlsplit

from anyascii import anyascii
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, resolve

from credentials.verify.fetch import did_web_host, origin_of

__all__ = ["AwardStatus", "KnownIssuer", "SiteRecords", "normalise_name"]

_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_ISSUER_URL_NAMES = frozenset({"issuer_ob2", "issuer_profile"})
_AWARD_URL_NAMES = frozenset(
    {"award", "award_ob2", "award_ob2_signed", "award_ob3", "award_jwt", "award_pdf"}
)


@dataclass(frozen=True)
class KnownIssuer:
    """An institution of this platform, as the platform knows it."""

    public_id: str
    name: str
    url: str  # its website
    page: str  # its page on this platform (absolute)


@dataclass(frozen=True)
class AwardStatus:
    """One of our own awards, as our records hold it now."""

    issuer_public_id: str
    revoked: bool
    reason: str = ""
    date: str = ""


def normalise_name(name: str) -> str:
    """A name's skeleton for comparison: what a reader would take for the same name.

    Invisible characters (soft hyphens, zero-width spaces: Unicode category Cf) are dropped,
    letters are reduced to their ASCII look-alikes (a Cyrillic "о", a Greek "Ν", an "ö" all
    read as Latin), and case, punctuation and spacing are ignored.
    """
    text = "".join(c for c in unicodedata.normalize("NFKC", name or "") if not _invisible(c))
    text = anyascii(text).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Mn", "Me", "Cc")


ISSUER_CACHE_SECONDS = 3600
_NAMES_CACHE_KEY = "verify-site:issuer-names"


def _issuer_cache_key(issuer_id: str) -> str:
    return "verify-site:issuer:" + hashlib.sha256(issuer_id.encode()).hexdigest()


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
    return f"verify-site:award:{public_id}"


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
    """The platform's records, read through Django (the default for :func:`verify`)."""

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
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
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
