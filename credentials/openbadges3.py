"""Open Badges 3.0 documents: OpenBadgeCredential (VC Data Model 2.0), Profile, status lists.

The credential carries the issuer ``Profile`` (with its country: an EU element), an
``AchievementSubject`` identified by the salted hash of the e-mail, and the ``Achievement``
with criteria, image, alignments (competences and the EQF level), achievementType and the EU
micro-credential elements (in the ``euMicroCredential`` object, whose terms an inline context
defines). Two proofs: an embedded ``DataIntegrityProof`` (``eddsa-rdfc-2022``, the issuer's
Ed25519 key published as a Multikey) and the same credential as a VC-JWT (RS256).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Max

from . import keystore, links, statuslist
from .dataintegrity import sign_eddsa_rdfc_2022
from .jws import encode_vc_jwt
from .keys import MULTIKEY_CONTEXT, public_jwk
from .models import Award, BadgeClass, Issuer, IssuerKey
from .openbadges2 import alignment, timestamp

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
CONTENT_TYPE = "application/vc+ld+json"
JWT_CONTENT_TYPE = "application/vc+jwt"
SEC = "https://w3id.org/security#"
EQF_URL = "http://data.europa.eu/snb/eqf/{level}"

# Terms of the EU micro-credential elements (Council Recommendation 2022/C 243/02, Annex I)
# that Open Badges 3.0 has no term for. Defined inline, so no context needs fetching.
EU_TERMS = (
    "learningOutcome",
    "workloadHours",
    "ectsCredits",
    "eqfLevel",
    "assessmentType",
    "participationForm",
    "qualityAssurance",
    "prerequisites",
    "supervisionAndIdentityVerification",
    "gradeScheme",
    "integration",
    "furtherInformation",
    "awardingBody",
    "awardingBodyCountry",
)


def eu_context() -> dict[str, Any]:
    return copy.deepcopy(_eu_context(links.vocabulary_url()))


@lru_cache(maxsize=8)
def _eu_context(vocabulary_url: str) -> dict[str, Any]:
    namespace = vocabulary_url + "#"
    context: dict[str, Any] = {
        "EuMicroCredentialElements": namespace + "EuMicroCredentialElements",
        "euMicroCredential": namespace + "euMicroCredential",
    }
    for term in EU_TERMS:
        context[term] = namespace + term
    return context


def credential_context() -> list[Any]:
    return [VC_CONTEXT, OB3_CONTEXT, OB3_EXTENSIONS_CONTEXT, eu_context()]


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
    """The EU micro-credential elements the badge class carries (empty ones left out)."""
    issuer = badge.issuer
    values: dict[str, Any] = {
        "type": "EuMicroCredentialElements",
        "awardingBody": issuer.name,
        "awardingBodyCountry": issuer.country.code if issuer.country else None,
        "learningOutcome": badge.outcomes or None,
        "workloadHours": badge.workload_hours,
        "ectsCredits": _number(badge.ects_credits) if badge.ects_credits is not None else None,
        "eqfLevel": badge.eqf_level,
        "assessmentType": badge.assessment_type,
        "participationForm": badge.participation_form,
        "qualityAssurance": badge.quality_assurance,
        "prerequisites": badge.prerequisites,
        "supervisionAndIdentityVerification": badge.supervision_and_identity,
        "gradeScheme": badge.grade_scheme,
        "integration": badge.integration,
        "furtherInformation": badge.further_information,
    }
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def achievement(badge: BadgeClass) -> dict[str, Any]:
    criteria: dict[str, Any] = {"narrative": badge.criteria_narrative}
    if badge.criteria_url:
        criteria["id"] = badge.criteria_url
    document: dict[str, Any] = {
        "id": links.badge_url(badge),
        "type": ["Achievement"],
        "achievementType": badge.achievement_type,
        "name": badge.name,
        "description": badge.description,
        "criteria": criteria,
        "image": _image(links.badge_image_url(badge), badge.name),
    }
    items = alignments(badge)
    if items:
        document["alignment"] = items
    if badge.ects_credits is not None:
        document["creditsAvailable"] = _number(badge.ects_credits)
    if badge.tags:
        document["tag"] = [str(tag) for tag in badge.tags]
    document["euMicroCredential"] = eu_elements(badge)
    from .endorsements import active  # endorsements are signed with this module

    endorsed = [endorsement.credential for endorsement in active(badge)]
    if endorsed:
        document["endorsement"] = endorsed
    return document


def credential(award: Award) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of ``award``."""
    badge = award.badge_class
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
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": award.identity_hash,
                "identityType": "emailAddress",
                "hashed": True,
                "salt": award.salt,
            }
        ],
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
        status_list_credential=links.status_list_url(badge), index=award.status_index
    )
    document["credentialSchema"] = [{"id": SCHEMA_URL, "type": SCHEMA_TYPE}]
    return document


def sign_credential(document: dict[str, Any], issuer: Issuer, created=None) -> dict[str, Any]:
    """Add the ``eddsa-rdfc-2022`` proof with the issuer's active Ed25519 key."""
    key = keystore.active_key(issuer, IssuerKey.Algorithm.ED25519)
    return sign_eddsa_rdfc_2022(
        document, keystore.private_key(key), links.issuer_key_url(key), created=created
    )


def encode_jwt(document: dict[str, Any], issuer: Issuer) -> str:
    """The credential (without the embedded proof) as a VC-JWT, RS256, ``kid`` = its JWK URL."""
    key = keystore.active_key(issuer, IssuerKey.Algorithm.RSA)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    kid = links.absolute("issuer_key_jwk", public_id=issuer.public_id, key_id=key.key_id)
    return encode_vc_jwt(unsecured, keystore.private_key(key), kid=kid)


def status_list_credential(badge: BadgeClass) -> dict[str, Any]:
    """The signed BitstringStatusListCredential (revocation) of ``badge``'s awards.

    Deterministic for a given state (validFrom and the proof's created are the last change),
    so it caches well with an ETag.
    """
    awards = Award.objects.filter(badge_class=badge)
    revoked = list(awards.filter(revoked_at__isnull=False).values_list("status_index", flat=True))
    last = awards.aggregate(last=Max("revoked_at"))["last"]
    length = statuslist.MIN_ENTRIES
    highest = awards.aggregate(top=Max("status_index"))["top"] or 0
    while highest >= length:
        length *= 2
    bits = statuslist.BitstringStatusList(length)
    for index in revoked:
        bits.set(index, 1)
    since = last or badge.published_at or badge.created_at
    document = statuslist.build_status_list_credential(
        credential_id=links.status_list_url(badge),
        issuer=links.issuer_profile_url(badge.issuer),
        status_purpose="revocation",
        encoded_list=bits.encode(),
        valid_from=since,
    )
    return sign_credential(document, badge.issuer, created=timestamp(since))
