"""EU micro-credential elements in OB 3.0 credentials: OB terms where OB has them, the
European Learning Model's elsewhere, from a versioned context shipped with the app, at IRIs
that do not depend on the site's address; old credentials still read."""

import json
from pathlib import Path

import pytest

from credentials import services
from credentials.issuing import links, openbadges3
from credentials.issuing.signing import sign_award
from credentials.standards import eu_terms, jsonld
from credentials.standards.jsonld import CONTEXTS_DIR
from tests.credentials.legacy_ob3 import legacy_award

pytestmark = pytest.mark.django_db

ELM = "http://data.europa.eu/snb/model/elm/"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
EU_PREDICATES = {
    # OB 3.0's own terms
    OB + "creator",
    "https://schema.org/inLanguage",
    OB + "creditsAvailable",
    OB + "alignment",
    OB + "resultDescription",
    OB + "address",
    # European Learning Model
    ELM + "learningOutcome",
    ELM + "volumeOfLearning",
    ELM + "mode",
    ELM + "provenBy",
    ELM + "idVerification",
    ELM + "accreditation",
    ELM + "entryRequirement",
    ELM + "additionalNote",
    "http://purl.org/dc/terms/type",
    # ELM has none for integration / stackability: ours, at a permanent w3id.org address
    "https://w3id.org/cocreate-academy/vocab#integrationStackability",
}


def _predicates_and_types(node, found=None):
    found = set() if found is None else found
    if isinstance(node, list):
        for item in node:
            _predicates_and_types(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type" and "@value" not in node:
                found.update(value)
            elif not key.startswith("@"):
                found.add(key)
            _predicates_and_types(value, found)
    return found


def _vocabulary(document):
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return _predicates_and_types(jsonld.expand(unsecured))


def test_every_context_of_a_new_credential_is_a_shipped_url_none_is_inline(given, settings):
    document = sign_award(given).ob3_credential
    assert all(isinstance(entry, str) for entry in document["@context"])
    assert set(document["@context"]) <= jsonld.default_store.urls
    assert document["@context"][-1] == eu_terms.CONTEXT_URL
    assert not eu_terms.CONTEXT_URL.startswith(settings.SITE_URL)


def test_every_eu_element_is_at_an_iri_outside_the_site(given, settings):
    vocabulary = _vocabulary(sign_award(given).ob3_credential)
    assert vocabulary >= EU_PREDICATES
    assert {ELM + "LearningAssessmentSpecification", ELM + "Accreditation"} <= vocabulary
    assert not [iri for iri in vocabulary if iri.startswith(settings.SITE_URL)]
    assert not [iri for iri in vocabulary if "issuer-dependent" in iri]  # all defined


def test_the_eu_iris_stay_the_same_when_the_site_moves(badge, learner, settings):
    here = openbadges3.credential(services.award(badge, learner))
    settings.SITE_URL = "https://academy.example.eu"
    moved = openbadges3.credential(services.award(badge, "someone@example.org"))
    assert moved["id"].startswith("https://academy.example.eu/")
    assert moved["@context"] == here["@context"]
    assert _vocabulary(moved) == _vocabulary(here)


def test_the_context_file_is_registered_and_says_what_eu_terms_says():
    index = json.loads((CONTEXTS_DIR / "index.json").read_text())
    assert index[eu_terms.CONTEXT_URL] == eu_terms.CONTEXT_FILE
    shipped = json.loads((CONTEXTS_DIR / eu_terms.CONTEXT_FILE).read_text())
    assert shipped == eu_terms.context_document()
    assert jsonld.default_store.get_context(eu_terms.CONTEXT_URL) == shipped
    readme = (Path(CONTEXTS_DIR) / "README.md").read_text()
    assert eu_terms.CONTEXT_URL in readme and eu_terms.CONTEXT_FILE in readme


def test_the_site_serves_the_context_for_verifiers_that_fetch_it(client, db):
    url = links.absolute("json_ld_context", context="eu-microcredential", version="v1")
    assert url == "http://testserver/credentials/contexts/eu-microcredential/v1"
    assert eu_terms.CONTEXT_URL.endswith("/contexts/eu-microcredential/v1")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == eu_terms.context_document()
    assert client.get(url.replace("v1", "v9")).status_code == 404
    assert client.get(url.replace("eu-microcredential/v1", "openbadges/v2")).status_code == 404


def test_the_elements_read_back_from_a_new_credential(given):
    found = dict(eu_terms.elements(sign_award(given).ob3_credential))
    assert found == {
        "Awarding body": "Uni",
        "Country of the issuer": "Netherlands (NL)",
        "Learning outcomes": "Spot a valorisation opportunity; Pitch it to an industry partner",
        "Notional workload": "50 hours",
        "ECTS credits": "2",
        "Level (EQF)": "EQF level 6",
        "Type of assessment": "Project presentation assessed by a jury",
        "Form of participation": "Blended",
        "Type of quality assurance": "Accredited by the national agency",
        "Language": "en",
        "Prerequisites": "None",
        "Supervision and identity verification": "Supervised on site, identity checked",
        "Grade": "Pass / fail",
        "Integration / stackability": "Stacks into the Co-creation certificate",
        "Further information": "https://uni.example/co-creation",
    }


def test_the_elements_read_back_from_an_old_credential(badge, learner):
    old = legacy_award(badge, learner).ob3_credential
    assert "euMicroCredential" in old["credentialSubject"]["achievement"]
    found = dict(eu_terms.elements(old))
    assert found["Notional workload"] == "50 hours"
    assert found["Form of participation"] == "Blended"
    assert found["Level (EQF)"] == "EQF level 6"
    assert found["Type of quality assurance"] == "Accredited by the national agency"
    assert found["Grade"] == "Pass / fail"
    assert len(found) == 14  # every element but the language, which badges did not have
    legacy = old["credentialSubject"]["achievement"]["euMicroCredential"]
    assert set(legacy) - {"type"} <= set(eu_terms.ELEMENT_LABELS)


def test_odd_input_reads_as_no_elements():
    assert eu_terms.elements(None) == []  # type: ignore[arg-type]
    assert eu_terms.elements({"credentialSubject": "x"}) == []
    weird = {"credentialSubject": {"achievement": {"volumeOfLearning": 5, "mode": [1, None]}}}
    assert dict(eu_terms.elements(weird)) == {"Notional workload": "5"}


@pytest.mark.parametrize(
    ("duration", "hours"),
    [("PT84H", 84), ("PT1.5H", 1.5), ("P1DT2H", 26), ("PT90M", 1.5), ("PT", None), ("84", None)],
)
def test_workload_durations(duration, hours):
    assert eu_terms.duration_hours(duration) == hours


def test_hours_become_iso_durations():
    assert eu_terms.hours_duration(84) == "PT84H"
    assert eu_terms.hours_duration(1.5) == "PT1.5H"


# The order credentials signed so far have their EU keys in: new elements may come, but these
# keep their order, so the same badge class gives the same signed bytes (the VC-JWT's too).
SIGNED_ORDER = [
    "learningOutcome", "volumeOfLearning", "mode", "provenBy", "accreditation",
    "entryRequirement", "integrationStackability", "additionalNote",
]  # fmt: skip


def test_the_eu_keys_come_from_the_table_in_the_order_credentials_always_had(given):
    # The document as built and signed (PostgreSQL's jsonb keeps no key order once stored).
    achievement = openbadges3.credential(given)["credentialSubject"]["achievement"]
    written = [key for key in achievement if key in eu_terms.TERMS]
    assert written == [key for key, _terms in eu_terms.achievement_terms()]
    assert [key for key in written if key in SIGNED_ORDER] == SIGNED_ORDER
    assert list(achievement["provenBy"]) == ["type", "dcType", "idVerification"]


def test_a_node_of_elements_is_written_with_any_one_of_them(badge):
    badge.assessment_type = ""
    assert openbadges3.eu_elements(badge)["provenBy"] == {
        "type": "LearningAssessmentSpecification",
        "idVerification": "Supervised on site, identity checked",
    }
    badge.supervision_and_identity = ""
    assert "provenBy" not in openbadges3.eu_elements(badge)
