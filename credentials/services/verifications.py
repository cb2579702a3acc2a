"""Who checked our credentials: one fact per credential, verifier and day.

The verify page and the API (``credentials/web``) call :func:`record_check` once the verifier
has answered. It stores a :class:`~credentials.models.VerificationEvent` only when the answer is
a verdict about one of *our* credentials, reached from a genuine copy:

* the verdict is one of :data:`COUNTED_VERDICTS` -- the credential was read, its signature and
  its issuer's key held, and its standing was told (valid, revoked, expired, or genuine but
  issued to another address than the one the verifier entered). "Tampered", "not a badge",
  "unknown issuer" and every error are not checks of our credential;
* the issuer was recognised as one of our institutions, and the credential's address is the
  exact public address of one of *that* institution's awards: a document signed by someone
  else that merely names one of our credentials' addresses counts for nothing;
* the one who checked is not the credential's holder or its institution's staff, signed in:
  looking at one's own credential is not being checked.

A verifier is counted once a day per credential, however often they check (insert-or-ignore
on a unique key: safe to call twice, and under concurrency). The verifier is a keyed hash
(:func:`verifier_key`) of the signed-in account, or of the client's address alone (an IPv6
address by its /64, the block one subscriber is handed), salted with the day: no address is
stored, and one day's keys cannot be joined to the next's. The browser's User-Agent plays no
part: the client chooses it, so a new one each request would be a new "verifier" each time.

The figure shown to issuers (:func:`checks_by_badge`: "checked by N verifiers") counts these
rows. The request counter it replaces (``VerificationCount``, migration 0007) counted every
request, tampered uploads and repeats included, per badge class; it could not be turned into
verifiers and credentials, so migration 0017 drops it.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac

from credentials.issuing import links
from credentials.models import Award, BadgeClass, VerificationEvent

__all__ = [
    "COUNTED_VERDICTS",
    "checks_by_badge",
    "checks_of",
    "client_network",
    "record_check",
    "verifier_key",
]

# Verdicts about a genuine credential: its standing was told.
COUNTED_VERDICTS = frozenset({"valid", "not_recipient", "revoked", "expired"})

# The public addresses of an award: the page (and OB 2.0 assertion) and the other formats.
_AWARD_URL_NAMES = ("award", "award_ob2", "award_ob3")
_KEY_SALT = "credentials.services.verifications.verifier"


def client_network(address: str) -> str:
    """The network a client address stands for: an IPv4 address itself, an IPv6 address its
    /64 (one subscriber's block, from which they may use any address). Anything unparsable
    is kept as it is (an empty or "unknown" address is one client)."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def verifier_key(*, day: date, user_id: int | None = None, address: str = "") -> str:
    """Who checked, as a keyed hash salted with ``day`` (64 hex characters, no raw data).

    A signed-in account is itself (wherever it checks from); anyone else is their client
    address (:func:`client_network`), never the browser's User-Agent, which the client
    chooses. Keyed with ``SECRET_KEY``: nobody without it can test an address.
    """
    who = f"user:{user_id}" if user_id is not None else f"client:{client_network(address)}"
    return salted_hmac(_KEY_SALT, f"{day.isoformat()}|{who}", algorithm="sha256").hexdigest()


def our_award(credential_id: str, issuer_id: str) -> Award | None:
    """The award whose exact public address is ``credential_id``, if ``issuer_id`` is the exact
    address of its own institution; else None."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(credential_id or "")
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc) or parts.query:
        return None
    match = links.resolve(parts.path)
    if match is None:
        return None
    public_id = match.kwargs.get("public_id")
    if match.namespace != "credentials" or match.url_name not in _AWARD_URL_NAMES:
        return None
    try:
        wanted = uuid.UUID(str(public_id))
    except ValueError:
        return None
    award = Award.objects.select_related("badge_class__issuer").filter(public_id=wanted).first()
    if award is None or credential_id != links.absolute(match.url_name, public_id=wanted):
        return None
    issuer = award.badge_class.issuer
    if issuer_id not in (links.issuer_profile_url(issuer), links.issuer_ob2_url(issuer)):
        return None
    return award


def _own(award: Award, user) -> bool:
    """True when ``user`` (signed in) holds ``award`` or acts for its institution."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if award.recipient_id == user.pk:
        return True
    return award.badge_class.issuer.staff.filter(pk=user.pk).exists()


def record_check(
    *,
    credential_id: str,
    issuer_id: str,
    verdict: str,
    verifier: str,
    user=None,
    day: date | None = None,
) -> bool:
    """Count that ``verifier`` checked our credential at ``credential_id`` today (or on ``day``).

    ``issuer_id`` is the issuer the verifier recognised as one of our institutions ("" if it
    did not), ``verdict`` its verdict. Returns True when a new check was counted; False when
    it does not count (see the module) or this verifier was already counted today.
    """
    if verdict not in COUNTED_VERDICTS or not issuer_id or not verifier:
        return False
    award = our_award(credential_id, issuer_id)
    if award is None or _own(award, user):
        return False
    try:
        with transaction.atomic():
            _event, created = VerificationEvent.objects.get_or_create(
                award=award,
                day=day or timezone.localdate(),
                verifier=verifier,
                defaults={"verdict": verdict},
            )
    except IntegrityError:  # the same verifier's other request counted it a moment ago
        return False
    return created


def checks_of(award: Award) -> int:
    """How many times a verifier checked ``award`` (one a day per verifier)."""
    return VerificationEvent.objects.filter(award=award).count()


def checks_by_badge(badges: Iterable[BadgeClass]) -> dict[int, int]:
    """How many verifier-days checked each badge's credentials, by badge pk, in one query."""
    rows = (
        VerificationEvent.objects.filter(award__badge_class__in=list(badges))
        .values("award__badge_class")
        .annotate(total=Count("pk"))
    )
    return {row["award__badge_class"]: row["total"] for row in rows}
