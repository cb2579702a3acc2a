"""What the verifier may ask the site it runs on, and how the answers look.

The verifier checks documents as an outsider would; two facts only the platform can give it,
and it receives them through a :class:`Records` object (the site adapter's
:class:`credentials.verify.site.SiteRecords` reads them from our database; tests may hand their
own):

* **who our institutions are** -- an issuer id under ``SITE_URL`` is one of ours only if it is
  the OB 2.0 Issuer or OB 3.0 Profile address of one of them; the platform vouches for those
  names, and a stranger calling itself by one of them is an impersonation;
* **whether one of our own credentials is revoked right now** -- read from our records, so a
  revocation shows at once, whatever any cache holds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from anyascii import anyascii

__all__ = ["AwardStatus", "KnownIssuer", "Records", "normalise_name"]


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


class Records(Protocol):
    """The platform's answers to the verifier's questions."""

    def is_site_address(self, url: str) -> bool:
        """True when ``url`` is on this platform's own origin, or a did:web of its host."""
        ...

    def issuer(self, issuer_id: str) -> KnownIssuer | None:
        """The institution whose OB 2.0 Issuer or OB 3.0 Profile address is ``issuer_id``."""
        ...

    def published_profile(self, issuer_id: str) -> dict[str, Any] | None:
        """The OB 3.0 Profile one of our institutions publishes at ``issuer_id``, if it is one."""
        ...

    def issuer_named(self, name: str) -> KnownIssuer | None:
        """An institution of this platform whose name reads as ``name`` (its skeleton)."""
        ...

    def badge_issuer(self, achievement_id: str) -> str | None:
        """The public id of the institution whose badge class has ``achievement_id``."""
        ...

    def endorsement_withdrawn(self, endorsement_id: str) -> bool | None:
        """Whether one of our endorsements was withdrawn (None: not one of ours)."""
        ...

    def award_status(self, credential_id: str) -> AwardStatus | None:
        """Our record of the award whose public address is ``credential_id``, if it is ours."""
        ...

    def award_url(self, public_id: str) -> str:
        """The public address of one of our awards' OB 3.0 credential, from its UUID."""
        ...


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
