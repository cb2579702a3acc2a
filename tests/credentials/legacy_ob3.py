"""Awards signed the way the issuer signed OB 3.0 credentials before the versioned EU context,
per-issuer status lists and proof sets — to check that those stored credentials keep working.

That era's credential: the EU elements in an ``euMicroCredential`` object whose terms an
inline ``@context`` object defined under the site's address, no ``credentialSubject.id``,
the e-mail hash as the only identifier, a position in the badge's own status list, and a
single proof object.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone

from credentials import services
from credentials.issuing import keystore, links, openbadges3
from credentials.models import Award, BadgeClass, IssuerKey
from credentials.standards import statuslist
from credentials.standards.dataintegrity import sign_eddsa_rdfc_2022

V1_TERMS = {
    "creator", "inLanguage", "resultDescription", "learningOutcome", "volumeOfLearning", "mode",
    "provenBy", "accreditation", "entryRequirement", "integrationStackability", "additionalNote",
}  # fmt: skip


def _legacy_eu_elements(badge: BadgeClass) -> dict[str, Any]:
    issuer = badge.issuer
    ects = badge.ects_credits
    values: dict[str, Any] = {
        "type": "EuMicroCredentialElements",
        "awardingBody": issuer.name,
        "awardingBodyCountry": issuer.country.code if issuer.country else None,
        "learningOutcome": badge.outcomes or None,
        "workloadHours": badge.workload_hours,
        "ectsCredits": (int(ects) if ects == int(ects) else float(ects)) if ects else None,
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


def legacy_credential(award: Award) -> dict[str, Any]:
    """The unsigned credential of ``award`` (in its badge's own list) in that era's shape."""
    assert award.status_list_id is None, "a legacy award is in its badge's own status list"
    document = openbadges3.credential(award)
    document["@context"] = [
        openbadges3.VC_CONTEXT,
        openbadges3.OB3_CONTEXT,
        openbadges3.OB3_EXTENSIONS_CONTEXT,
        openbadges3.legacy_eu_context(),
    ]
    subject = document["credentialSubject"]
    del subject["id"]
    subject["identifier"] = subject["identifier"][:1]
    achievement = {k: v for k, v in subject["achievement"].items() if k not in V1_TERMS}
    endorsements = achievement.pop("endorsement", None)
    achievement["euMicroCredential"] = _legacy_eu_elements(award.badge_class)
    if endorsements:
        achievement["endorsement"] = endorsements
    subject["achievement"] = achievement
    document["credentialStatus"] = statuslist.status_list_entry(
        status_list_credential=links.status_list_url(award.badge_class), index=award.status_index
    )
    return document


def legacy_award(badge: BadgeClass, recipient) -> Award:
    """An award as one made, signed and stored before this change (its document never
    changes again)."""
    award = services.award(badge, recipient)
    last = Award.objects.filter(badge_class=badge, status_list=None).aggregate(
        last=Max("status_index")
    )["last"]
    Award.objects.filter(pk=award.pk).update(
        status_list=None, status_index=0 if last is None else last + 1
    )
    award.refresh_from_db()
    key = keystore.active_key(badge.issuer, IssuerKey.Algorithm.ED25519)
    signed = sign_eddsa_rdfc_2022(
        legacy_credential(award),
        keystore.private_key(key),
        links.issuer_key_url(key),
        proof_set=False,
    )
    Award.objects.filter(pk=award.pk).update(ob3_credential=signed, signed_at=timezone.now())
    award.refresh_from_db()
    return award
