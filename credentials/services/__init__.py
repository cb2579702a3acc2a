"""The business rules of credentials: the only door other apps use.

Other apps import ``credentials.services`` (and ``credentials.models``) and nothing else of this
app. The rules themselves live in the modules of this package, by concern: ``awards``
(awarding, revoking), ``issuers`` (who acts for which institution), ``publishing``,
``endorsements``, ``backpack``, ``bulk`` and ``emails``. Modules inside ``credentials`` import
those modules directly; this file only re-exports what other apps call.
"""

from credentials.issuing.status import award_status
from credentials.services import approvals
from credentials.services.awards import (
    AwardError,
    Evidence,
    Grant,
    award,
    award_many,
    revoke,
)
from credentials.services.editions import in_language as badge_in_language
from credentials.services.editions import in_language_many as badges_in_language
from credentials.services.issuers import can_act_for, issuers_for, update_issuer_profile
from credentials.services.recipients import attach_awards_of_verified_email
from credentials.services.second_factor import cleared as second_factor_cleared
from credentials.services.second_factor import second_factor_required
from credentials.services.verifications import checks_by_badge
from credentials.signals import approval_decided
from credentials.standards.identity import hash_identity

__all__ = [
    "approval_decided",
    "approvals",
    "attach_awards_of_verified_email",
    "AwardError",
    "Evidence",
    "Grant",
    "award",
    "award_many",
    "award_status",
    "badge_in_language",
    "badges_in_language",
    "can_act_for",
    "checks_by_badge",
    "hash_identity",
    "issuers_for",
    "revoke",
    "second_factor_cleared",
    "second_factor_required",
    "update_issuer_profile",
]
