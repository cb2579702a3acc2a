import base64
import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credentials import services
from credentials.issuing import keystore, openbadges3
from credentials.issuing.signing import sign_award
from credentials.models import Issuer, IssuerKey
from credentials.standards import eu_terms, jsonld, keys, statuslist
from credentials.standards.dataintegrity import verify_eddsa_rdfc_2022
from credentials.standards.jws import JWSError, decode_vc_jwt
from tests.credentials.second_factor_support import login_with_second_factor

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


def test_the_subject_has_a_stable_id_and_a_salted_hash_never_the_email(signed):
    subject = signed.ob3_credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"] == signed.subject_id and signed.subject_id.startswith("urn:uuid:")
    assert subject["identifier"][0] == {
        "type": "IdentityObject",
        "identityHash": signed.identity_hash,
        "identityType": "emailAddress",
        "hashed": True,
        "salt": signed.salt,
    }
    assert signed.recipient_email not in json.dumps(signed.ob3_credential)


def test_every_award_has_its_own_subject_id(badge, learner):
    first = services.award(badge, learner)
    second = services.award(badge, "someone@example.org")
    assert first.subject_id != second.subject_id
    first.refresh_from_db()
    assert first.subject_id == services.award(badge, learner).subject_id  # stored, stable


def _identifiers(award):
    return sign_award(award).ob3_credential["credentialSubject"]["identifier"]


def test_the_learners_name_identifies_them_when_the_issuer_chooses_so(given):
    assert given.badge_class.issuer.learner_identification == "name_email"  # the default
    assert _identifiers(given)[1] == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Lena",
    }


def test_only_the_hashed_email_identifies_the_learner_when_the_issuer_chooses_so(badge, learner):
    badge.issuer.learner_identification = Issuer.LearnerIdentification.EMAIL
    badge.issuer.save()
    identifiers = _identifiers(services.award(badge, learner))
    assert [i["identityType"] for i in identifiers] == ["emailAddress"]
    assert "Lena" not in json.dumps(identifiers)


def test_staff_choose_the_learner_identification_in_the_institution_profile(client, uni, staff):
    login_with_second_factor(client, staff)
    url = reverse("credentials:issuer_edit", kwargs={"slug": uni.slug})
    page = client.get(url).content.decode()
    assert 'name="learner_identification"' in page and "salted hash" in page
    profile = {"name": uni.name, "kind": uni.kind, "url": uni.url, "email": uni.email}
    response = client.post(url, {**profile, "country": "NL", "learner_identification": "email"})
    assert response.status_code == 302
    uni.refresh_from_db()
    assert uni.learner_identification == Issuer.LearnerIdentification.EMAIL
    client.post(url, {**profile, "country": "NL"})  # a form without the field keeps the choice
    uni.refresh_from_db()
    assert uni.learner_identification == Issuer.LearnerIdentification.EMAIL


def test_no_name_identifier_without_a_recipient_name(badge):
    identifiers = _identifiers(services.award(badge, "anonymous@example.org"))
    assert [i["identityType"] for i in identifiers] == ["emailAddress"]


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
    achievement = doc["credentialSubject"]["achievement"]
    # Open Badges' own terms
    assert achievement["creator"] == {
        "id": doc["issuer"]["id"],
        "type": ["Profile"],
        "name": doc["issuer"]["name"],
    }
    assert doc["issuer"]["address"]["addressCountryCode"] == "NL"
    assert achievement["inLanguage"] == "en"
    assert achievement["creditsAvailable"] == 2
    assert {"targetUrl": "http://data.europa.eu/snb/eqf/6", "targetCode": "6"}.items() <= (
        achievement["alignment"][-1].items()
    )
    assert achievement["resultDescription"] == [
        {
            "id": achievement["id"] + "#grade",
            "type": ["ResultDescription"],
            "name": "Pass / fail",
            "resultType": "Result",
        }
    ]
    # European Learning Model terms for the rest
    assert achievement["learningOutcome"] == [
        "Spot a valorisation opportunity",
        "Pitch it to an industry partner",
    ]
    assert achievement["volumeOfLearning"] == "PT50H"
    assert achievement["mode"] == "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
    assert achievement["provenBy"] == {
        "type": "LearningAssessmentSpecification",
        "dcType": "Project presentation assessed by a jury",
        "idVerification": "Supervised on site, identity checked",
    }
    assert achievement["accreditation"] == {
        "type": "Accreditation",
        "dcType": "Accredited by the national agency",
    }
    assert achievement["entryRequirement"] == "None"
    assert achievement["integrationStackability"] == "Stacks into the Co-creation certificate"
    assert achievement["additionalNote"] == "https://uni.example/co-creation"
    assert "euMicroCredential" not in achievement
    assert doc["credentialSubject"]["identifier"]  # learner identification
    assert doc["awardedDate"] == doc["validFrom"]  # date of issue
    labels = [element.label for element in eu_terms.elements(doc)]
    assert len(labels) == 15 and "Type of quality assurance" in labels


def test_the_credential_expands_in_safe_mode_so_every_term_is_defined(signed):
    expanded = jsonld.expand(signed.ob3_credential, safe=True)
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential" in json.dumps(
        expanded
    )


def test_the_data_integrity_proof_verifies_with_the_published_multikey(signed):
    [proof] = signed.ob3_credential["proof"]  # a proof set: an array
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


def test_the_vc_jwt_claims_name_issuer_credential_subject_and_validity(badge, learner):
    badge.validity_days = 30
    badge.save()
    award = sign_award(services.award(badge, learner))
    doc = award.ob3_credential
    decoded = decode_vc_jwt(award.ob3_jwt, rsa_resolver(badge.issuer))
    assert decoded.claims["iss"] == doc["issuer"]["id"]
    assert decoded.claims["jti"] == doc["id"] == f"{BASE}{award.public_id}/"
    assert decoded.claims["sub"] == award.subject_id == doc["credentialSubject"]["id"]
    assert decoded.claims["nbf"] == int(award.issued_on.replace(microsecond=0).timestamp())
    assert decoded.claims["exp"] == int(award.valid_until.replace(microsecond=0).timestamp())


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


def test_the_credential_points_at_its_bit_in_the_issuers_status_list(signed):
    status = signed.ob3_credential["credentialStatus"]
    issuer = signed.badge_class.issuer
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(signed.status_index)
    url = f"{BASE}issuers/{issuer.public_id}/status/revocation"
    assert status["statusListCredential"] == url
    assert signed.status_list.issuer == issuer


def _bit(award):
    document = openbadges3.issuer_status_list_credential(award.status_list)
    encoded = document["credentialSubject"]["encodedList"]
    return statuslist.BitstringStatusList.decode(encoded).get(award.status_index), document


def test_revocation_sets_the_bit_in_the_signed_status_list(signed, staff):
    issuer = signed.badge_class.issuer
    bit, before = _bit(signed)
    assert bit == 0
    services.revoke(signed, "Issued by mistake", staff)
    bit, after = _bit(signed)
    assert bit == 1
    assert after["validFrom"] >= before["validFrom"]
    assert verify_eddsa_rdfc_2022(after, ed25519_resolver(issuer)) == (True, "verified")


def test_the_status_list_is_a_signed_bitstring_status_list_credential(signed):
    _, document = _bit(signed)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["issuer"] == signed.ob3_credential["issuer"]["id"]
    assert len(statuslist.decode_bitstring(document["credentialSubject"]["encodedList"])) * 8 >= (
        statuslist.MIN_ENTRIES
    )
    assert document["credentialSubject"]["ttl"] == 300_000  # milliseconds: five minutes
    assert isinstance(document["proof"], list) and len(document["proof"]) == 1


def test_the_status_list_is_the_same_document_until_something_changes(signed):
    first = openbadges3.issuer_status_list_credential(signed.status_list)
    assert openbadges3.issuer_status_list_credential(signed.status_list) == first


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
    """credentials.standards.jsonld memoises scoped-context processing; plain pyld must agree."""
    from pyld import jsonld as pyld_jsonld

    from credentials.standards.jsonld import ContextStore, default_store

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


def test_the_credential_page_says_how_the_learner_is_identified(client, given):
    from credentials.issuing.baking import sign_award

    award = sign_award(given)
    award.is_public = True
    award.save()
    page = client.get(f"/credentials/{award.public_id}/").content.decode()
    assert award.names_learner  # the issuer's default: name and hashed e-mail
    assert "by their name and a salted hash of their e-mail address" in page
    assert "<dt>Language</dt>" in page
