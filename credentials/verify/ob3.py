"""Open Badges 3.0: an OpenBadgeCredential with a Data Integrity proof or as a VC-JWT.

The proof must verify with a key the issuer publishes (:mod:`.issuer_keys`); then the issuer
is vouched for (:mod:`.trust`), endorsements are checked, and the status is read
(:mod:`.status`); dates and recipient come last (:mod:`.checks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from credentials.standards import dataintegrity, jws
from credentials.verify import checks, signed_reading, status, trust
from credentials.verify.context import Verification
from credentials.verify.issuer_keys import key_detail
from credentials.verify.reading import URL_RE, as_list, contexts, id_of, text, types
from credentials.verify.results import Stop, _
from credentials.verify.summary import summary_ob3

__all__ = [
    "CREDENTIALS_V1",
    "CREDENTIALS_V2",
    "OB3_CONTEXT_PREFIX",
    "check",
    "check_signed",
    "is_ob3",
]

CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"


def is_ob3(document: Mapping[str, Any]) -> bool:
    found = [c for c in contexts(document) if isinstance(c, str)]
    return (CREDENTIALS_V2 in found or CREDENTIALS_V1 in found) and bool(
        {"OpenBadgeCredential", "AchievementCredential"} & set(types(document))
    )


def _missing(credential: Mapping[str, Any]) -> list[str]:
    missing = []
    found = [c for c in contexts(credential) if isinstance(c, str)]
    if not found or found[0] not in (CREDENTIALS_V2, CREDENTIALS_V1):
        missing.append("the VC @context first")
    if not any(c.startswith(OB3_CONTEXT_PREFIX) for c in found):
        missing.append("the Open Badges 3.0 @context")
    if "VerifiableCredential" not in types(credential):
        missing.append("type VerifiableCredential")
    if not id_of(credential.get("issuer")):
        missing.append("issuer.id")
    if not (credential.get("validFrom") or credential.get("issuanceDate")):
        missing.append("validFrom")
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if not isinstance(achievement, Mapping):
        missing.append("credentialSubject.achievement")
    else:
        for name in ("name", "criteria"):
            if not achievement.get(name):
                missing.append(f"achievement.{name}")
    return missing


def check(
    v: Verification, credential: dict[str, Any], proof_format: str, token: str | None = None
) -> None:
    v.result.proof_format = proof_format
    issuer_id = id_of(credential.get("issuer"))
    v.result.summary = summary_ob3(credential)
    missing = _missing(credential)
    if missing:
        fields = {"fields": ", ".join(missing)}
        v.check("schema", False, _("Missing or wrong: %(fields)s.") % fields)
        raise Stop(
            "not_a_badge", "not_a_credential", _("The credential lacks %(fields)s.") % fields
        )
    v.check("schema", True, _("An Open Badges 3.0 OpenBadgeCredential with every required part."))
    assert issuer_id is not None  # noqa: S101 - checked by _missing
    check_signed(v, credential, issuer_id, token)


def check_signed(
    v: Verification, credential: dict[str, Any], issuer_id: str, token: str | None = None
) -> None:
    """Everything after the shape: the proof with the issuer's keys, who vouches for the
    issuer, endorsements, status, dates and recipient (a CLR 2.0 record is checked so too)."""
    proof_ok = False
    v.keys.error = None
    if token is not None:
        try:
            decoded = jws.decode_vc_jwt(
                token,
                lambda header: v.keys.jose(header, issuer_id),
                now=v.now,
                leeway=checks.NO_LEEWAY_LIMIT,
            )
        except jws.JWSError as exc:
            _key_failure(v, _("The VC-JWT signature does not verify: %(exc)s.") % {"exc": exc})
        else:
            credential = decoded.credential
            v.check("issuer_key", True, key_detail(issuer_id))
            alg = decoded.header.get("alg")
            v.check("proof", True, _("The VC-JWT signature (%(alg)s) verifies.") % {"alg": alg})
            proof_ok = True
    elif credential.get("proof") is None:
        v.check("proof", False, _("The credential carries no proof."))
        v.flag("tampered", "no_proof")
    else:
        ok, reason = dataintegrity.verify_eddsa_rdfc_2022(
            credential, lambda method: v.keys.resolve(method, issuer_id), now=v.now
        )
        rewritten = signed_reading.problem(credential) if ok else None
        if rewritten:
            # The proof signs the RDF, but the keys read below would not say what it signed.
            v.check("issuer_key", True, key_detail(issuer_id))
            v.check(
                "proof",
                False,
                _(
                    "The signature holds, but the credential was rewritten after signing so that "
                    "it reads differently from what was signed: %(rewritten)s."
                )
                % {"rewritten": rewritten},
            )
            v.flag("tampered", "rewritten")
        elif ok:
            v.check("issuer_key", True, key_detail(issuer_id))
            v.check("proof", True, _("The Data Integrity proof (eddsa-rdfc-2022) verifies."))
            proof_ok = True
        else:
            _key_failure(
                v, _("The Data Integrity proof does not verify: %(reason)s.") % {"reason": reason}
            )
    trust.vouch(v, issuer_id, credential.get("issuer"))
    if proof_ok:
        _endorsements(v, credential)
        if not status.platform_status(v, credential.get("id")):
            status.ob3_status(v, credential, issuer_id)
    else:
        v.check("status", None, _("Not checked: the signature did not verify."))
    checks.dates(
        v,
        credential.get("validFrom", credential.get("issuanceDate")),
        credential.get("validUntil", credential.get("expirationDate")),
    )
    subject = credential.get("credentialSubject")
    identities = []
    if isinstance(subject, Mapping):
        for identity in as_list(subject.get("identifier")):
            if isinstance(identity, Mapping) and identity.get("identityType") in (
                "emailAddress",
                None,
            ):
                identities.append(
                    (
                        text(identity.get("identityHash")),
                        bool(identity.get("hashed")),
                        text(identity.get("salt")),
                    )
                )
        if isinstance(subject.get("id"), str) and subject["id"].startswith("mailto:"):
            identities.append((subject["id"], False, ""))
    checks.recipient(v, identities)


def _key_failure(v: Verification, fallback: str) -> None:
    error = v.keys.error
    if error is None:
        v.check("issuer_key", True, _("The signing key is one the issuer publishes."))
        v.check("proof", False, fallback)
        v.flag("tampered", "bad_signature")
        return
    v.check("issuer_key", False, str(error))
    if error.verdict == "unknown_issuer":
        v.check("proof", None, _("Not checked: the issuer's keys could not be read."))
    else:
        v.check("proof", False, _("Not made with a key of the issuer."))
    v.flag(error.verdict, error.problem, str(error))


def _owns_achievement(v: Verification, achievement_id: Any) -> bool:
    """Whether this credential's issuer can be shown to own the achievement it names.

    Anyone may copy a badge's id into their own credential, and with it a genuine
    endorsement of that badge: an endorsement of the achievement counts only when the
    achievement is one of this issuer's own (ours by our records; others by origin).
    """
    known_as = v.result.issuer_trust or {}
    if not isinstance(achievement_id, str) or not known_as:
        return False
    owner = v.records.badge_issuer(achievement_id)
    if known_as.get("kind") == "platform":
        known = v.records.issuer(known_as["id"])
        return owner is not None and known is not None and owner == known.public_id
    if owner is not None or v.records.is_site_address(achievement_id):
        v.result.notes.append(
            _(
                "The credential names a badge of an institution of this platform as its "
                "achievement, but that institution did not issue it."
            )
        )
        return False
    if known_as.get("kind") == "domain" and URL_RE.match(achievement_id):
        return urlsplit(achievement_id).netloc.lower() == known_as.get("domain")
    return False


def _endorsements(v: Verification, credential: Mapping[str, Any]) -> None:
    summary = v.result.summary
    if summary is None:
        return
    achievement = (credential.get("credentialSubject") or {}).get("achievement") or {}
    if not isinstance(achievement, Mapping):
        achievement = {}
    # An endorsement counts only for what it endorses: this credential, or its achievement
    # when the achievement is the issuer's own (a genuine endorsement of another badge,
    # copied in with that badge's id, is not "verified").
    endorsements = as_list(credential.get("endorsement")) + as_list(achievement.get("endorsement"))
    if not endorsements:
        return
    subjects = {credential.get("id")} - {None}
    if _owns_achievement(v, achievement.get("id")):
        subjects.add(achievement.get("id"))
    for endorsement in endorsements:
        if not isinstance(endorsement, Mapping):
            continue
        endorser = endorsement.get("issuer")
        endorser_id = id_of(endorser) or ""
        verified = False
        subject = endorsement.get("credentialSubject")
        about = subject.get("id") if isinstance(subject, Mapping) else None
        if endorser_id and about in subjects and endorsement.get("proof") is not None:
            try:
                ok, _reason = dataintegrity.verify_eddsa_rdfc_2022(
                    endorsement,
                    lambda method, eid=endorser_id: v.keys.resolve(method, eid),
                    now=v.now,
                )
                # Its "id" (withdrawn?) and subject are read from its JSON: as signed only.
                verified = ok and signed_reading.problem(endorsement) is None
            except Exception:  # noqa: BLE001 - an endorsement never breaks a verdict
                verified = False
        v.keys.error = None
        withdrawn = v.records.endorsement_withdrawn(text(endorsement.get("id")))
        comment = subject.get("endorsementComment") if isinstance(subject, Mapping) else ""
        standing = trust.endorser_standing(v, endorser, endorser_id, verified and not withdrawn)
        summary.endorsers.append(
            {
                **standing,
                "id": endorser_id,
                "comment": text(comment),
                "verified": verified and not withdrawn and standing["trust"] != "impersonation",
                "withdrawn": bool(withdrawn),
            }
        )
