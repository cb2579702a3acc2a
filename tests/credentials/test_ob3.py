import base64
import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from credentials import jsonld, keys, keystore, openbadges3, services, statuslist
from credentials.dataintegrity import verify_eddsa_rdfc_2022
from credentials.jws import JWSError, decode_vc_jwt
from credentials.models import IssuerKey
from credentials.signing import sign_award

pytestmark = pytest.mark.django_db
BASE = "http://testserver/credentials/"


def ed25519_resolver(issuer):
    """Resolve a verificationMethod the way a verifier would: from the issuer's published keys."""
    published = {
        f"{BASE}issuers/{issuer.public_id}/keys/{k.key_id}": k
        for k in keystore.published_keys(issuer)
    }

    def resolve(verification_method):
        return keys.public_key_from_multibase(published[verification_method].public_key)

    return resolve


def rsa_resolver(issuer):
    jwks = {k["kid"]: k for k in openbadges3.profile_document(issuer)["jwks"]["keys"]}
    return lambda header: keys.public_key_from_jwk(jwks[header["kid"]])


@pytest.fixture
def signed(given):
    return sign_award(given)


def test_the_credential_is_an_open_badge_credential_with_vc_v2_and_ob3_contexts(signed):
    doc = signed.ob3_credential
    assert doc["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["id"] == f"{BASE}{signed.public_id}/"
    assert doc["issuer"]["type"] == ["Profile"]
    assert doc["issuer"]["id"] == f"{BASE}issuers/{signed.badge_class.issuer.public_id}/profile"
    assert doc["validFrom"].endswith("Z")
    assert doc["credentialSchema"] == [
        {"id": openbadges3.SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}
    ]


def test_the_subject_is_identified_by_a_salted_hash_never_the_email(signed):
    subject = signed.ob3_credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityHash": signed.identity_hash,
            "identityType": "emailAddress",
            "hashed": True,
            "salt": signed.salt,
        }
    ]
    assert signed.recipient_email not in json.dumps(signed.ob3_credential)
    assert "id" not in subject


def test_the_achievement_carries_criteria_image_alignments_type_and_credits(signed):
    achievement = signed.ob3_credential["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Badge"
    assert achievement["criteria"]["narrative"]
    assert achievement["image"]["type"] == "Image"
    frameworks = [a["targetFramework"] for a in achievement["alignment"]]
    assert "European Qualifications Framework" in frameworks and len(frameworks) == 3
    assert achievement["creditsAvailable"] == 2 and isinstance(achievement["creditsAvailable"], int)


def test_every_eu_element_is_carried_in_the_credential(signed):
    doc = signed.ob3_credential
    eu = doc["credentialSubject"]["achievement"]["euMicroCredential"]
    assert eu["learningOutcome"] == [
        "Spot a valorisation opportunity",
        "Pitch it to an industry partner",
    ]
    assert eu["workloadHours"] == 50 and eu["ectsCredits"] == 2 and eu["eqfLevel"] == 6
    for element in (
        "assessmentType",
        "participationForm",
        "qualityAssurance",
        "prerequisites",
        "supervisionAndIdentityVerification",
        "gradeScheme",
        "integration",
        "furtherInformation",
    ):
        assert eu[element], element
    assert eu["awardingBody"] == doc["issuer"]["name"]
    assert doc["issuer"]["address"]["addressCountryCode"] == "NL"
    assert doc["credentialSubject"]["identifier"]  # learner identification
    assert doc["awardedDate"] == doc["validFrom"]  # date of issue


def test_the_credential_expands_in_safe_mode_so_every_term_is_defined(signed):
    expanded = jsonld.expand(signed.ob3_credential, safe=True)
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential" in json.dumps(
        expanded
    )


def test_the_data_integrity_proof_verifies_with_the_published_multikey(signed):
    proof = signed.ob3_credential["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"].endswith("/keys/ed25519-1")
    resolver = ed25519_resolver(signed.badge_class.issuer)
    assert verify_eddsa_rdfc_2022(signed.ob3_credential, resolver) == (True, "verified")


def test_the_vc_jwt_verifies_and_carries_the_same_credential(signed):
    decoded = decode_vc_jwt(signed.ob3_jwt, rsa_resolver(signed.badge_class.issuer))
    assert decoded.header["alg"] == "RS256"
    assert decoded.header["kid"].endswith("/keys/rsa-1.jwk")
    without_proof = {k: v for k, v in signed.ob3_credential.items() if k != "proof"}
    assert decoded.credential == without_proof


def _leaf_paths(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaf_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaf_paths(value, (*path, index))
    else:
        yield path


def _tampered(document, path):
    forged = copy.deepcopy(document)
    target = forged
    for step in path[:-1]:
        target = target[step]
    value = target[path[-1]]
    if isinstance(value, bool):
        target[path[-1]] = not value
    elif isinstance(value, int):
        target[path[-1]] = value + 1
    else:
        target[path[-1]] = str(value) + "x"
    return forged


def test_tampering_with_any_signed_field_makes_the_data_integrity_proof_fail(signed):
    document = signed.ob3_credential
    resolver = ed25519_resolver(signed.badge_class.issuer)
    paths = [p for p in _leaf_paths(document) if p[0] != "proof"]
    assert len(paths) > 60
    survivors = [p for p in paths if verify_eddsa_rdfc_2022(_tampered(document, p), resolver)[0]]
    assert survivors == []


def test_tampering_with_any_field_makes_the_vc_jwt_fail(signed):
    header, payload, signature = signed.ob3_jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    resolver = rsa_resolver(signed.badge_class.issuer)
    survivors = []
    for path in _leaf_paths(claims):
        forged = json.dumps(_tampered(claims, path)).encode()
        body = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
        try:
            decode_vc_jwt(f"{header}.{body}.{signature}", resolver)
        except JWSError:
            continue
        survivors.append(path)
    assert survivors == []


def test_the_profile_publishes_every_key_with_the_issuer_as_controller(uni):
    keystore.rotate_keys(uni)
    doc = openbadges3.profile_document(uni)
    assert doc["type"] == ["Profile"]
    methods = doc["verificationMethod"]
    assert [m["id"].rsplit("/", 1)[1] for m in methods] == ["ed25519-2", "ed25519-1"]
    assert all(m["type"] == "Multikey" and m["controller"] == doc["id"] for m in methods)
    assert doc["assertionMethod"] == [m["id"] for m in methods]
    assert len(doc["jwks"]["keys"]) == 4
    assert not any("d" in k for k in doc["jwks"]["keys"])


def test_the_credential_points_at_its_bit_in_the_badge_status_list(signed):
    status = signed.ob3_credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(signed.status_index)
    assert status["statusListCredential"] == f"{BASE}badges/{signed.badge_class.public_id}/status"


def _bit(badge, index):
    document = openbadges3.status_list_credential(badge)
    encoded = document["credentialSubject"]["encodedList"]
    return statuslist.BitstringStatusList.decode(encoded).get(index), document


def test_revocation_sets_the_bit_in_the_signed_status_list(signed, staff):
    badge = signed.badge_class
    bit, before = _bit(badge, signed.status_index)
    assert bit == 0
    services.revoke(signed, "Issued by mistake", staff)
    bit, after = _bit(badge, signed.status_index)
    assert bit == 1
    assert after["validFrom"] >= before["validFrom"]
    assert verify_eddsa_rdfc_2022(after, ed25519_resolver(badge.issuer)) == (True, "verified")


def test_the_status_list_is_a_signed_bitstring_status_list_credential(signed):
    _, document = _bit(signed.badge_class, 0)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["issuer"] == signed.ob3_credential["issuer"]["id"]
    assert len(statuslist.decode_bitstring(document["credentialSubject"]["encodedList"])) * 8 >= (
        statuslist.MIN_ENTRIES
    )


def test_the_status_list_is_the_same_document_until_something_changes(signed):
    first = openbadges3.status_list_credential(signed.badge_class)
    assert openbadges3.status_list_credential(signed.badge_class) == first


def test_an_expiring_award_has_valid_until_and_its_jwt_an_exp_claim(badge, learner):
    badge.validity_days = 30
    badge.save()
    award = sign_award(services.award(badge, learner))
    doc = award.ob3_credential
    assert doc["validUntil"] > doc["validFrom"]
    decoded = decode_vc_jwt(award.ob3_jwt, rsa_resolver(badge.issuer))
    assert decoded.claims["exp"] > decoded.claims["nbf"]


def test_an_expired_credential_is_refused_by_the_jwt_check_and_reported_expired(badge, learner):
    badge.validity_days = 1
    badge.save()
    issued = timezone.now() - timedelta(days=3)
    award = sign_award(services.award(badge, learner, issued_on=issued))
    assert services.award_status(award) == "expired"
    with pytest.raises(JWSError, match="expired"):
        decode_vc_jwt(award.ob3_jwt, rsa_resolver(badge.issuer))
    later = datetime.now(UTC) - timedelta(days=2, hours=12)
    assert decode_vc_jwt(award.ob3_jwt, rsa_resolver(badge.issuer), now=later)


def test_award_status_is_valid_expired_or_revoked(given, staff):
    assert services.award_status(given) == "valid"
    given.valid_until = timezone.now() - timedelta(seconds=1)
    assert services.award_status(given) == "expired"
    revoked = services.revoke(given, "Mistake", staff)
    assert services.award_status(revoked) == "revoked"


def test_the_signed_documents_survive_key_rotation(signed):
    keystore.rotate_keys(signed.badge_class.issuer)
    resolver = ed25519_resolver(signed.badge_class.issuer)
    assert verify_eddsa_rdfc_2022(signed.ob3_credential, resolver) == (True, "verified")
    assert decode_vc_jwt(signed.ob3_jwt, rsa_resolver(signed.badge_class.issuer))


def test_signing_is_idempotent(signed):
    again = sign_award(signed)
    assert again.ob3_credential == signed.ob3_credential and again.ob3_jwt == signed.ob3_jwt


def test_ects_with_a_fraction_stays_a_number(badge, learner):
    badge.ects_credits = "2.5"
    badge.save()
    badge.refresh_from_db()
    award = sign_award(services.award(badge, learner))
    assert award.ob3_credential["credentialSubject"]["achievement"]["creditsAvailable"] == 2.5


def test_the_multikey_document_is_the_issuers(uni):
    key = keystore.active_key(uni, IssuerKey.Algorithm.ED25519)
    doc = openbadges3.multikey_document(key)
    assert doc["controller"] == openbadges3.profile_document(uni)["id"]
    assert doc["publicKeyMultibase"].startswith("z6Mk")


def test_the_memoised_canonical_form_equals_plain_pylds(signed):
    """credentials.jsonld memoises scoped-context processing; pyld without it must agree."""
    from pyld import jsonld as pyld_jsonld

    from credentials.jsonld import ContextStore, default_store

    document = {k: v for k, v in signed.ob3_credential.items() if k != "proof"}
    plain = pyld_jsonld.JsonLdProcessor().normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": ContextStore().load_document,
        },
    )
    assert default_store.canonicalize(document) == plain
    assert default_store.canonicalize(document) == plain  # the second time, from the memo
