"""A learner's Comprehensive Learner Record (CLR 2.0): one signed ``ClrCredential`` per
institution that awarded them credentials (:mod:`credentials.issuing.clr` says why).

* :func:`signed_records` — every record of a learner (what the CLR API's ``getCredentials``
  lists), one per institution, ordered by the institution's name; ``[]`` when they hold no
  standing credential.
* :func:`record_parts` — how many parts a record has: more than one when the learner holds
  more than :data:`PART_SIZE` awards at the institution (one record embeds at most that).
* :func:`signed_record` — one record (or part): of ``institution``, or of the learner's only
  institution; :class:`NoRecord` when there is none (a record embeds at least one credential,
  so an empty one is never signed), :class:`SeveralRecords` when no institution is named and
  the learner has records from several.

A record holds the learner's signed, non-revoked awards (expired ones too: the verifier says
they expired). Signing canonicalises every embedded credential, so signed records are kept in
the cache under a digest of the unsigned document and the signing key: the same state gives
the same record without signing again, and any change (an award, a revocation, a badge's
``part_of``, a rotated key) gives a new digest.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db.models import QuerySet

from credentials.issuing import clr, keystore
from credentials.models import Award, Issuer, IssuerKey
from credentials.standards import clr as clr_standard

CACHE_SECONDS = 24 * 3600
# The most credentials one record embeds: what any verifier (ours included) reads at most.
# A learner with more awards at one institution gets that institution's record in parts.
PART_SIZE = clr_standard.MAX_EMBEDDED


class NoRecord(LookupError):
    """The learner holds no standing credential (of that institution): there is no record."""


class SeveralRecords(LookupError):
    """The learner has records from several institutions: name one."""


def standing_awards(user: AbstractBaseUser) -> QuerySet[Award]:
    """The learner's signed, non-revoked awards, with their badges and institutions."""
    if not getattr(user, "is_authenticated", False):
        return Award.objects.none()
    return (
        Award.objects.filter(recipient=user, revoked_at=None)
        .exclude(ob3_credential=None)
        .select_related("badge_class__issuer")
        .prefetch_related("badge_class__editions")
        .order_by("issued_on", "public_id")
    )


def institutions(user: AbstractBaseUser) -> list[Issuer]:
    """The institutions the learner has a record from, by name."""
    found = {a.badge_class.issuer_id: a.badge_class.issuer for a in standing_awards(user)}
    return sorted(found.values(), key=lambda i: (i.name, str(i.public_id)))


def record_index(user: AbstractBaseUser) -> list[tuple[Issuer, int]]:
    """(institution, how many parts its record has) for each institution ``user`` has a
    record from, by name: what the backpack offers to download (one query)."""
    counts: dict[int, int] = {}
    found: dict[int, Issuer] = {}
    for award in standing_awards(user):
        found[award.badge_class.issuer_id] = award.badge_class.issuer
        counts[award.badge_class.issuer_id] = counts.get(award.badge_class.issuer_id, 0) + 1
    order = sorted(found.values(), key=lambda i: (i.name, str(i.public_id)))
    return [(issuer, -(-counts[issuer.pk] // PART_SIZE)) for issuer in order]


def _cache_key(document: dict[str, Any], key: IssuerKey) -> str:
    digest = hashlib.sha256(
        json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    return f"credentials:clr:v1:{key.pk}:{key.key_id}:{digest}"


def _split(awards: list[Award]) -> list[list[Award]]:
    """``awards`` (in order of issue) in parts of at most :data:`PART_SIZE`."""
    return [awards[n : n + PART_SIZE] for n in range(0, len(awards), PART_SIZE)]


def _signed(
    issuer: Issuer, user: AbstractBaseUser, awards: list[Award], part: int = 1, parts: int = 1
) -> dict[str, Any]:
    document = clr.unsigned_record(issuer, user.pk, awards, part, parts)
    key = keystore.active_key(issuer, IssuerKey.Algorithm.ED25519)
    cache_key = _cache_key(document, key)
    signed = cache.get(cache_key)
    if signed is None:
        signed = clr.sign(document, issuer)
        cache.set(cache_key, signed, CACHE_SECONDS)
    return signed


def _parts_signed(issuer: Issuer, user: AbstractBaseUser, awards: list[Award]) -> list[dict]:
    parts = _split(awards)
    return [
        _signed(issuer, user, chunk, number, len(parts))
        for number, chunk in enumerate(parts, start=1)
    ]


def signed_records(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """Every signed ``ClrCredential`` of ``user``: one per institution (by institution name),
    in parts where one record would embed more than :data:`PART_SIZE` credentials."""
    by_issuer: dict[int, list[Award]] = {}
    issuers: dict[int, Issuer] = {}
    for award in standing_awards(user):
        issuers[award.badge_class.issuer_id] = award.badge_class.issuer
        by_issuer.setdefault(award.badge_class.issuer_id, []).append(award)
    order = sorted(issuers.values(), key=lambda i: (i.name, str(i.public_id)))
    return [
        record for issuer in order for record in _parts_signed(issuer, user, by_issuer[issuer.pk])
    ]


def _awards_at(user: AbstractBaseUser, institution: Issuer | None) -> tuple[Issuer, list[Award]]:
    awards = list(standing_awards(user))
    if institution is not None:
        awards = [a for a in awards if a.badge_class.issuer_id == institution.pk]
    if not awards:
        raise NoRecord("No standing credential: there is no learner record to sign.")
    issuers = {a.badge_class.issuer_id: a.badge_class.issuer for a in awards}
    if len(issuers) > 1:
        raise SeveralRecords("The learner has records from several institutions.")
    (issuer,) = issuers.values()
    return issuer, awards


def record_parts(user: AbstractBaseUser, institution: Issuer | None = None) -> int:
    """How many parts ``user``'s record at ``institution`` has (0: no record)."""
    try:
        return len(_split(_awards_at(user, institution)[1]))
    except NoRecord:
        return 0


def signed_record(
    user: AbstractBaseUser, institution: Issuer | None = None, part: int = 1
) -> dict[str, Any]:
    """The signed ``ClrCredential`` of ``user`` at ``institution`` (or at their only one):
    its ``part`` (from 1) when it comes in parts; :class:`NoRecord` for a part it lacks."""
    issuer, awards = _awards_at(user, institution)
    parts = _split(awards)
    if not 1 <= part <= len(parts):
        raise NoRecord("The learner record has no such part.")
    return _signed(issuer, user, parts[part - 1], part, len(parts))


def record_jwt(user: AbstractBaseUser, institution: Issuer | None = None, part: int = 1) -> str:
    """The same record as a VC-JWT (RS256, the institution's RSA key)."""
    document = signed_record(user, institution, part)
    issuer = institution or institutions(user)[0]
    return clr.encode_jwt(document, issuer)
