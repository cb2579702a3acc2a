"""Digital Bazaar's vc library (a verifier we did not write) accepts our CLR 2.0 record's proof.

The CLR 2.0.1 context is not in any npm package: it is handed to the Node verifier from the
file we bundle (1EdTech's bytes, hash-checked in tests/credentials/standards/test_clr.py), as
our EU context is. The issuer's key is fetched from the live server, as an outsider would.
"""

import json
import os
import subprocess

import pytest

from credentials import services
from credentials.issuing import links
from credentials.issuing.signing import sign_award
from credentials.services import clr
from credentials.standards import clr as standard
from credentials.standards import eu_terms
from credentials.standards.jsonld import CONTEXTS_DIR
from tests.credentials.factories import make_badge, make_issuer
from tests.credentials.interop import setup

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.interop]


@pytest.fixture(scope="session")
def clr_node_verifier():
    return setup.ensure_node_verifier()


def run(verifier, record_file, award):
    own = {
        eu_terms.CONTEXT_URL: str(CONTEXTS_DIR / eu_terms.CONTEXT_FILE),
        standard.CLR_CONTEXT: str(CONTEXTS_DIR / "clr-v2p0-context-2.0.1.json"),
    }
    command = [
        setup.node(),
        str(verifier),
        links.absolute("award_ob3", public_id=award.public_id),
        links.absolute("award_jwt", public_id=award.public_id),
        str(record_file),
    ]
    result = subprocess.run(
        command,
        cwd=verifier.parent,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "LOCAL_CONTEXTS": json.dumps(own)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_node_verifier_accepts_the_records_proof_and_refuses_a_changed_one(
    clr_node_verifier, live_server, settings, tmp_path, make_user
):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    alice = make_user("alice@example.org", display_name="Alice")
    institution = make_issuer("interop-uni", name="Interop University")
    course = make_badge(institution, "course")
    programme = make_badge(institution, "programme")
    course.part_of.add(programme)
    award = sign_award(services.award(course, alice))
    # The record states "isPartOf" between achievements the learner holds, so both are held.
    sign_award(services.award(programme, alice))
    services.backpack.set_visibility(award, True, by=alice)
    record = clr.signed_record(alice)
    genuine = tmp_path / "record.json"
    genuine.write_text(json.dumps(record))
    report = run(clr_node_verifier, genuine, award)["dataIntegrity"]
    assert report["verified"] is True, report
    record["credentialSubject"]["association"][0]["associationType"] = "isPeerOf"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(record))
    assert run(clr_node_verifier, changed, award)["dataIntegrity"]["verified"] is False
