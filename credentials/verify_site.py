"""What the verifier may ask this platform: the one place it touches the database.

:mod:`credentials.verification` verifies from documents, as an outsider would. Two facts only
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

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

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
    """A name folded for comparison: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


class SiteRecords:
    """The platform's records, read through Django (the default for :func:`verify`)."""

    def site_origin(self) -> tuple[str, str] | None:
        parts = urlsplit(getattr(settings, "SITE_URL", "") or "")
        if not parts.scheme or not parts.netloc:
            return None
        return parts.scheme.lower(), parts.netloc.lower()

    def is_site_address(self, url: str) -> bool:
        """True when ``url`` is on this platform's own origin, or a did:web of its host.

        A ``did:web`` resolves to a ``did.json`` under its host, and an editor can upload a
        file of that name to the document library: a did:web of our host is ours or nobody's.
        """
        origin = self.site_origin()
        if origin is None:
            return False
        if (url or "").startswith("did:web:"):
            host = unquote(url[len("did:web:") :].split("#", 1)[0].split(":", 1)[0]).lower()
            return host == origin[1] or host == origin[1].split(":", 1)[0]
        parts = urlsplit(url or "")
        return (parts.scheme.lower(), parts.netloc.lower()) == origin

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

    def issuer(self, issuer_id: str) -> KnownIssuer | None:
        """The institution whose OB 2.0 Issuer or OB 3.0 Profile address is ``issuer_id``."""
        route = self._route(issuer_id)
        if route is None or route[0] not in _ISSUER_URL_NAMES:
            return None
        from .models import Issuer

        found = Issuer.objects.filter(public_id=uuid.UUID(route[1])).first()
        if found is None:
            return None
        return KnownIssuer(
            public_id=str(found.public_id),
            name=found.name,
            url=found.url,
            page=settings.SITE_URL + found.get_absolute_url(),
        )

    def issuer_named(self, name: str) -> KnownIssuer | None:
        """An institution of this platform whose name is ``name`` (compared loosely)."""
        wanted = normalise_name(name)
        if not wanted:
            return None
        from .models import Issuer

        for public_id, issuer_name, url, slug in Issuer.objects.values_list(
            "public_id", "name", "url", "slug"
        ):
            if normalise_name(issuer_name) == wanted:
                from django.urls import reverse

                page = settings.SITE_URL + reverse("credentials:issuer", kwargs={"slug": slug})
                return KnownIssuer(str(public_id), issuer_name, url, page)
        return None

    def award_status(self, credential_id: str) -> AwardStatus | None:
        """Our record of the award whose public address is ``credential_id``, if it is ours."""
        route = self._route(credential_id)
        if route is None or route[0] not in _AWARD_URL_NAMES:
            return None
        from .models import Award

        award = (
            Award.objects.filter(public_id=uuid.UUID(route[1]))
            .select_related("badge_class__issuer")
            .first()
        )
        if award is None:
            return None
        revoked_at: datetime | None = award.revoked_at
        return AwardStatus(
            issuer_public_id=str(award.badge_class.issuer.public_id),
            revoked=revoked_at is not None,
            reason=award.revocation_reason if revoked_at else "",
            date=revoked_at.isoformat() if revoked_at else "",
        )
