"""Open Badges 3.0 documents: OpenBadgeCredential (VC Data Model 2.0), Profile, status lists.

The credential carries the issuer ``Profile`` (with its country: an EU element), an
``AchievementSubject`` with a stable ``id`` (a ``urn:uuid:`` per award) identified by the
salted hash of the e-mail and, if the issuer chooses so, the learner's name, and the
``Achievement`` with criteria, image, alignments (competences and the EQF level),
achievementType and the other EU micro-credential elements: Open Badges terms where OB has
them, European Learning Model terms otherwise, defined by our versioned context
(:data:`credentials.standards.eu_terms.CONTEXT_URL`, shipped with the app; see
:mod:`credentials.standards.eu_terms`).
Two proofs: an embedded ``DataIntegrityProof`` (``eddsa-rdfc-2022``, the issuer's Ed25519 key
published as a Multikey), always as a proof set (an array, as 1EdTech's schema requires), and
the same credential as a VC-JWT (RS256).

Revocation: each award has a random position in its issuer's Bitstring Status List (one list
per issuer and purpose, served signed with a ``ttl``); awards made before those lists keep the
list of their badge class, which is still served for them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet

from credentials.issuing import keystore, links
from credentials.issuing.endorsements import active
from credentials.issuing.openbadges2 import alignment, timestamp
from credentials.models import (
    Award,
    BadgeClass,
    Endorsement,
    Issuer,
    IssuerKey,
    StatusList,
    editions,
)
from credentials.standards import eu_terms, statuslist
from credentials.standards.dataintegrity import sign_eddsa_rdfc_2022
from credentials.standards.jws import encode_vc_jwt
from credentials.standards.keys import MULTIKEY_CONTEXT, public_jwk

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
EU_CONTEXT = eu_terms.CONTEXT_URL
SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
CONTENT_TYPE = "application/vc+ld+json"
JWT_CONTENT_TYPE = "application/vc+jwt"
SEC = "https://w3id.org/security#"
EQF_URL = eu_terms.EQF_CONCEPT
STATUS_LIST_TTL_MS = statuslist.DEFAULT_TTL_MS

# The terms of the EU elements in credentials signed before the versioned context: defined by
# an inline @context object under this site's address (``links.vocabulary_url()``). New
# credentials do not use them; the vocabulary URL stays served for the ones that do.
LEGACY_EU_TERMS = eu_terms.LEGACY_TERMS


def legacy_eu_context() -> dict[str, Any]:
    """The inline context of the legacy EU terms, as credentials of that era carry it."""
    return copy.deepcopy(_legacy_eu_context(links.vocabulary_url()))


@lru_cache(maxsize=8)
def _legacy_eu_context(vocabulary_url: str) -> dict[str, Any]:
    namespace = vocabulary_url + "#"
    context: dict[str, Any] = {
        "EuMicroCredentialElements": namespace + "EuMicroCredentialElements",
        "euMicroCredential": namespace + "euMicroCredential",
    }
    for term in LEGACY_EU_TERMS:
        context[term] = namespace + term
    return context


def credential_context() -> list[Any]:
    """The credential's @context: only URLs, all shipped with the app (none is inline)."""
    return [VC_CONTEXT, OB3_CONTEXT, OB3_EXTENSIONS_CONTEXT, EU_CONTEXT]


def as_proof_set(document: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` with its ``proof`` as an array (a proof set), as 1EdTech's schema wants.

    Only the JSON shape changes: a proof object and a set of that one proof are the same
    data, and the proof itself is not part of what it signs, so the signature still verifies.
    """
    proof = document.get("proof")
    if proof is None or isinstance(proof, list):
        return dict(document)
    return {**document, "proof": [proof]}


def _number(value: Decimal | float | int) -> int | float:
    """Integral values as JSON integers: JavaScript reads 5.0 as the integer 5, and the
    canonical RDF of both sides must agree."""
    number = float(value)
    return int(number) if number.is_integer() else number


def _image(url: str, caption: str | None = None) -> dict[str, Any]:
    image: dict[str, Any] = {"id": url, "type": "Image"}
    if caption:
        image["caption"] = caption
    return image


def profile(issuer: Issuer) -> dict[str, Any]:
    """The issuer ``Profile`` as embedded in credentials (no keys)."""
    document: dict[str, Any] = {
        "id": links.issuer_profile_url(issuer),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.description:
        document["description"] = issuer.description
    if issuer.image:
        document["image"] = _image(links.issuer_image_url(issuer), issuer.name)
    if issuer.country:
        document["address"] = {
            "type": ["Address"],
            "addressCountry": issuer.country.name,
            "addressCountryCode": issuer.country.code,
        }
    return document


def multikey_document(key: IssuerKey) -> dict[str, Any]:
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": links.issuer_key_url(key),
        "type": "Multikey",
        "controller": links.issuer_profile_url(key.issuer),
        "publicKeyMultibase": key.public_key,
    }


def jwk_document(key: IssuerKey) -> dict[str, Any]:
    return public_jwk(
        keystore.public_key(key),
        kid=links.absolute("issuer_key_jwk", public_id=key.issuer.public_id, key_id=key.key_id),
    )


def profile_context() -> list[Any]:
    """The Profile is also the controller document of the issuer's keys: verifiers (e.g.
    jsonld-signatures) frame it in safe mode, so the key terms must be defined."""
    return [
        VC_CONTEXT,
        OB3_CONTEXT,
        MULTIKEY_CONTEXT,
        {
            "assertionMethod": {
                "@id": SEC + "assertionMethod",
                "@type": "@id",
                "@container": "@set",
            },
            "verificationMethod": {"@id": SEC + "verificationMethod", "@type": "@id"},
            "jwks": {"@id": links.vocabulary_url() + "#jwks", "@type": "@json"},
        },
    ]


def profile_document(issuer: Issuer) -> dict[str, Any]:
    """The served Profile: publishes every key, active and retired (old proofs verify)."""
    published = keystore.published_keys(issuer)
    ed25519_keys = [k for k in published if k.algorithm == IssuerKey.Algorithm.ED25519]
    document = {"@context": profile_context(), **profile(issuer)}
    document["verificationMethod"] = [
        {k: v for k, v in multikey_document(k).items() if k != "@context"} for k in ed25519_keys
    ]
    document["assertionMethod"] = [links.issuer_key_url(k) for k in ed25519_keys]
    document["jwks"] = {"keys": [jwk_document(k) for k in published]}
    return document


def alignments(badge: BadgeClass) -> list[dict[str, Any]]:
    items = [{"type": ["Alignment"], **alignment(c)} for c in badge.competences()]
    if badge.eqf_level:
        items.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {badge.eqf_level}",
                "targetUrl": EQF_URL.format(level=badge.eqf_level),
                "targetFramework": "European Qualifications Framework",
                "targetCode": str(badge.eqf_level),
            }
        )
    return items


def eu_elements(badge: BadgeClass) -> dict[str, Any]:
    """The EU micro-credential elements that Open Badges has no term for, as European Learning
    Model terms of the achievement (and ours), from the table of
    :mod:`credentials.standards.eu_annex`, written as :mod:`credentials.standards.eu_terms` says;
    empty ones left out."""
    values: dict[str, Any] = {}
    for key, terms in eu_terms.achievement_terms():
        if key in eu_terms.NODE_TYPES:  # a node holding elements, e.g. provenBy
            node = {t.leaf: eu_terms.encode(t, getattr(badge, t.field)) for t in terms}
            node = {leaf: value for leaf, value in node.items() if value}
            if node:
                values[key] = {"type": eu_terms.NODE_TYPES[key], **node}
        else:
            (term,) = terms
            values[key] = eu_terms.encode(term, getattr(badge, term.field))
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def achievement(badge: BadgeClass, endorsements: bool = True) -> dict[str, Any]:
    criteria: dict[str, Any] = {"narrative": badge.criteria_narrative}
    if badge.criteria_url:
        criteria["id"] = badge.criteria_url
    issuer = badge.issuer
    document: dict[str, Any] = {
        "id": links.badge_url(badge),
        "type": ["Achievement"],
        "achievementType": badge.achievement_type,
        "name": badge.name,
        "description": badge.description,
        "criteria": criteria,
        "image": _image(links.badge_image_url(badge), badge.name),
        # The awarding body (an EU element) defined the achievement: OB's creator.
        "creator": {
            "id": links.issuer_profile_url(issuer),
            "type": ["Profile"],
            "name": issuer.name,
        },
    }
    if badge.language:
        document["inLanguage"] = badge.language
    editions = related(badge)
    if editions:
        document["related"] = editions
    items = alignments(badge)
    if items:
        document["alignment"] = items
    if badge.ects_credits is not None:
        document["creditsAvailable"] = _number(badge.ects_credits)
    if badge.grade_scheme:
        document["resultDescription"] = [
            {
                "id": links.badge_url(badge) + "#grade",
                "type": ["ResultDescription"],
                "name": badge.grade_scheme,
                "resultType": "Result",
            }
        ]
    if badge.tags:
        document["tag"] = [str(tag) for tag in badge.tags]
    document.update(eu_elements(badge))

    endorsed = [as_proof_set(e.credential) for e in active(badge)] if endorsements else []
    if endorsed:
        document["endorsement"] = endorsed
    return document


def related(badge: BadgeClass, but: str | None = None) -> list[dict[str, Any]]:
    """The badge's language editions, as the OB 3.0 ``Related`` achievements a credential
    links (the original too, for an edition's own document); ``but`` is left out."""
    found = [
        (code, links.edition_url(badge, code))
        for code in badge.editions_by_language()
        if code != badge.language  # never an edition in the language of issue itself
    ]
    if but is not None:
        found.append((badge.language, links.badge_url(badge)))
    order = {code: n for n, (code, _name) in enumerate(settings.LANGUAGES)}
    return [
        {"id": url, "type": ["Related"], "inLanguage": code}
        for code, url in sorted(found, key=lambda item: order.get(item[0], len(order)))
        if code != but
    ]


def edition_document(badge: BadgeClass, language: str) -> dict[str, Any]:
    """The OB 3.0 ``Achievement`` of ``badge``'s edition in ``language``: the badge in that
    language's words, with its own id, linked to the original and the other editions. It is
    published, never signed into a credential: the credential's words are the original's."""
    document = achievement(editions.in_language(badge, language), endorsements=False)
    document["id"] = links.edition_url(badge, language)
    document["inLanguage"] = language
    if document.get("resultDescription"):
        document["resultDescription"][0]["id"] = document["id"] + "#grade"
    document["related"] = related(badge, but=language)
    return {"@context": credential_context(), **document}


def identifiers(award: Award) -> list[dict[str, Any]]:
    """How the credential identifies the learner: the salted hash of the e-mail address and,
    if the issuer chooses so and the award has one, the learner's name (not hashed)."""
    found: list[dict[str, Any]] = [
        {
            "type": "IdentityObject",
            "identityHash": award.identity_hash,
            "identityType": "emailAddress",
            "hashed": True,
            "salt": award.salt,
        }
    ]
    issuer = award.badge_class.issuer
    name = (award.recipient_name or "").strip()
    if name and issuer.learner_identification == Issuer.LearnerIdentification.NAME_AND_EMAIL:
        found.append(
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": name,
            }
        )
    return found


def credential(award: Award) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of ``award``."""
    badge = award.badge_class
    if hasattr(badge, "shown_language"):
        # A badge shown in a reader's language (models/editions.in_language) is for display:
        # a credential is signed only with the words of its language of issue.
        raise TypeError("A credential is never made from a badge shown in another language.")
    document: dict[str, Any] = {
        "@context": credential_context(),
        "id": links.award_url(award),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": badge.name,
        "issuer": profile(badge.issuer),
        "validFrom": timestamp(award.issued_on),
    }
    if award.valid_until:
        document["validUntil"] = timestamp(award.valid_until)
    document["awardedDate"] = timestamp(award.issued_on)
    document["credentialSubject"] = {
        "id": award.subject_id,
        "type": ["AchievementSubject"],
        "identifier": identifiers(award),
        "achievement": achievement(badge),
    }
    if award.evidence:
        evidence = []
        for item in award.evidence:
            entry: dict[str, Any] = {"type": ["Evidence"]}
            if item.get("url"):
                entry["id"] = item["url"]
            for field in ("name", "narrative"):
                if item.get(field):
                    entry[field] = item[field]
            evidence.append(entry)
        document["evidence"] = evidence
    document["credentialStatus"] = statuslist.status_list_entry(
        status_list_credential=links.award_status_list_url(award), index=award.status_index
    )
    document["credentialSchema"] = [{"id": SCHEMA_URL, "type": SCHEMA_TYPE}]
    return document


def sign_credential(document: dict[str, Any], issuer: Issuer, created=None) -> dict[str, Any]:
    """Add the ``eddsa-rdfc-2022`` proof, as a proof set, with the issuer's active Ed25519 key."""
    key = keystore.active_key(issuer, IssuerKey.Algorithm.ED25519)
    return sign_eddsa_rdfc_2022(
        document, keystore.private_key(key), links.issuer_key_url(key), created=created
    )


def encode_jwt(document: dict[str, Any], issuer: Issuer) -> str:
    """The credential (without the embedded proof) as a VC-JWT, RS256, ``kid`` = its JWK URL.

    The claims (``jws.encode_vc_jwt``): ``iss`` issuer id, ``jti`` credential id, ``sub`` the
    subject's id, ``nbf`` validFrom and ``exp`` validUntil when there is one (OB 3.0 §8.2.1).
    """
    key = keystore.active_key(issuer, IssuerKey.Algorithm.RSA)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    kid = links.absolute("issuer_key_jwk", public_id=issuer.public_id, key_id=key.key_id)
    return encode_vc_jwt(unsecured, keystore.private_key(key), kid=kid)


def _signed_status_list(
    *, credential_id: str, issuer: Issuer, awards: QuerySet[Award], length: int, since: datetime
) -> dict[str, Any]:
    """The signed BitstringStatusListCredential (revocation) of ``awards``.

    Deterministic for a given state (validFrom and the proof's created are the last change),
    so it caches well with an ETag; ``ttl`` tells verifiers how long they may keep it.
    """
    revoked = list(awards.filter(revoked_at__isnull=False).values_list("status_index", flat=True))
    last = awards.aggregate(last=Max("revoked_at"))["last"]
    highest = awards.aggregate(top=Max("status_index"))["top"] or 0
    length = max(length, statuslist.MIN_ENTRIES)
    while highest >= length:
        length *= 2
    bits = statuslist.BitstringStatusList(length)
    for index in revoked:
        bits.set(index, 1)
    changed = last or since
    document = statuslist.build_status_list_credential(
        credential_id=credential_id,
        issuer=links.issuer_profile_url(issuer),
        status_purpose="revocation",
        encoded_list=bits.encode(),
        valid_from=changed,
        ttl_ms=STATUS_LIST_TTL_MS,
    )
    return sign_credential(document, issuer, created=timestamp(changed))


def issuer_status_list_credential(status_list: StatusList) -> dict[str, Any]:
    """The issuer's status list: every award made since per-issuer lists, all its badges."""
    return _signed_status_list(
        credential_id=links.issuer_status_list_url(status_list.issuer, status_list.purpose),
        issuer=status_list.issuer,
        awards=Award.objects.filter(status_list=status_list),
        length=status_list.length,
        since=status_list.created_at,
    )


def status_list_credential(badge: BadgeClass) -> dict[str, Any]:
    """The badge's own status list, still served for the awards made before per-issuer lists
    (and only those are in it)."""
    return _signed_status_list(
        credential_id=links.status_list_url(badge),
        issuer=badge.issuer,
        awards=Award.objects.filter(badge_class=badge, status_list=None),
        length=statuslist.MIN_ENTRIES,
        since=badge.published_at or badge.created_at,
    )


def endorsement_credential(endorsement: Endorsement) -> dict[str, Any]:
    """The unsigned OB 3.0 ``EndorsementCredential``."""
    badge, endorser = endorsement.badge_class, endorsement.endorser
    return {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": links.absolute("endorsement_ob3", public_id=endorsement.public_id),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"{endorser.name} endorses “{badge.name}”",
        "issuer": profile(endorser),
        "validFrom": timestamp(endorsement.issued_on),
        "credentialSubject": {
            "id": links.badge_url(badge),
            "type": ["EndorsementSubject"],
            "endorsementComment": endorsement.comment,
        },
        # No credentialSchema: the 3.0.3 context defines its validator type only inside
        # OpenBadgeCredential, so here it would not be an IRI and could not be signed.
    }
