"""Schemathesis against /api/v1/openapi.json: no server error, every answer as documented.

The schema is read from the Django app itself (WSGI, in this process, on the test database);
every operation gets a bounded, derandomised set of generated requests, each checked for a 5xx,
for a status code, content type and body the schema documents. No request leaves the machine:
the verifier's network hop is stubbed (invented URLs would otherwise be looked up in DNS).
"""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from credentials.verify.limits import FetchError

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES = 50  # per operation and mode: the whole file stays well under a minute


@pytest.fixture
def api_schemathesis_schema(db, settings, monkeypatch):
    settings.VERIFY_RATE_LIMIT = (10**6, 60)  # 429 is documented, but would hide the rest

    def offline_hop(url, *args, **kwargs):
        raise FetchError("dns", "no network in this test", url)

    monkeypatch.setattr("credentials.verify.fetch.network_hop", offline_hop)
    # As Django's test client does: a request must not close the test's database connection
    # (on PostgreSQL that ends the test's transaction: "the connection is closed").
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def exercise(operation, mode: GenerationMode, ran: list) -> None:
    """Run ``EXAMPLES`` generated requests of ``mode`` against ``operation``, every check on."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call_and_validate(checks=CHECKS)
        ran.append((mode.value, case.media_type, response.status_code))

    run()


def test_the_api_answers_as_its_schema_says(api_schemathesis_schema):
    operations = [result.ok() for result in api_schemathesis_schema.get_all_operations()]
    assert operations, "the schema lists no operation"
    ran: list[tuple[str, str, int]] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            exercise(operation, mode, ran)
    statuses = Counter(status for _, _, status in ran)
    print(f"schemathesis: {len(operations)} operation(s), {len(ran)} requests")
    print(sorted(Counter(ran).items()))
    assert statuses[200] and statuses[400], statuses  # both verdicts and refusals were reached


def test_a_multipart_body_without_a_boundary_is_a_documented_400(client, settings):
    settings.VERIFY_RATE_LIMIT = (10**6, 60)
    response = client.generic(
        "POST", "/api/v1/verify", b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["field"] == "file"
