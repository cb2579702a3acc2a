"""Garbage at the OpenID4VCI endpoints: whatever a client sends, the answer is a protocol error
in JSON (400, or 401 without a token), never a server error — and never a used-up token."""

import json
import re
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from credentials.services import wallet
from credentials.standards import oid4vci
from tests.credentials.web.test_wallet_views import credential_request

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000
DEEP = "[" * 30_000 + "]" * 30_000
GARBAGE_JSON = [
    "null",
    "[]",
    "[1, 2]",
    "7",
    "-1e999",
    '"text"',
    json.dumps(HUGE),
    DEEP,
    '{"a": ' * 5_000 + "1" + "}" * 5_000,
    "1" * 5_000,
    "{",
    "",
    '{"credential_configuration_id": NaN}',
]
GARBAGE_REQUESTS = [
    {"credential_configuration_id": [oid4vci.LDP_VC]},  # the reviewer's 500 (F6)
    {"credential_configuration_id": {"id": oid4vci.LDP_VC}},
    {"credential_configuration_id": 1},
    {"credential_configuration_id": True},
    {"credential_configuration_id": HUGE},
    {"credential_configuration_id": oid4vci.LDP_VC, "proofs": [["a.b.c"]]},
    {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": [None, {}]}},
    {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": [[["x"]]]}},
    {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": HUGE}},
    {"credential_configuration_id": oid4vci.LDP_VC, "proofs": {"jwt": [HUGE]}},
    {"credential_configuration_id": oid4vci.LDP_VC, "proof": ["jwt"]},
    {"credential_configuration_id": oid4vci.LDP_VC, "proof": {"proof_type": "jwt", "jwt": 1}},
    {"format": ["ldp_vc"], "credential_definition": {"type": oid4vci.OB3_TYPES}},
    {"format": "ldp_vc", "credential_definition": [oid4vci.OB3_TYPES]},
    {"credential_identifier": ["a"], "proofs": {"jwt": ["a.b.c"]}},
    {"credential_response_encryption": "yes please", "proofs": {"jwt": ["a.b.c"]}},
]


@pytest.fixture
def wallet_token(signed, learner, django_capture_on_commit_callbacks):
    """Alice's offer redeemed: a live access token for the credential endpoint."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer, _created = wallet.create_offer(signed, learner)
    tx_code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)[1]
    return wallet.redeem(wallet.pre_authorized_code(offer), tx_code).token


def _protocol_error(response, *, status=400):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


def _post_credential(client, body: str, token: str):
    return client.post(
        reverse("wallet:credential"),
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.parametrize("body", GARBAGE_JSON + [json.dumps(b) for b in GARBAGE_REQUESTS])
def test_garbage_at_the_credential_endpoint_is_a_protocol_error(client, wallet_token, body):
    assert _protocol_error(_post_credential(client, body, wallet_token)) in oid4vci.REQUEST_ERRORS
    # Without a valid token, the same garbage is still a protocol error (400 or 401).
    answer = _post_credential(client, body, "not-a-token")
    assert answer.status_code in (400, 401) and answer.json()["error"]


def test_bytes_that_are_not_json_or_too_many_are_a_protocol_error(client, wallet_token):
    for body in (b'"\xff\xfe"', b"\x00" * 10, b"x" * (6 * 1024 * 1024)):
        response = _post_credential(client, body, wallet_token)
        assert _protocol_error(response) == "invalid_credential_request"


def test_after_the_garbage_the_token_still_works_for_a_real_request(client, wallet_token):
    for body in GARBAGE_REQUESTS:
        _post_credential(client, json.dumps(body), wallet_token)
    response = credential_request(client, wallet_token, ed25519.Ed25519PrivateKey.generate())
    assert response.status_code == 200 and response.json()["credentials"]


TOKEN_GARBAGE = [
    "",
    "pre-authorized_code=",
    "pre-authorized_code=a&pre-authorized_code=b&tx_code=123456",
    "pre-authorized_code=a&tx_code=1&tx_code=2",
    "pre-authorized_code=" + "a" * 100_000 + "&tx_code=123456",
    "pre-authorized_code=a&tx_code=" + "9" * 100_000,
    "pre-authorized_code=%00%FF%FE&tx_code=%00",
    "pre-authorized_code[]=a&tx_code[]=1",
    "pre-authorized_code=a&user_pin=" + "%F0%9F%98%80" * 100,
    "pre-authorized_code=%7B%22a%22%3A1%7D&tx_code=%5B1%5D",
]


@pytest.mark.parametrize("form", TOKEN_GARBAGE)
def test_garbage_at_the_token_endpoint_is_an_oauth_error(client, form):
    body = urlencode({"grant_type": oid4vci.PRE_AUTHORIZED_GRANT}) + ("&" + form if form else "")
    response = client.post("/oauth/token/", body, content_type="application/x-www-form-urlencoded")
    assert _protocol_error(response) in ("invalid_request", "invalid_grant")


def test_a_repeated_token_parameter_is_an_invalid_request(client):
    body = urlencode(
        [
            ("grant_type", oid4vci.PRE_AUTHORIZED_GRANT),
            ("pre-authorized_code", "a"),
            ("pre-authorized_code", "b"),
            ("tx_code", "123456"),
        ]
    )
    response = client.post("/oauth/token/", body, content_type="application/x-www-form-urlencoded")
    assert _protocol_error(response) == "invalid_request"


@pytest.mark.parametrize("body", GARBAGE_JSON[:8] + ["a=1&b=2", "\x00\xff"])
def test_garbage_at_the_nonce_endpoint_still_gets_a_nonce(client, body):
    cache.clear()  # the per-client nonce limit
    for content_type in ("application/json", "text/plain", "application/x-www-form-urlencoded"):
        response = client.post(reverse("wallet:nonce"), body, content_type=content_type)
        assert response.status_code == 200 and response.json()["c_nonce"]


def test_garbage_at_the_offer_endpoint_is_never_a_server_error(client, wallet_token):
    url = reverse("wallet:offer", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url + "?x=" + "y" * 10_000).status_code == 404
    for body in GARBAGE_JSON[:8]:
        assert client.post(url, body, content_type="application/json").status_code == 405
    for path in ("/wallet/offers/not-a-uuid", "/wallet/offers/" + "0" * 5_000):
        assert client.get(path).status_code in (301, 404)  # 301: the slash added
