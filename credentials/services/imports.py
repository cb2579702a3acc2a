"""Credentials from other issuers in a learner's backpack, and the learner's public profile.

An application the learner authorised puts an Open Badges 3.0 credential here
(``upsertCredential``, :func:`upsert`): JSON, or a compact JWS (VC-JWT, OB 3.0 §8.2). The body
is kept exactly as it arrived; what the listing shows is read from it, and the verdict is our
own verifier's (:func:`check`, run in the background after every change), never the document's
word about itself. The learner may remove one, check it again, and show it on their public
profile (:mod:`credentials.services.profiles`), which they switch on themselves.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from credentials import signals
from credentials.conf import settings as conf
from credentials.models.imports import ImportedCredential
from credentials.verify import site as verify_site
from credentials.verify.fetch import client_scope
from credentials.verify.results import Check, Summary, VerificationResult

log = logging.getLogger(__name__)

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
JSON_MEDIA_TYPES = frozenset({"application/json", "application/ld+json", "application/vc+ld+json"})
JWT_MEDIA_TYPES = frozenset({"text/plain", "application/jwt", "application/vc+jwt"})
MAX_DEPTH = 32  # an OB 3.0 credential nests about 8 deep; deeper is an attack on a parser
RECHECK_SECONDS = 60
CHECK_SLOT_SECONDS = 300  # a check that never said it ended frees its slot by then
MAX_EMAILS_CHECKED = 5
_JWT_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
# What the verifier says when it could not run the check now, rather than about the credential.
_NOT_A_VERDICT = frozenset({"busy"})


class Rejected(Exception):
    """A body that is not an Open Badges 3.0 credential we keep: ``code`` for machines (the
    API's ``imsx_codeMinor``), ``description`` for people (translated)."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class Deferred(Exception):
    """The owner's imports hold every check slot now: the task tries again later."""


@dataclass(frozen=True)
class _Read:
    text: str
    format: str
    credential: dict[str, Any]
    credential_id: str
    key: str


# --- reading what an application sends ---------------------------------------------------------


def _media_type(content_type: str) -> tuple[str, str]:
    """(media type, charset) of a Content-Type header, lower case."""
    kind, _sep, params = (content_type or "").partition(";")
    charset = ""
    for param in params.split(";"):
        name, _eq, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.strip().lower(), charset


def _invalid(description: str) -> Rejected:
    return Rejected("invaliddata", description)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each given once (parsers disagree on duplicates)."""
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise _invalid(_("The JSON names the property “%(name)s” twice.") % {"name": name})
        result[name] = value
    return result


def _no_constant(name: str) -> Any:
    raise _invalid(_("The JSON holds %(value)s, which JSON does not allow.") % {"value": name})


def _depth(value: Any) -> int:
    """How deep ``value`` nests (without recursion, so any depth is measured safely)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except Rejected:
        raise
    except (ValueError, RecursionError) as error:
        raise _invalid(_("The %(what)s is not valid JSON.") % {"what": what}) from error
    if not isinstance(value, dict):
        raise _invalid(_("The %(what)s is not a JSON object.") % {"what": what})
    if _depth(value) > MAX_DEPTH:
        raise _invalid(_("The %(what)s nests too deeply.") % {"what": what})
    return value


def _segment(part: str, what: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError) as error:
        raise _invalid(_("The token's %(what)s cannot be decoded.") % {"what": what}) from error
    return _json_object(text, what)


def _credential_of_token(token: str) -> dict[str, Any]:
    """The credential a compact JWS carries (its payload, or the payload's ``vc``)."""
    if not _COMPACT_JWS.fullmatch(token):
        raise _invalid(_("The text is not a compact JWS (three base64url parts)."))
    head, payload, _signature = token.split(".")
    header = _segment(head, _("header"))
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg or alg.lower() == "none":
        raise _invalid(_("The token is not signed (its header names no algorithm)."))
    claims = _segment(payload, _("payload"))
    if isinstance(claims.get("vc"), dict):
        return dict(claims["vc"])
    return {name: value for name, value in claims.items() if name not in _JWT_CLAIMS}


def _id_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return ""


def _check_shape(credential: dict[str, Any]) -> None:
    """An Open Badges 3.0 credential in the VC 2.0 data model, as far as its shape goes."""
    context = credential.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2_CONTEXT:
        raise _invalid(
            _("The credential's @context does not start with %(url)s.") % {"url": VC_V2_CONTEXT}
        )
    types = credential.get("type")
    if (
        not isinstance(types, list)
        or not all(isinstance(t, str) for t in types)
        or "VerifiableCredential" not in types
        or not BADGE_TYPES & set(types)
    ):
        raise _invalid(
            _(
                "The credential's type must list VerifiableCredential and OpenBadgeCredential "
                "(or AchievementCredential)."
            )
        )
    if not _id_of(credential.get("issuer")):
        raise _invalid(_("The credential names no issuer."))
    if not isinstance(credential.get("credentialSubject"), dict):
        raise _invalid(_("The credential has no credentialSubject object."))
    if "id" in credential and not isinstance(credential["id"], str):
        raise _invalid(_("The credential's id is not a string."))


def read(body: bytes, content_type: str) -> _Read:
    """What ``body`` holds, or :class:`Rejected` saying why we do not keep it."""
    kind, charset = _media_type(content_type)
    if kind not in JSON_MEDIA_TYPES | JWT_MEDIA_TYPES:
        raise Rejected(
            "unsupported_media_type",
            _("Send the credential as application/json, or as a compact JWS in text/plain."),
        )
    if charset not in ("", "utf-8", "utf8"):
        raise Rejected("unsupported_media_type", _("The credential must be UTF-8."))
    limit = conf.IMPORT_MAX_BYTES
    if len(body) > limit:
        raise Rejected(
            "too_large",
            _("The credential is larger than %(kb)s kB, the most we keep.") % {"kb": limit // 1024},
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _invalid(_("The credential is not valid UTF-8 text.")) from error
    if not text.strip():
        raise _invalid(_("The body is empty."))
    if "\x00" in text:
        raise _invalid(_("The credential holds a NUL character."))
    if kind in JSON_MEDIA_TYPES:
        credential, form = _json_object(text, _("credential")), ImportedCredential.Format.JSON
    else:
        credential, form = _credential_of_token(text.strip()), ImportedCredential.Format.JWT
    _check_shape(credential)
    credential_id = credential.get("id") or ""
    key_source = credential_id.encode("utf-8") if credential_id else body
    return _Read(
        text=text,
        format=form,
        credential=credential,
        credential_id=credential_id,
        key=hashlib.sha256(key_source).hexdigest(),
    )


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _fill(row: ImportedCredential, found: _Read) -> None:
    credential = found.credential
    issuer = credential.get("issuer")
    subject = credential["credentialSubject"]
    achievement = subject.get("achievement")
    row.format = found.format
    row.body = found.text
    row.credential_id = found.credential_id[:1000]
    row.claimed_issuer_id = _id_of(issuer)[:1000]
    row.claimed_issuer_name = _text(issuer.get("name"), 300) if isinstance(issuer, dict) else ""
    row.achievement_name = (
        _text(achievement.get("name"), 300) if isinstance(achievement, dict) else ""
    ) or _text(credential.get("name"), 300)
    row.claimed_valid_from = _moment(credential.get("validFrom"))


# --- keeping it --------------------------------------------------------------------------------


def _announce(pk: int) -> None:
    """Once committed, the receivers have our verifier check imported credential ``pk``."""
    transaction.on_commit(
        lambda: signals.imported_credential_changed.send(sender=ImportedCredential, imported_pk=pk)
    )


def queue_check(pk: int, not_again_for: int) -> bool:
    """Have imported credential ``pk`` checked in the background, unless that was asked here
    less than ``not_again_for`` seconds ago (False then). Never checks in the caller."""
    if not cache.add(f"imports:queued:{pk}", 1, not_again_for):
        return False
    _announce(pk)
    return True


def _refuse_ours(found: _Read) -> None:
    """One of our institutions' credentials is in its holder's backpack here, always current."""
    if verify_site.SiteRecords().issuer(_id_of(found.credential.get("issuer"))) is not None:
        raise Rejected(
            "ours",
            _(
                "This credential is already ours: it is in the holder’s backpack on this "
                "platform, where its status is always current. It is not kept a second time."
            ),
        )


def _room_for_one_more(owner: Any) -> None:
    """Refuse a new credential past ``IMPORT_MAX_PER_LEARNER`` (owner locked: no race)."""
    get_user_model().objects.select_for_update().filter(pk=owner.pk).exists()
    if ImportedCredential.objects.filter(owner=owner).count() >= conf.IMPORT_MAX_PER_LEARNER:
        message = _(
            "This backpack holds %(count)s credentials from other issuers, the most it keeps."
        )
        raise Rejected("too_many", message % {"count": conf.IMPORT_MAX_PER_LEARNER})


def upsert(
    owner: Any, body: bytes, content_type: str, application: Any = None
) -> tuple[ImportedCredential, bool]:
    """Keep ``body`` in ``owner``'s backpack: (the row, whether it is new).

    The same credential (same ``id``, else same bytes) sent again replaces the one kept, in
    place. A new or changed body is checked by our verifier in the background once committed.
    :class:`Rejected`: not an OB 3.0 credential, one of ours (``ours``), a new one past the
    cap (``too_many``). A changed body comes off the public profile.
    """
    found = read(body, content_type)
    _refuse_ours(found)
    for attempt in range(2):
        try:
            with transaction.atomic():
                row = (
                    ImportedCredential.objects.select_for_update()
                    .filter(owner=owner, key=found.key)
                    .first()
                )
                created = row is None
                if row is None:
                    _room_for_one_more(owner)
                    row = ImportedCredential(owner=owner, key=found.key)
                changed = created or row.body != found.text
                _fill(row, found)
                row.application = application
                if changed:  # the old verdict was about other bytes
                    row.verdict, row.verdict_detail, row.checked_at = "", {}, None
                    row.on_profile = False  # the learner chose to show other bytes
                row.save()
                _announce(row.pk)
            return row, created
        except IntegrityError:
            if attempt:  # a second clash is not a race we lost
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _verified_emails(owner: Any) -> list[str]:
    """The addresses ``owner`` proved they hold, primary first (allauth's records)."""
    addresses = EmailAddress.objects.filter(user=owner, verified=True).order_by("-primary", "pk")
    return list(addresses.values_list("email", flat=True)[:MAX_EMAILS_CHECKED])


def _verify(row: ImportedCredential, **seams: Any) -> VerificationResult:
    """Our verifier's result for ``row``, judged against each address the owner verified
    (the first that it was issued to wins). A credential that names no e-mail address at all
    is judged without one: genuine or not, its holder stays unconfirmed (``recipient_matched``
    None)."""
    result = verify_site.verify(row.body, **seams)
    for email in _verified_emails(row.owner) if result.verdict == "valid" else []:
        with_email = verify_site.verify(row.body, email=email, **seams)
        if with_email.problem == "no_recipient_identity":
            return result
        if with_email.verdict != "not_recipient":
            return with_email
        result = with_email
    return result


def _detail(result: VerificationResult) -> dict[str, Any]:
    """What the pages show of ``result``, as JSON (see :func:`stored_result`)."""
    summary = result.summary
    return {
        "verdict": result.verdict,
        "problem": result.problem,
        "message": result.message,
        "version": result.version,
        "proof_format": result.proof_format,
        "source": result.source,
        "revocation": result.revocation,
        "recipient_matched": result.recipient_matched,
        "issuer_trust": result.issuer_trust,
        "notes": [str(note) for note in result.notes],
        "checks": [
            {"name": c.name, "passed": c.passed, "detail": str(c.detail)} for c in result.checks
        ],
        "summary": summary.__dict__ if summary else None,
    }


def stored_result(row: ImportedCredential) -> VerificationResult | None:
    """The verifier's result kept on ``row``, to show (None before the first check)."""
    detail = row.verdict_detail or {}
    if not row.verdict or not detail.get("verdict"):
        return None
    known = set(Summary.__dataclass_fields__)
    summary = detail.get("summary")
    return VerificationResult(
        verdict=row.verdict,
        checks=[Check(c["name"], c["passed"], c["detail"]) for c in detail.get("checks", [])],
        summary=Summary(**{k: v for k, v in summary.items() if k in known}) if summary else None,
        version=detail.get("version"),
        proof_format=detail.get("proof_format"),
        source=detail.get("source"),
        problem=detail.get("problem"),
        message=detail.get("message") or "",
        revocation=detail.get("revocation"),
        recipient_matched=detail.get("recipient_matched"),
        issuer_trust=detail.get("issuer_trust"),
        notes=list(detail.get("notes") or []),
    )


def check(imported_pk: int, **seams: Any) -> ImportedCredential | None:
    """Verify an imported credential with our verifier and keep the verdict.

    ``seams`` (``fetcher``, ``records``) replace the verifier's real ones (tests). When the
    check cannot run, the previous verdict stays and is marked as not re-checked; it never
    raises for the credential's sake. Raises :class:`Deferred` when the owner's other
    imports already hold every check slot (:func:`owner_slot`).
    """
    row = ImportedCredential.objects.select_related("owner").filter(pk=imported_pk).first()
    if row is None:
        return None
    body = row.body
    with owner_slot(row.owner_id), client_scope(f"user:{row.owner_id}"):
        try:
            result = _verify(row, **seams)
        except Exception:  # the verifier never raises for bad input; this is our own failure
            log.exception("Could not check imported credential %s", imported_pk)
            result = None
    now = timezone.now()
    current = ImportedCredential.objects.filter(pk=row.pk, body=body)  # not replaced meanwhile
    if result is None or result.problem in _NOT_A_VERDICT:
        detail = {**(row.verdict_detail or {}), "unchecked_at": now.isoformat()}
        current.update(verdict_detail=detail)
    else:
        current.update(verdict=result.verdict, verdict_detail=_detail(result), checked_at=now)
    row.refresh_from_db()
    return row


@contextlib.contextmanager
def owner_slot(owner_pk: int) -> Iterator[None]:
    """Hold one of the ``IMPORT_CHECKS_PER_LEARNER`` check slots of ``owner_pk``'s imports
    (a counter in the shared cache), or raise :class:`Deferred` when none is free."""
    key = f"imports:checking:{owner_pk}"
    cache.add(key, 0, CHECK_SLOT_SECONDS)
    try:
        running = cache.incr(key)
    except ValueError:  # it expired in between
        cache.add(key, 1, CHECK_SLOT_SECONDS)
        running = 1
    try:
        if running > conf.IMPORT_CHECKS_PER_LEARNER:
            raise Deferred
        yield
    finally:
        with contextlib.suppress(ValueError):
            cache.decr(key)


def defer_seconds(imported_pk: int) -> int:
    """Seconds a deferred check waits (spread, so they do not all come back at once)."""
    return 10 + imported_pk % 50


# --- what the learner does with them ---------------------------------------------------------


def imported_of(user: Any) -> QuerySet[ImportedCredential]:
    """``user``'s imported credentials, newest change first (none for a visitor)."""
    if not getattr(user, "is_authenticated", False):
        return ImportedCredential.objects.none()
    return ImportedCredential.objects.filter(owner=user).select_related("application")


def own(owner: Any, public_id: uuid.UUID | str) -> ImportedCredential:
    """``owner``'s imported credential ``public_id``; DoesNotExist for anyone else's."""
    return imported_of(owner).get(public_id=public_id)


def remove(owner: Any, public_id: uuid.UUID | str) -> None:
    """Delete one of ``owner``'s imported credentials (DoesNotExist for anyone else's)."""
    own(owner, public_id).delete()


def recheck(owner: Any, public_id: uuid.UUID | str) -> bool:
    """Check one of ``owner``'s imported credentials again, in the background.

    False when it was asked less than a minute ago (each check may reach other servers).
    """
    row = own(owner, public_id)
    if not cache.add(f"imports:recheck:{row.pk}", 1, RECHECK_SECONDS):
        return False
    _announce(row.pk)
    return True
