"""The course report CSV: no cell a spreadsheet would run as a formula, e-mail included."""

import csv
import io

import pytest

from learning import services
from lib.spreadsheet import FORMULA_STARTS
from tests.credentials.second_factor_support import login_with_second_factor
from tests.credentials.web.test_bulk_results_csv import HOSTILE_EMAILS, HOSTILE_NAMES, read_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_hostile_learners(course, make_user):
    people = list(zip(HOSTILE_EMAILS + ["name-only@x.org"], HOSTILE_NAMES, strict=True))
    for email, name in people:
        services.enrol(make_user(email, display_name=name), course)
    return people


def test_no_cell_of_the_report_csv_starts_a_formula(
    client, course_staff, course, report_hostile_learners
):
    login_with_second_factor(client, course_staff)
    body = client.get(f"/learning/reports/{course.pk}/learners.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    for row in rows:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    read = sorted((read_back(r[1]), read_back(r[0])) for r in rows[1:])
    assert read == sorted(report_hostile_learners)
