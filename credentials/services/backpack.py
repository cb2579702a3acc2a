"""The learner's side of credentials: their awards, who may see them, and how to share them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from credentials.issuing import links
from credentials.issuing.status import award_status
from credentials.models import Award, BadgeClass
from credentials.models.editions import in_language_many
from lib import pagecache


class ClaimError(ValueError):
    """A claim link that cannot be used, with a reason a person can read."""


LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"

# (URL name in the credentials namespace, label, group) — every format an award is served in.
DOWNLOADS = (
    ("award_png2", _lazy("Baked PNG"), "Open Badges 2.0"),
    ("award_svg2", _lazy("Baked SVG"), "Open Badges 2.0"),
    ("award_ob2", _lazy("Assertion JSON"), "Open Badges 2.0"),
    ("award_png3", _lazy("Baked PNG"), "Open Badges 3.0"),
    ("award_svg3", _lazy("Baked SVG"), "Open Badges 3.0"),
    ("award_ob3", _lazy("Credential JSON"), "Open Badges 3.0"),
    ("award_jwt", "VC-JWT", "Open Badges 3.0"),
    ("award_pdf", _lazy("PDF certificate"), _lazy("Printable")),
)


@dataclass(frozen=True)
class Download:
    name: str
    label: str
    group: str
    url: str


def awards_of(user) -> QuerySet[Award]:
    """Every award held by ``user`` (valid, expired and revoked), newest first, in one query."""
    if not user.is_authenticated:
        return Award.objects.none()
    return (
        Award.objects.filter(recipient=user)
        .select_related("badge_class__issuer")
        .order_by("-issued_on", "-pk")
    )


def is_owner(user, award: Award) -> bool:
    return bool(user.is_authenticated and award.recipient_id == user.pk)


@transaction.atomic
def set_visibility(award: Award, is_public: bool, by) -> Award:
    """Make an award public or private. Only the person who holds it may. Idempotent."""
    if not is_owner(by, award):
        raise PermissionError(_("Only the person who holds a credential may change who sees it."))
    Award.objects.filter(pk=award.pk).update(is_public=is_public)
    pagecache.bump(pagecache.award_tag(award.public_id))  # on commit: its page, its documents
    award.is_public = is_public
    return award


# A stand-in id: a list of awards reverses each URL name once, then puts each award's id in.
_STAND_IN = "00000000-0000-4000-8000-000000000000"


class AwardUrls:
    """The site-relative URLs of many awards: ``reverse()`` once per URL name, not per award."""

    def __init__(self) -> None:
        self._patterns: dict[tuple[str, str | None], str | None] = {}

    def __call__(self, name: str, public_id) -> str | None:
        """The URL named ``name`` for ``public_id`` in the active language (a batch of e-mails
        is rendered in each recipient's); None if no URL has that name."""
        key = (name, get_language())
        if key not in self._patterns:
            try:
                self._patterns[key] = reverse(name, kwargs={"public_id": _STAND_IN})
            except NoReverseMatch:
                self._patterns[key] = None
        pattern = self._patterns[key]
        return None if pattern is None else pattern.replace(_STAND_IN, str(public_id))


def downloads(award: Award, urls: AwardUrls | None = None) -> list[Download]:
    """The download links of an award (site-relative), grouped by standard."""
    urls = urls or AwardUrls()
    items = []
    for name, label, group in DOWNLOADS:
        url = urls(f"credentials:{name}", award.public_id)
        if url is None:  # a format not served (yet): leave it out
            continue
        items.append(Download(name, label, group, url))
    return items


def public_url(award: Award) -> str:
    return links.award_url(award)


def linkedin_add_url(award: Award) -> str:
    """LinkedIn's "Add to profile" deep link for a certification, pre-filled from the award."""
    badge, issuer = award.badge_class, award.badge_class.issuer
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": badge.name,
        "organizationName": issuer.name,
        "issueYear": award.issued_on.year,
        "issueMonth": award.issued_on.month,
    }
    if award.valid_until:
        params["expirationYear"] = award.valid_until.year
        params["expirationMonth"] = award.valid_until.month
    params["certUrl"] = public_url(award)
    params["certId"] = str(award.public_id)
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params)}"


@dataclass
class BackpackItem:
    award: Award
    status: str
    public_url: str
    linkedin_url: str
    downloads: list[Download]
    page_url: str = ""  # its page (site-relative)
    image_url: str = ""  # its badge's image
    visibility_url: str = ""  # where its holder makes it public or private
    shown: BadgeClass | None = None  # its badge in the reader's language (an edition's words)

    @property
    def badge(self):
        return self.shown or self.award.badge_class

    @property
    def issuer(self):
        return self.award.badge_class.issuer


def backpack(user) -> list[BackpackItem]:
    """Every award ``user`` holds, with its links, in one query and one ``reverse()`` per URL
    name whatever the number of awards."""
    urls = AwardUrls()
    items = []
    held = list(awards_of(user))
    shown = in_language_many([award.badge_class for award in held])
    for award, badge in zip(held, shown, strict=True):
        items.append(
            BackpackItem(
                award=award,
                status=award_status(award),
                public_url=public_url(award),
                linkedin_url=linkedin_add_url(award),
                downloads=downloads(award, urls),
                page_url=urls("credentials:award", award.public_id),
                image_url=urls("credentials:badge_image", award.badge_class.public_id),
                visibility_url=urls("credentials_manage:award_visibility", award.public_id),
                shown=badge,
            )
        )
    return items


CLAIM_SALT = "credentials.claim"
CLAIM_MAX_AGE = timedelta(days=180)


def claim_token(award: Award) -> str:
    """A signed token, sent only to the award's e-mail address, that lets its holder claim it."""
    return signing.dumps(str(award.public_id), salt=CLAIM_SALT, compress=True)


def award_for_claim(token: str) -> Award:
    """The award a claim token is for; ClaimError if the token is forged, expired or unknown."""
    try:
        public_id = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ClaimError(
            _("This link has expired. Ask the institution to send it again.")
        ) from error
    except signing.BadSignature as error:
        raise ClaimError(
            _("This link is not valid. Copy the whole link from the e-mail.")
        ) from error
    award = (
        Award.objects.select_related("badge_class__issuer", "recipient")
        .filter(public_id=public_id)
        .first()
    )
    if award is None:
        raise ClaimError(_("This credential no longer exists."))
    if not award.recipient_email:  # its holder deleted their account: nobody may take it over
        raise ClaimError(_("This credential can no longer be claimed."))
    return award


@transaction.atomic
def claim(token: str, user) -> Award:
    """Add an award made to an e-mail address to ``user``'s account. Idempotent.

    Holding the token proves control of the mailbox the award was sent to, so the signed-in
    person may claim it even if their account uses another address.
    """
    award = award_for_claim(token)
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.recipient_id == user.pk:
        return locked
    if locked.recipient_id is not None:
        raise ClaimError(_("This credential is already in another account."))
    locked.recipient = user
    if not locked.recipient_name:
        locked.recipient_name = user.get_full_name()
    locked.save(update_fields=["recipient", "recipient_name"])
    return locked
