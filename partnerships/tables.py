"""An impact dashboard's figures as the tables a person reads.

One place turns an :class:`~partnerships.services.impact.Impact` into tables: each has a slug,
a title, column headers and rows of plain values. The same table is drawn as a chart, shown as
an HTML table under it, and downloaded as CSV, so the three never disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lib import svgcharts
from lib.spreadsheet import spreadsheet_cell
from partnerships.services.impact import Impact

__all__ = [
    "Cell",
    "Column",
    "Headline",
    "Link",
    "Section",
    "Table",
    "csv_text",
    "headlines",
    "impact_tables",
    "sections",
]


@dataclass(frozen=True)
class Link:
    """A cell that names something with a page of its own (a course)."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Column:
    header: str
    numeric: bool = True
    csv_header: str = ""  # when a spreadsheet wants another header (a month as YYYY-MM)


@dataclass(frozen=True)
class Cell:
    """A cell as the page shows it: its text in the reader's locale, a link if any."""

    text: str
    numeric: bool = False
    url: str = ""


@dataclass(frozen=True)
class Headline:
    label: str
    value: str


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list]  # the first cell names the row
    chart: SafeString | None = None
    notes: str = ""
    download: str = ""  # the CSV's address, set by the view

    def cells(self) -> list[list[Cell]]:
        """Every row as the page shows it (numbers grouped, months named, links kept)."""
        return [
            [_display(value, col.numeric) for value, col in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def csv_rows(self) -> list[list[str]]:
        """The header and every row as a spreadsheet reads them: plain numbers, months as
        YYYY-MM, and no cell a spreadsheet would run as a formula."""
        rows = [[column.csv_header or column.header for column in self.columns]]
        rows += [[_plain(value) for value in row] for row in self.rows]
        return [[spreadsheet_cell(value) for value in row] for row in rows]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    tables: list[Table] = field(default_factory=list)


def _number(value: float, decimals: int = 1) -> str:
    if float(value).is_integer():
        return formats.number_format(int(value), force_grouping=True)
    return formats.number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _display(value, numeric: bool) -> Cell:
    if value is None:
        return Cell("—", numeric)
    if isinstance(value, Link):
        return Cell(value.text, numeric, value.url)
    if isinstance(value, date):
        return Cell(formats.date_format(value, "YEAR_MONTH_FORMAT"), numeric)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Cell(_number(value), True)
    return Cell(str(value), numeric)


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def csv_text(table: Table) -> str:
    """The table as CSV text, a byte-order mark first so Excel reads it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(table.csv_rows())
    return out.getvalue()


# --- The tables ------------------------------------------------------------------------------


def _summary_rows(impact: Impact) -> list[tuple[str, str, float | int | None]]:
    """(key, label, value) of every headline figure, in the order of the summary table."""
    m, v = impact.mentoring, impact.value
    return [
        ("enrolments", _("Enrolments"), impact.enrolments),
        ("completions", _("Completions"), impact.completions),
        ("awards", _("Badges awarded"), impact.awards),
        ("industry_hours", _("Mentoring hours by industry mentors"), m.industry_hours),
        ("academic_hours", _("Mentoring hours by academic mentors"), m.academic_hours),
        ("sessions", _("Mentoring sessions held"), m.sessions),
        ("no_shows", _("Mentoring sessions missed (no-shows)"), m.no_shows),
        ("cancelled", _("Mentoring sessions cancelled"), m.cancelled),
        ("ratings", _("Sessions rated"), m.ratings),
        ("average_rating", _("Average rating (out of 5)"), m.average_rating),
        ("verifications", _("Employer verifications"), v.verifications),
        ("credentials_verified", _("Credentials verified"), v.credentials_verified),
        ("endorsements_given", _("Endorsements given"), v.endorsements_given),
        ("endorsements_received", _("Endorsements received"), v.endorsements_received),
    ]


def headlines(impact: Impact) -> list[Headline]:
    """The figures shown as cards at the top: the summary's, some added together."""
    figures = {key: (label, value) for key, label, value in _summary_rows(impact)}
    hours = impact.mentoring.industry_hours + impact.mentoring.academic_hours
    cards = [
        figures["enrolments"],
        figures["completions"],
        figures["awards"],
        (_("Mentoring hours"), hours),
        figures["sessions"],
        figures["verifications"],
        figures["endorsements_received"],
    ]
    return [Headline(str(label), _display(value, True).text) for label, value in cards]


def _summary(impact: Impact) -> Table:
    return Table(
        "summary",
        _("Summary"),
        [Column(_("Figure"), numeric=False), Column(_("Value"))],
        [[label, value] for _key, label, value in _summary_rows(impact)],
    )


def _courses(impact: Impact) -> Table:
    return Table(
        "courses",
        _("Learners per course, stage by stage"),
        [
            Column(_("Course"), numeric=False),
            Column(_("Enrolled")),
            Column(_("Started")),
            Column(_("Completed")),
            Column(_("Awarded the badge")),
            Column(_("Left")),
        ],
        [
            [Link(f.title, f.url) if f.url else f.title, f.enrolled, f.started]
            + [f.completed, f.awarded, f.left]
            for f in impact.funnels
        ],
        notes=_("Learners who enrolled in the period; each stage counts those who reached it."),
    )


def _awards_by_month(impact: Impact) -> Table:
    return Table(
        "awards-by-month",
        _("Badges awarded each month"),
        [Column(_("Month"), numeric=False), Column(_("Badges awarded"))],
        [[month, n] for month, n in zip(impact.months, impact.awards_by_month, strict=True)],
    )


def _badges(impact: Impact) -> Table:
    return Table(
        "awards-per-badge",
        _("Awards per badge"),
        [Column(_("Badge"), numeric=False), Column(_("Total"))]
        + [
            Column(formats.date_format(month, "YEAR_MONTH_FORMAT"), csv_header=_plain(month))
            for month in impact.months
        ],
        [[b.name, b.total, *b.by_month] for b in impact.badges],
    )


def _areas(impact: Impact) -> Table:
    return Table(
        "competence-areas",
        _("Competences developed, by area"),
        [
            Column(_("Framework"), numeric=False),
            Column(_("Area"), numeric=False),
            Column(_("Badges awarded")),
        ],
        [[a.framework, f"{a.area_code} {a.area_name}".strip(), a.awards] for a in impact.areas],
        notes=_("Awards in the period of badges that develop a competence of the area."),
    )


def _mentoring_by_month(impact: Impact) -> Table:
    m = impact.mentoring
    return Table(
        "mentoring-by-month",
        _("Mentoring hours each month"),
        [
            Column(_("Month"), numeric=False),
            Column(_("Industry (hours)")),
            Column(_("Academic (hours)")),
        ],
        [
            [month, industry, academic]
            for month, industry, academic in zip(
                impact.months, m.industry_by_month, m.academic_by_month, strict=True
            )
        ],
        notes=_("Hours of the sessions held, by the mentor's sector."),
    )


def _verifications_by_month(impact: Impact) -> Table:
    return Table(
        "verifications-by-month",
        _("Employer verifications each month"),
        [Column(_("Month"), numeric=False), Column(_("Verifications"))],
        [
            [month, n]
            for month, n in zip(impact.months, impact.value.verifications_by_month, strict=True)
        ],
        notes=_(
            "Each credential counts once per verifier and day, and only when the check reached "
            "a verdict that it is genuine."
        ),
    )


BUILDERS: dict[str, Callable[[Impact], Table]] = {
    "summary": _summary,
    "courses": _courses,
    "awards-by-month": _awards_by_month,
    "awards-per-badge": _badges,
    "competence-areas": _areas,
    "mentoring-by-month": _mentoring_by_month,
    "verifications-by-month": _verifications_by_month,
}


def impact_tables(impact: Impact, *, charts: bool = True) -> dict[str, Table]:
    """Every table of the dashboard by slug, each with its chart (unless ``charts`` is off:
    a CSV download needs none)."""
    tables = {slug: build(impact) for slug, build in BUILDERS.items()}
    if charts:
        for table in tables.values():
            table.chart = _chart(table, impact)
    return tables


def sections(tables: dict[str, Table]) -> list[Section]:
    """The dashboard's parts, in the order of the page, each with its tables."""
    return [
        Section(
            "outcomes",
            _("Learning outcomes"),
            [tables[s] for s in ("courses", "awards-by-month", "awards-per-badge")]
            + [tables["competence-areas"]],
        ),
        Section("mentoring", _("Mentoring"), [tables["mentoring-by-month"]]),
        Section("value", _("Value to employers and partners"), [tables["verifications-by-month"]]),
    ]


# --- Their charts ----------------------------------------------------------------------------


def _month_labels(months: Sequence[date]) -> tuple[list[str], list[str]]:
    """Short month names, and the year under the first month and every January."""
    names = [formats.date_format(month, "M") for month in months]
    years = [
        str(month.year) if index == 0 or month.month == 1 else ""
        for index, month in enumerate(months)
    ]
    return names, years


MOST_BADGES = 15  # the chart's bars; the table lists every badge


def _chart(table: Table, impact: Impact) -> SafeString | None:
    names, years = _month_labels(impact.months)
    period = _("From %(start)s to %(end)s.") % {
        "start": formats.date_format(impact.period.start, "DATE_FORMAT"),
        "end": formats.date_format(impact.period.end, "DATE_FORMAT"),
    }
    common = {"slug": table.slug, "title": table.title, "description": period}
    month_names = [formats.date_format(m, "YEAR_MONTH_FORMAT") for m in impact.months]
    if table.slug == "courses":
        stages = table.columns[1:5]
        totals = [sum(row[i] for row in table.rows) for i in range(1, 5)]
        return svgcharts.bar_chart(
            **common,
            labels=[column.header for column in stages],
            values=totals,
            empty=_("No one enrolled in these courses in this period."),
        )
    if table.slug in ("awards-by-month", "verifications-by-month"):
        return svgcharts.column_chart(
            **common,
            labels=names,
            full_labels=month_names,
            sublabels=years,
            values=[row[1] for row in table.rows],
            empty=_("Nothing to show in this period."),
        )
    if table.slug == "awards-per-badge":
        most = sorted(table.rows, key=lambda row: -row[1])[:MOST_BADGES]
        return svgcharts.bar_chart(
            **common,
            labels=[row[0] for row in most],
            values=[row[1] for row in most],
            empty=_("No badge was awarded in this period."),
        )
    if table.slug == "competence-areas":
        return svgcharts.bar_chart(
            **common,
            labels=[f"{row[0]}: {row[1]}" for row in table.rows],
            values=[row[2] for row in table.rows],
            empty=_("No award developed a listed competence in this period."),
        )
    if table.slug == "mentoring-by-month":
        return svgcharts.grouped_column_chart(
            **common,
            labels=names,
            full_labels=month_names,
            sublabels=years,
            series=[
                svgcharts.Series(table.columns[1].header, [row[1] for row in table.rows]),
                svgcharts.Series(table.columns[2].header, [row[2] for row in table.rows]),
            ],
            empty=_("No mentoring session was held in this period."),
        )
    return None
