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

from anyascii import anyascii
from django.conf import settings
from django.urls import Resolver404, resolve

from .fetch import origin_of

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
            host = unquote(url[len("did:web:") :].split("#", 1)[0].split(":", 1)[0])
            did_origin = origin_of("https://" + host)
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

    def issuer(self, issuer_id: str) -> KnownIssuer | None:
        """The institution whose OB 2.0 Issuer or OB 3.0 Profile address is ``issuer_id``."""
        route = self._route(issuer_id)
        if route is None or route[0] not in _ISSUER_URL_NAMES:
            return None
        from .models import Issuer

        found = Issuer.objects.filter(public_id=uuid.UUID(route[1])).first()
        if found is None:
            return None
        from . import links

        if issuer_id not in (links.issuer_profile_url(found), links.issuer_ob2_url(found)):
            return None  # only the exact address we publish is the institution's id
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

    def badge_issuer(self, achievement_id: str) -> str | None:
        """The public id of the institution whose badge class has ``achievement_id``."""
        route = self._route(achievement_id)
        if route is None or route[0] != "badge_ob2":
            return None
        from .models import BadgeClass

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
        from .models import Endorsement

        found = Endorsement.objects.filter(public_id=uuid.UUID(route[1])).first()
        return None if found is None else found.withdrawn_at is not None

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
