"""OpenID4VCI: a learner offers their award to a wallet; the wallet redeems it.

* ``create_offer`` — the award's holder only; a signed, unrevoked award. Idempotent: while the
  learner's last offer of the award is still usable, a second click returns it (no second
  e-mail); ``renew=True`` retires it and makes a new one. The pre-authorised code is derived
  from the offer's id with the server secret (HMAC), so the offer can be served by reference
  and its page drawn again without storing the code; only its SHA-256 is stored (for lookup).
  The 6-digit tx code is e-mailed once, after the offer is committed, and stored as an HMAC.
  If the e-mail cannot be sent the offer is deleted and ``MailNotSent`` raised: no offer is
  left whose code nobody has, and the next click makes a new one.
* ``redeem`` — the token endpoint's work: code + tx code → an access token (stored hashed),
  once; ``MAX_ATTEMPTS`` wrong tx codes kill the offer.
* ``new_nonce`` / ``consume_nonce`` — single-use ``c_nonce`` values (hashed).
* ``issue`` — the credential endpoint's work: token, key proof, nonce, one credential per
  format per offer, both formats bound to the same holder.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credentials.issuing import bound, openbadges3
from credentials.models import Award
from credentials.models.editions import in_language
from credentials.models.wallets import WalletCredential, WalletNonce, WalletOffer
from credentials.standards import oid4vci
from lib.i18n import in_language_of

OFFER_LIFETIME = timedelta(minutes=10)
TOKEN_LIFETIME = timedelta(minutes=10)
NONCE_LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5

log = logging.getLogger(__name__)


class WalletError(Exception):
    """A request we refuse: ``code`` is the OAuth / OpenID4VCI error code."""

    def __init__(self, code: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.code, self.description, self.status = code, description, status


class MailNotSent(ValueError):
    """The tx code could not be e-mailed; the offer was not kept."""


# --- secrets -------------------------------------------------------------------------------


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _hmac(purpose: str, value: str) -> str:
    key = hashlib.sha256(f"wallet:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def pre_authorized_code(offer: WalletOffer) -> str:
    """The offer's pre-authorised code: 256 bits only the server secret can derive."""
    return _hmac("pre-authorized-code", str(offer.public_id))


def _tx_hash(offer: WalletOffer, tx_code: str) -> str:
    return _hmac("tx-code", f"{offer.public_id}:{tx_code}")


def issuer_id() -> str:
    return settings.SITE_URL.rstrip("/")


# --- offers --------------------------------------------------------------------------------


def offer_state(offer: WalletOffer, now=None) -> str:
    """``live``, ``used``, ``blocked`` (too many wrong codes), ``expired`` or ``revoked``."""
    now = now or timezone.now()
    if offer.award.revoked_at is not None:
        return "revoked"
    if offer.redeemed_at is not None:
        return "used"
    if offer.tx_code_attempts >= MAX_ATTEMPTS:
        return "blocked"
    if offer.expires_at <= now:
        return "expired"
    return "live"


def may_offer(award: Award) -> bool:
    return award.signed_at is not None and award.revoked_at is None


def _live(award: Award, user, now) -> WalletOffer | None:
    return (
        WalletOffer.objects.filter(
            award=award,
            created_by=user,
            redeemed_at=None,
            expires_at__gt=now,
            tx_code_attempts__lt=MAX_ATTEMPTS,
        )
        .order_by("-created_at")
        .first()
    )


def create_offer(award: Award, by, renew: bool = False) -> tuple[WalletOffer, bool]:
    """A usable offer of ``award`` for its holder ``by``; ``(offer, created)``."""
    if not by.is_authenticated or award.recipient_id != by.pk:
        raise PermissionError(_("Only the person who holds a credential may add it to a wallet."))
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if not may_offer(locked):
            raise ValueError(_("Only a signed credential that stands can go into a wallet."))
        now = timezone.now()
        existing = _live(locked, by, now)
        if existing is not None and not renew:
            return existing, False
        if existing is not None:
            WalletOffer.objects.filter(pk=existing.pk).update(expires_at=now)
        offer = WalletOffer(award=locked, created_by=by, expires_at=now + OFFER_LIFETIME)
        tx_code = f"{secrets.randbelow(10**oid4vci.TX_CODE_LENGTH):0{oid4vci.TX_CODE_LENGTH}d}"
        offer.code_hash = _sha256(pre_authorized_code(offer))
        offer.tx_code_hash = _tx_hash(offer, tx_code)
        offer.save()
    try:
        send_tx_code_email(offer.pk, tx_code)
    except Exception as error:  # any transport failure: SMTP, DNS, a refused connection
        log.warning("wallet offer %s: the tx code e-mail failed: %r", offer.public_id, error)
        WalletOffer.objects.filter(pk=offer.pk, redeemed_at=None).delete()
        raise MailNotSent(
            _(
                "We could not send the e-mail with your code, so no offer was made. "
                "Please try again in a few minutes."
            )
        ) from error
    return offer, True


def offer_uri(offer: WalletOffer) -> str:
    return issuer_id() + reverse("wallet:offer", kwargs={"public_id": offer.public_id})


def deep_link(offer: WalletOffer) -> str:
    from urllib.parse import urlencode

    return "openid-credential-offer://?" + urlencode({"credential_offer_uri": offer_uri(offer)})


def offer_document(offer: WalletOffer) -> dict[str, Any] | None:
    """The Credential Offer served by reference, or None once it cannot be used."""
    if offer_state(offer) != "live":
        return None
    with in_language_of(offer.award.recipient):
        description = _("The 6-digit code we sent to your e-mail address")
    return oid4vci.credential_offer(
        issuer=issuer_id(),
        pre_authorized_code=pre_authorized_code(offer),
        tx_description=description,
    )


def holder_address(award: Award) -> str:
    return (award.recipient.email if award.recipient else "") or award.recipient_email


def masked(address: str) -> str:
    """``a•••@example.org``: enough to recognise one's address, not to read it off a screen."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


def send_tx_code_email(offer_pk: int, tx_code: str) -> None:
    offer = WalletOffer.objects.select_related(
        "award__badge_class__issuer", "award__recipient"
    ).get(pk=offer_pk)
    award = offer.award
    with in_language_of(award.recipient):
        badge = in_language(award.badge_class)
        context = {
            "badge": badge,
            "issuer": award.badge_class.issuer,
            "name": award.recipient.get_short_name() if award.recipient else "",
            "tx_code": tx_code,
            "minutes": int(OFFER_LIFETIME.total_seconds() // 60),
            "SITE_NAME": settings.WAGTAIL_SITE_NAME,
            "SITE_URL": settings.SITE_URL,
        }
        subject = " ".join(
            render_to_string("credentials/email/wallet_code_subject.txt", context).split()
        )
        message = EmailMultiAlternatives(
            subject,
            render_to_string("credentials/email/wallet_code.txt", context),
            to=[holder_address(award)],
        )
        message.attach_alternative(
            render_to_string("credentials/email/wallet_code.html", context), "text/html"
        )
    message.send()


# --- token ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int


def redeem(code: str, tx_code: str) -> AccessToken:
    """Trade the pre-authorised code and the tx code for an access token, once."""
    if not isinstance(code, str) or not code or len(code) > 200:
        raise WalletError("invalid_request", "pre-authorized_code is missing or malformed")
    if not isinstance(tx_code, str) or not tx_code or len(tx_code) > 50:
        raise WalletError("invalid_request", "tx_code is missing or malformed")
    now = timezone.now()
    with transaction.atomic():
        offer = (
            WalletOffer.objects.select_for_update()
            .select_related("award")
            .filter(code_hash=_sha256(code))
            .first()
        )
        if offer is None:
            raise WalletError("invalid_grant", "unknown pre-authorized_code")
        state = offer_state(offer, now)
        if state != "live":
            raise WalletError("invalid_grant", f"the offer cannot be used ({state})")
        if not hmac.compare_digest(offer.tx_code_hash, _tx_hash(offer, tx_code)):
            offer.tx_code_attempts += 1
            offer.save(update_fields=["tx_code_attempts"])
            wrong = True
        else:
            wrong = False
            token = secrets.token_urlsafe(32)
            offer.redeemed_at = now
            offer.token_hash = _sha256(token)
            offer.token_expires_at = now + TOKEN_LIFETIME
            offer.save(update_fields=["redeemed_at", "token_hash", "token_expires_at"])
    if wrong:  # outside the block: the wrong attempt is committed
        raise WalletError("invalid_grant", "wrong tx_code")
    return AccessToken(token=token, expires_in=int(TOKEN_LIFETIME.total_seconds()))


# --- nonces --------------------------------------------------------------------------------


def new_nonce() -> str:
    nonce = secrets.token_urlsafe(32)
    now = timezone.now()
    WalletNonce.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    WalletNonce.objects.create(nonce_hash=_sha256(nonce), expires_at=now + NONCE_LIFETIME)
    return nonce


def consume_nonce(nonce: str) -> bool:
    """Mark ``nonce`` used; False if we never gave it, it expired or it was used."""
    now = timezone.now()
    return bool(
        WalletNonce.objects.filter(
            nonce_hash=_sha256(nonce), used_at=None, expires_at__gt=now
        ).update(used_at=now)
    )


# --- credentials ---------------------------------------------------------------------------


def issue(token: str, body: Any) -> dict[str, Any]:
    """The credential endpoint: a bound credential for a valid token, proof and nonce."""
    if not isinstance(token, str) or not token or len(token) > 200:
        raise WalletError("invalid_token", "a Bearer access token is needed", 401)
    now = timezone.now()
    try:
        configuration, jwts = oid4vci.check_request(body)
    except oid4vci.ProofError as error:
        raise WalletError(error.code, str(error)) from error
    if len(jwts) != 1:
        raise WalletError("invalid_proof", "send exactly one proof (no batch issuance)")
    with transaction.atomic():
        offer = (
            WalletOffer.objects.select_for_update()
            .select_related("award__badge_class__issuer")
            .filter(token_hash=_sha256(token), token_expires_at__gt=now)
            .first()
        )
        if offer is None:
            raise WalletError("invalid_token", "the access token is unknown or expired", 401)
        award = offer.award
        if not may_offer(award):
            raise WalletError("credential_request_denied", "the credential no longer stands")
        fmt = oid4vci.FORMATS[configuration]
        issued = list(offer.issued.all())
        if any(item.format == fmt for item in issued):
            raise WalletError("credential_request_denied", "this offer gave that format already")
        try:
            proof = oid4vci.check_jwt_proof(jwts[0], audience=issuer_id(), now=time.time())
        except oid4vci.ProofError as error:
            raise WalletError(error.code, str(error)) from error
        if any(item.holder_id != proof.holder for item in issued):
            raise WalletError("invalid_proof", "one offer goes to one wallet key")
        if not consume_nonce(proof.nonce):
            raise WalletError("invalid_nonce", "the nonce is unknown, expired or used")
        if fmt == "ldp_vc":
            credential: Any = bound.ldp_vc(award, proof.holder)
        else:
            credential = bound.jwt_vc_json(award, proof.holder)
        WalletCredential.objects.create(offer=offer, format=fmt, holder_id=proof.holder)
    return {"credentials": [{"credential": credential}]}


def metadata() -> dict[str, Any]:
    """The issuer metadata: the same for every reader (it is cached publicly), with the
    credential's display name in each of the site's languages, each labelled with its own."""
    base = issuer_id()
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[code] = _("Open Badge")
    return oid4vci.issuer_metadata(
        issuer=base,
        credential_endpoint=base + reverse("wallet:credential"),
        nonce_endpoint=base + reverse("wallet:nonce"),
        token_endpoint=base + "/oauth/token/",
        name=settings.WAGTAIL_SITE_NAME,
        locale=settings.LANGUAGE_CODE,
        credential_names=names,
        contexts=openbadges3.credential_context(),
    )


def wallet_credentials(award: Award) -> list[WalletCredential]:
    """What wallets received of ``award``, newest first (for its holder's page)."""
    return list(WalletCredential.objects.filter(offer__award=award).order_by("-issued_at")[:10])
