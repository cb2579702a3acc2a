"""The credentials app's models, by concern; every model is importable from here, as Django and
the migrations expect (``credentials.models.Award``, ``credentials.models.new_subject_id``).

This app is an issuer and verifier that knows nothing about courses: it imports no other
app of the project, and refers to people through ``settings.AUTH_USER_MODEL``.
"""

from credentials.models.approvals import ApprovalRequest
from credentials.models.awards import (
    Award,
    StatusList,
    new_subject_id,
)
from credentials.models.badges import BadgeClass, Endorsement, EndorsementQuerySet
from credentials.models.bulk import BulkAward, BulkAwardChunk
from credentials.models.editions import BadgeEdition
from credentials.models.frameworks import Competency, Framework
from credentials.models.imports import ImportedCredential, PublicProfile
from credentials.models.issuers import Issuer, IssuerKey, SecretTextField
from credentials.models.oauth import OAuthClientRegistration
from credentials.models.remote import RemoteConnection, RemoteHost
from credentials.models.verifications import VerificationEvent
from credentials.models.wallets import WalletCredential, WalletNonce, WalletOffer

__all__ = [
    "ApprovalRequest",
    "Award",
    "BadgeClass",
    "BadgeEdition",
    "BulkAward",
    "BulkAwardChunk",
    "Competency",
    "Endorsement",
    "EndorsementQuerySet",
    "Framework",
    "ImportedCredential",
    "Issuer",
    "IssuerKey",
    "OAuthClientRegistration",
    "PublicProfile",
    "RemoteConnection",
    "RemoteHost",
    "SecretTextField",
    "StatusList",
    "VerificationEvent",
    "WalletCredential",
    "WalletNonce",
    "WalletOffer",
    "new_subject_id",
]
