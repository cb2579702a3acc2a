"""A wallet we did not write — Animo's OpenID4VCI 1.0 client from npm (``@openid4vc/openid4vci``
0.4.6), run with Node — receives a learner's credential in both formats, bound to its own key.

The wallet (tests/credentials/interop/wallet/wallet.mjs) resolves our offer by reference and
our metadata, gets a token with the e-mailed tx code (through /oauth/token/), a nonce, and
both credentials. Our verifier accepts both, and Digital Bazaar's verifier accepts the
``ldp_vc``'s Data Integrity proof.
"""

import json
import os
import re
import subprocess

import pytest
from django.core import mail

from credentials import services
from credentials.issuing import links
from credentials.issuing.signing import sign_award
from credentials.services import wallet
from credentials.standards import eu_terms, oid4vci
from credentials.standards.jsonld import CONTEXTS_DIR
from credentials.verify import site
from tests.credentials.interop import setup

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.interop]


@pytest.fixture(scope="session")
def npm_wallet():
    return setup.ensure_node_package("wallet")


@pytest.fixture
def wallet_offer(live_server, settings, tmp_path, learner):
    from tests.credentials.factories import make_badge, make_issuer

    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    badge = make_badge(make_issuer("uni", country="NL"), tags=["co-creation"])
    award = sign_award(services.award(badge, learner, [services.Evidence(name="Pitch")]))
    mail.outbox.clear()
    offer, _ = wallet.create_offer(award, learner)
    tx_code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)[1]
    return award, wallet.deep_link(offer), tx_code


def run_wallet(folder, offer_link, tx_code, alg="EdDSA"):
    result = subprocess.run(  # noqa: S603
        [setup.node(), str(folder / "wallet.mjs"), offer_link, tx_code, alg],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "WALLET_ALLOW_HTTP": "1"},
    )
    return result.returncode, json.loads(result.stdout or "{}"), result.stderr


def test_the_npm_wallet_receives_both_formats_bound_to_its_key(npm_wallet, wallet_offer):
    award, offer_link, tx_code = wallet_offer
    code, held, stderr = run_wallet(npm_wallet, offer_link, tx_code)
    assert code == 0, (held, stderr[-2000:])
    assert held["version"] == "V1"  # the client read our metadata as OpenID4VCI 1.0
    ldp = held["credentials"][oid4vci.LDP_VC]
    token = held["credentials"][oid4vci.JWT_VC]
    assert ldp["credentialSubject"]["id"] == held["did"]
    assert ldp["id"] == links.award_url(award)
    result = site.verify(json.dumps(ldp))
    assert result.verdict == "valid", (result.problem, result.message)
    result = site.verify(token)
    assert result.verdict == "valid", (result.problem, result.message)
    award.refresh_from_db()
    assert award.ob3_credential["credentialSubject"]["id"] != held["did"]  # stored one untouched


def test_the_npm_wallet_with_a_p256_key(npm_wallet, wallet_offer):
    _award, offer_link, tx_code = wallet_offer
    code, held, stderr = run_wallet(npm_wallet, offer_link, tx_code, alg="ES256")
    assert code == 0, (held, stderr[-2000:])
    assert held["credentials"][oid4vci.JWT_VC].count(".") == 2


def test_the_npm_wallet_is_refused_with_a_wrong_tx_code(npm_wallet, wallet_offer):
    _award, offer_link, tx_code = wallet_offer
    wrong = f"{(int(tx_code) + 1) % 1_000_000:06d}"
    code, held, _stderr = run_wallet(npm_wallet, offer_link, wrong)
    assert code == 1 and "credentials" not in held


def test_digital_bazaars_verifier_accepts_the_bound_ldp_vc(npm_wallet, wallet_offer, tmp_path):
    award, offer_link, tx_code = wallet_offer
    services.backpack.set_visibility(award, True, by=award.recipient)
    code, held, stderr = run_wallet(npm_wallet, offer_link, tx_code)
    assert code == 0, (held, stderr[-2000:])
    credential_file = tmp_path / "bound.json"
    credential_file.write_text(json.dumps(held["credentials"][oid4vci.LDP_VC]))
    verifier = setup.ensure_node_verifier()
    own = {eu_terms.CONTEXT_URL: str(CONTEXTS_DIR / eu_terms.CONTEXT_FILE)}
    result = subprocess.run(  # noqa: S603
        [
            setup.node(),
            str(verifier),
            links.absolute("award_ob3", public_id=award.public_id),
            links.absolute("award_jwt", public_id=award.public_id),
            str(credential_file),
        ],
        cwd=verifier.parent,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LOCAL_CONTEXTS": json.dumps(own)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["dataIntegrity"]["verified"] is True, report
