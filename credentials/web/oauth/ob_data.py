"""What the OB 3.0 API hands out: a learner's credentials (one page) and their Profile.

Credentials: the learner's own signed, unrevoked awards (the Data Integrity JSON, or the VC-JWT
when only that was signed) and the credentials they imported (JSON ones parsed, JWT ones as
the compact string they arrived as), except those our verifier found tampered. One list,
ordered by when each was signed or last changed, then by kind and row: the same request
answers the same page.

The Profile: ``id`` is a URN derived from the user's row and the site's secret (stable, not
guessable, not their e-mail address); ``email`` only when the address is verified.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from credentials.models import Award, ImportedCredential

# Imported credentials getCredentials never hands out: our verifier's verdict is that their
# signature does not hold (someone changed them after signing).
HIDDEN_VERDICTS = ("tampered",)
NAME_MAX = get_user_model()._meta.get_field("display_name").max_length
PROFILE_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def credentials_page(
    user, since: datetime | None, limit: int, offset: int
) -> tuple[dict[str, list], int]:
    awards = Award.objects.filter(
        recipient=user, signed_at__isnull=False, revoked_at__isnull=True
    ).exclude(ob3_credential__isnull=True, ob3_jwt="")
    # Left out: what our verifier found tampered (not what its issuer signed).
    imported = ImportedCredential.objects.filter(owner=user).exclude(verdict__in=HIDDEN_VERDICTS)
    if since is not None:
        awards = awards.filter(signed_at__gte=since)
        imported = imported.filter(updated_at__gte=since)
    keys = [(at, 0, pk) for pk, at in awards.values_list("pk", "signed_at")]
    keys += [(at, 1, pk) for pk, at in imported.values_list("pk", "updated_at")]
    keys.sort()
    page = keys[offset : offset + limit]
    award_rows = Award.objects.in_bulk([pk for _at, kind, pk in page if kind == 0])
    imported_rows = ImportedCredential.objects.in_bulk([pk for _at, kind, pk in page if kind == 1])
    document: dict[str, list] = {"credential": [], "compactJwsString": []}
    for _at, kind, pk in page:
        if kind == 0:
            award = award_rows[pk]
            if award.ob3_credential:
                document["credential"].append(award.ob3_credential)
            else:
                document["compactJwsString"].append(award.ob3_jwt)
        else:
            row = imported_rows[pk]
            if row.format == ImportedCredential.Format.JSON:
                document["credential"].append(json.loads(row.body))
            else:
                document["compactJwsString"].append(row.body)
    return document, len(keys)


def profile_id(user) -> str:
    digest = salted_hmac("ob3-api-profile-id", str(user.pk)).digest()
    return "urn:uuid:" + str(uuid.UUID(bytes=digest[:16], version=4))


def verified_email(user) -> str | None:
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    return user.email if user.email and verified.exists() else None


def profile(user) -> dict:
    document = {
        "@context": PROFILE_CONTEXT,
        "id": profile_id(user),
        "type": "Profile",
        "name": user.get_full_name() if user.display_name or user.first_name else "",
    }
    if not document["name"]:
        del document["name"]
    if email := verified_email(user):
        document["email"] = email
    return document


class ProfileRefused(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _clean_name(value) -> str:
    if not isinstance(value, str):
        raise ProfileRefused(_("name must be a string."))
    name = " ".join(value.split())
    if not name:
        raise ProfileRefused(_("name must not be empty."))
    if len(name) > NAME_MAX:
        raise ProfileRefused(_("name is longer than %(max)s characters.") % {"max": NAME_MAX})
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c in "\u202e\u202d" for c in name):
        raise ProfileRefused(_("name contains control characters."))
    return name


def update_profile(user, document: dict) -> None:
    """Apply a PUT Profile: only ``name`` may change. ``id``, ``type``, ``email`` and
    ``@context`` may be sent back as they are; any other field, or a change to those, is
    refused naming the field."""
    current = profile(user)
    for key, value in document.items():
        if key == "name":
            continue
        if key in ("@context", "id", "type", "email"):
            if key != "@context" and value != current.get(key):
                raise ProfileRefused(
                    _("%(field)s cannot be changed through this API.") % {"field": key}
                )
            continue
        raise ProfileRefused(
            _("%(field)s cannot be changed through this API: only name can.") % {"field": key}
        )
    if "name" not in document:
        raise ProfileRefused(_("name is required."))
    name = _clean_name(document["name"])
    if name != user.display_name:
        user.display_name = name
        user.save(update_fields=["display_name"])
