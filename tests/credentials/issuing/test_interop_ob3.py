"""An Open Badges 3.0 verifier we did not write — Digital Bazaar's Verifiable Credentials
libraries from npm, run with Node — accepts our credential's Data Integrity proof
(eddsa-rdfc-2022), its VC-JWT (RS256, with panva's ``jose``) and its Bitstring status list,
and sees revocation and tampering.

The libraries are installed once into .node-verifier/ (gitignored); the script fetches every
document from this test's live server and takes JSON-LD contexts from npm packages, except
our own versioned EU micro-credential context, which it reads from the file we ship (its
permanent URL is not this test server's).
"""

import copy
import json
import os
import subprocess

import pytest

from credentials import services
from credentials.issuing import links
from credentials.issuing.signing import sign_award
from credentials.standards import eu_terms
from credentials.standards.jsonld import CONTEXTS_DIR
from tests.credentials.formats_support import EU_FIELDS
from tests.credentials.interop import setup

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.interop]


@pytest.fixture(scope="session")
def verifier():
    return setup.ensure_node_verifier()


@pytest.fixture
def served_ob3(live_server, settings, tmp_path, competences, learner, make_user):
    from cms import roles
    from tests.credentials.factories import make_badge, make_issuer

    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    issuer = make_issuer("uni", country="NL")
    badge = make_badge(issuer, tags=["co-creation"], validity_days=365, **EU_FIELDS)
    badge.alignments.set(competences)
    staff = make_user("staff@uni.example", roles.ISSUER_STAFF)
    issuer.staff.add(staff)
    award = sign_award(services.award(badge, learner, [services.Evidence(name="Pitch")]))
    services.backpack.set_visibility(award, True, by=learner)  # others fetch it by URL
    return award, staff


def verify(verifier, award, credential_file=None) -> dict:
    arguments = [
        links.absolute("award_ob3", public_id=award.public_id),
        links.absolute("award_jwt", public_id=award.public_id),
    ]
    if credential_file:
        arguments.append(str(credential_file))
    return run_node(verifier, arguments)


def verify_many(verifier, awards) -> list[dict]:
    """One report per award, from one run of Node."""
    arguments = ["--many"]
    for award in awards:
        arguments.append(links.absolute("award_ob3", public_id=award.public_id))
        arguments.append(links.absolute("award_jwt", public_id=award.public_id))
    return run_node(verifier, arguments)


def run_node(verifier, arguments):
    command = [setup.node(), str(verifier), *arguments]
    own = {eu_terms.CONTEXT_URL: str(CONTEXTS_DIR / eu_terms.CONTEXT_FILE)}
    result = subprocess.run(
        command,
        cwd=verifier.parent,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LOCAL_CONTEXTS": json.dumps(own)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_node_verifier_accepts_the_proof_the_jwt_and_the_status(verifier, served_ob3):
    award, _ = served_ob3
    report = verify(verifier, award)
    assert report["dataIntegrity"]["verified"] is True, report
    assert report["dataIntegrity"]["status"] == {"verified": True, "value": False, "error": None}
    assert report["jwt"] == {
        "verified": True,
        "sameCredential": True,
        "alg": "RS256",
        "error": None,
    }


def test_the_node_verifier_sees_the_revocation_in_the_status_list(verifier, served_ob3):
    award, staff = served_ob3
    services.revoke(award, "Plagiarised project", staff)
    status = verify(verifier, award)["dataIntegrity"]["status"]
    assert status["verified"] is True and status["value"] is True


def test_the_node_verifier_accepts_an_old_credential_and_its_badge_list(verifier, served_ob3):
    """A credential signed before this change (inline EU context, one proof object, the
    badge's own status list) keeps verifying, and its revocation shows in the badge list."""
    from tests.credentials.legacy_ob3 import legacy_award

    award, staff = served_ob3
    old = legacy_award(award.badge_class, "earlier@example.org")
    assert old.ob3_credential["credentialStatus"]["statusListCredential"] == links.status_list_url(
        award.badge_class
    )
    report = verify(verifier, old)["dataIntegrity"]
    assert report["verified"] is True, report
    assert report["status"]["value"] is False
    services.revoke(old, "Plagiarised project", staff)
    assert verify(verifier, old)["dataIntegrity"]["status"]["value"] is True


@pytest.mark.parametrize(
    "change",
    [
        ("credentialSubject", "achievement", "name"),
        ("credentialSubject", "identifier", 0, "identityHash"),
        ("credentialSubject", "achievement", "volumeOfLearning"),
        ("credentialSubject", "achievement", "learningOutcome", 0),
        ("credentialSubject", "achievement", "provenBy", "dcType"),
        ("credentialSubject", "id"),
        ("issuer", "name"),
        ("validFrom",),
    ],
)
def test_the_node_verifier_rejects_a_tampered_credential(verifier, served_ob3, tmp_path, change):
    award, _ = served_ob3
    forged = copy.deepcopy(award.ob3_credential)
    target = forged
    for step in change[:-1]:
        target = target[step]
    value = target[change[-1]]
    if isinstance(value, int):
        target[change[-1]] = value + 1
    elif change == ("validFrom",):
        target[change[-1]] = "2020-01-01T00:00:00Z"
    else:
        target[change[-1]] = value + "x"
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    report = verify(verifier, award, path)
    assert report["dataIntegrity"]["verified"] is False, report
    assert report["jwt"]["sameCredential"] is False


@pytest.fixture
def endorsed(served_ob3, make_user):
    """The badge endorsed by an industry partner, and a credential awarded after it."""
    from cms import roles
    from credentials.services import endorsements
    from tests.credentials.factories import make_issuer

    award, staff = served_ob3
    partner = make_issuer("helix", kind="company", country="DE")
    partner_staff = make_user("staff@helix.example", roles.ISSUER_STAFF)
    partner.staff.add(partner_staff)
    endorsement = endorsements.endorse(
        award.badge_class, partner, "We hire people who hold this badge.", partner_staff
    )
    later = sign_award(services.award(award.badge_class, "noah@example.org"))
    later.is_public = True  # fetched by URL: public (its learner has no account yet)
    later.save(update_fields=["is_public"])
    return endorsement, later


def test_the_node_verifier_accepts_a_credential_carrying_an_endorsement(verifier, endorsed):
    _endorsement, award = endorsed
    assert award.ob3_credential["credentialSubject"]["achievement"]["endorsement"]
    assert verify(verifier, award)["dataIntegrity"]["verified"] is True


def test_the_node_verifier_accepts_the_endorsement_credential(verifier, endorsed, tmp_path):
    endorsement, award = endorsed
    path = tmp_path / "endorsement.json"
    path.write_text(json.dumps(endorsement.credential))
    assert verify(verifier, award, path)["dataIntegrity"]["verified"] is True


def test_the_node_verifier_rejects_a_changed_endorsement_comment(verifier, endorsed, tmp_path):
    _endorsement, award = endorsed
    forged = copy.deepcopy(award.ob3_credential)
    subject = forged["credentialSubject"]["achievement"]["endorsement"][0]["credentialSubject"]
    subject["endorsementComment"] = "We would never hire them."
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    assert verify(verifier, award, path)["dataIntegrity"]["verified"] is False


# A few words of each language of the site, with the letters that language needs.
WORDS_IN = {
    "en": "Opportunity spotter",
    "de": "Chancen-Entdeckerin für Größe",
    "es": "Detectora de oportunidades, año uno",
    "fr": "Détecteur d'opportunités à œuvrer",
    "it": "Scopritrice di opportunità",
    "nl": "Kansenspotter – coöperatie",
    "pl": "Łowczyni okazji, źródło żółci",
    "pt": "Detetora de oportunidades à ação",
    "fi": "Mahdollisuuksien löytäjä, ääkköset",
}


def test_the_node_verifier_accepts_a_credential_issued_in_every_language(
    verifier, served_ob3, make_user
):
    """Every language the site offers as a badge's language of issue: its words signed (with
    their accents, ligatures and Polish letters), its other editions linked as related."""
    from credentials.services import editions
    from tests.credentials.factories import make_badge

    award, staff = served_ob3
    issuer = award.badge_class.issuer
    awards = []
    for n, (language, words) in enumerate(WORDS_IN.items()):
        badge = make_badge(
            issuer,
            f"spotter-{language}",
            language=language,
            name=words,
            description=words + ".",
            criteria_narrative=words + "!",
        )
        for other in [code for code in WORDS_IN if code != language][:2]:
            editions.save_edition(
                badge,
                other,
                {"name": WORDS_IN[other], "description": "…", "criteria_narrative": "…"},
                staff,
            )
        learner = make_user(f"learner-{n}@example.org")
        issued = sign_award(services.award(badge, learner))
        services.backpack.set_visibility(issued, True, by=learner)
        achievement = issued.ob3_credential["credentialSubject"]["achievement"]
        assert (achievement["inLanguage"], achievement["name"]) == (language, words)
        assert len(achievement["related"]) == 2
        awards.append(issued)
    reports = verify_many(verifier, awards)
    for language, report in zip(WORDS_IN, reports, strict=True):
        assert report["dataIntegrity"]["verified"] is True, (language, report)
        assert report["jwt"]["verified"] is True, (language, report)
        assert report["jwt"]["sameCredential"] is True, (language, report)
