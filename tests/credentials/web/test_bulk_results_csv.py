"""The bulk-award results CSV: no cell a spreadsheet would run as a formula, e-mail included."""

import csv
import io

import pytest
from django.urls import reverse

from credentials.services import bulk
from lib.spreadsheet import FORMULA_STARTS
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db

# Valid addresses that a spreadsheet would still take for a formula; names likewise.
HOSTILE_EMAILS = ["=cmd|x@x.org", "=1+2@x.org", "+1@x.org", "-1@x.org"]
HOSTILE_NAMES = ["=HYPERLINK(1)", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def read_back(cell: str) -> str:
    """What the guard's documented escape means: a leading ' before a formula start."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


@pytest.fixture
def bulk_hostile_job(badge, staff):
    rows = [
        {"line": n + 2, "email": email, "name": name}
        for n, (email, name) in enumerate(zip(HOSTILE_EMAILS * 2, HOSTILE_NAMES, strict=False))
    ]
    return bulk.create_job(badge, rows, staff, "people.csv")


def test_the_checked_upload_keeps_such_addresses_as_valid(badge):
    text = "email,name\n" + "".join(f"{e},Name\n" for e in HOSTILE_EMAILS)
    rows, errors = bulk.check_csv(badge, text.encode())
    assert not errors
    assert [r["email"] for r in rows] == HOSTILE_EMAILS


def test_no_cell_of_the_results_csv_starts_a_formula(client, staff, bulk_hostile_job):
    login_with_second_factor(client, staff)
    url = reverse(
        "credentials_manage:bulk_award_results",
        args=[bulk_hostile_job.badge_class.issuer.slug, bulk_hostile_job.public_id],
    )
    response = client.get(url)
    assert response.status_code == 200, response
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    for row in rows:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    emails = [read_back(r[1]) for r in rows[1:]]
    names = [read_back(r[2]) for r in rows[1:]]
    assert emails == (HOSTILE_EMAILS * 2)[: len(HOSTILE_NAMES)]
    assert names == HOSTILE_NAMES
