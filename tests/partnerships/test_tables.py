"""partnerships/tables.py: one set of tables from an Impact feeds the charts, the HTML tables
and the CSV downloads."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from partnerships.services.impact import (
    AreaCount,
    BadgeAwards,
    CourseFunnel,
    Impact,
    Mentoring,
    Period,
    Scope,
    Value,
)
from partnerships.tables import csv_text, headlines, impact_tables, sections

MONTHS = [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]


def fake_impact(scope=None, period=None, *, title="Robotics for Makers", awards=(2, 0, 5)):
    """An Impact as the services return it, built by hand from the dataclasses."""
    return Impact(
        scope=scope or Scope("site", "Everything"),
        period=period or Period(date(2025, 11, 1), date(2026, 1, 31)),
        months=MONTHS,
        enrolments=1234,
        completions=40,
        funnels=[
            CourseFunnel(7, title, "/courses/robotics/", 1234, 900, 40, 38, 12),
            CourseFunnel(8, "Pitching", "", 10, 5, 2, 1, 0),
        ],
        awards=sum(awards),
        awards_by_month=list(awards),
        badges=[BadgeAwards(3, "Robot Wrangler", sum(awards), list(awards))],
        areas=[AreaCount("EntreComp", "1", "Ideas and opportunities", 6)],
        mentoring=Mentoring(
            industry_hours=12.5,
            academic_hours=4.0,
            sessions=11,
            no_shows=1,
            cancelled=2,
            ratings=9,
            average_rating=4.333,
            industry_by_month=[2.5, 4.0, 6.0],
            academic_by_month=[1.0, 0.0, 3.0],
        ),
        value=Value(
            verifications=17,
            verifications_by_month=[5, 5, 7],
            credentials_verified=9,
            endorsements_given=1,
            endorsements_received=2,
        ),
    )


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_every_table_has_a_slug_a_title_headers_and_rows_of_the_same_width():
    tables = impact_tables(fake_impact())
    assert list(tables) == [
        "summary",
        "courses",
        "awards-by-month",
        "awards-per-badge",
        "competence-areas",
        "mentoring-by-month",
        "verifications-by-month",
    ]
    for slug, table in tables.items():
        assert table.slug == slug and table.title
        assert all(len(row) == len(table.columns) for row in table.rows)


def test_the_summary_names_every_headline_figure():
    rows = dict(map(tuple, read_csv(csv_text(impact_tables(fake_impact())["summary"]))))
    assert rows["Enrolments"] == "1234"
    assert rows["Mentoring hours by industry mentors"] == "12.5"
    assert rows["Mentoring hours by academic mentors"] == "4"
    assert rows["Mentoring sessions missed (no-shows)"] == "1"
    assert rows["Average rating (out of 5)"] == "4.33"
    assert rows["Employer verifications"] == "17"
    assert rows["Credentials verified"] == "9"
    assert rows["Endorsements given"] == "1"
    assert rows["Endorsements received"] == "2"


def test_the_page_and_the_csv_show_the_same_month_rows():
    table = impact_tables(fake_impact())["mentoring-by-month"]
    assert read_csv(csv_text(table)) == [
        ["Month", "Industry (hours)", "Academic (hours)"],
        ["2025-11", "2.5", "1"],
        ["2025-12", "4", "0"],
        ["2026-01", "6", "3"],
    ]
    shown = [[cell.text for cell in row] for row in table.cells()]
    assert shown == [
        ["November 2025", "2.5", "1"],
        ["December 2025", "4", "0"],
        ["January 2026", "6", "3"],
    ]


def test_large_numbers_are_grouped_on_the_page_and_plain_in_the_csv():
    tables = impact_tables(fake_impact())
    courses = tables["courses"]
    assert [c.text for c in courses.cells()[0]][:2] == ["Robotics for Makers", "1,234"]
    assert courses.cells()[0][0].url == "/courses/robotics/"
    assert courses.cells()[1][0].url == ""
    assert read_csv(csv_text(courses))[1][:2] == ["Robotics for Makers", "1234"]
    assert [h.value for h in headlines(fake_impact())][:3] == ["1,234", "40", "7"]


def test_a_course_named_as_a_formula_stays_inert_in_the_csv():
    table = impact_tables(fake_impact(title='=HYPERLINK("http://evil.example","x")'))["courses"]
    assert read_csv(csv_text(table))[1][0] == '\'=HYPERLINK("http://evil.example","x")'


def test_each_table_but_the_summary_has_its_chart_and_csv_needs_none():
    tables = impact_tables(fake_impact())
    for slug, table in tables.items():
        if slug == "summary":
            assert table.chart is None
        else:
            ET.fromstring(str(table.chart))
    assert all(t.chart is None for t in impact_tables(fake_impact(), charts=False).values())


def test_the_course_funnel_chart_adds_up_every_course_stage_by_stage():
    chart = str(impact_tables(fake_impact())["courses"].chart)
    assert "Enrolled: 1,244" in chart and "Awarded the badge: 39" in chart


@pytest.mark.parametrize("awards", [(0, 0, 0)])
def test_a_period_without_awards_draws_an_empty_chart_that_says_so(awards):
    chart = str(impact_tables(fake_impact(awards=awards))["awards-by-month"].chart)
    assert "Nothing to show in this period." in chart


def test_the_sections_hold_every_table_but_the_summary_once():
    tables = impact_tables(fake_impact())
    listed = [t.slug for s in sections(tables) for t in s.tables]
    assert sorted(listed) == sorted(set(tables) - {"summary"})


def test_the_badge_chart_draws_the_most_awarded_and_the_table_lists_every_badge():
    from dataclasses import replace

    from partnerships.services.impact import BadgeAwards
    from partnerships.tables import MOST_BADGES

    many = [BadgeAwards(n, f"Badge {n}", n, [n, 0, 0]) for n in range(1, MOST_BADGES + 6)]
    table = impact_tables(replace(fake_impact(), badges=many))["awards-per-badge"]
    assert len(table.rows) == MOST_BADGES + 5
    chart = ET.fromstring(str(table.chart))
    shown = [
        t.text for t in chart.iter("{http://www.w3.org/2000/svg}text") if t.text.startswith("B")
    ]
    assert (
        len(shown) == MOST_BADGES and "Badge 1" not in shown and f"Badge {MOST_BADGES + 5}" in shown
    )
    assert read_csv(csv_text(table))[0] == ["Badge", "Total", "2025-11", "2025-12", "2026-01"]
