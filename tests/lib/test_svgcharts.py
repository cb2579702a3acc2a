"""lib/svgcharts.py: well-formed, escaped, accessible SVG; empty data; round axis ticks."""

import xml.etree.ElementTree as ET

import pytest

from lib.svgcharts import (
    Series,
    bar_chart,
    column_chart,
    grouped_column_chart,
    nice_ticks,
    plain_number,
    truncate,
)

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ["Jan", "Feb", "Mar", "Apr"]


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == SVG + "svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(SVG + "text")]


def bar_titles(root: ET.Element) -> list[str]:
    return [
        t.text
        for parent in root.iter()
        if parent.tag in (SVG + "rect", SVG + "g")
        for t in parent.findall(SVG + "title")
    ]


def columns(**changes):
    return column_chart(
        **{
            "slug": "awards",
            "title": "Awards by month",
            "description": "Awards each month.",
            "labels": MONTHS,
            "values": [3, 0, 7, 1],
            "empty": "No awards in this period.",
            **changes,
        }
    )


def test_a_column_chart_is_an_image_named_by_its_title_and_described_by_its_values():
    root = parse(columns())
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-awards-title chart-awards-desc"
    assert root.find(SVG + "title").get("id") == "chart-awards-title"
    assert root.find(SVG + "title").text == "Awards by month"
    desc = root.find(SVG + "desc").text
    assert desc == "Awards each month. Jan: 3; Feb: 0; Mar: 7; Apr: 1"
    assert bar_titles(root) == ["Jan: 3", "Feb: 0", "Mar: 7", "Apr: 1"]
    assert "style" not in str(columns())


def test_column_heights_follow_the_values_against_a_round_axis():
    root = parse(columns())
    bars = [r for r in root.iter(SVG + "rect") if "bar" in r.get("class", "")]
    heights = [float(r.get("height")) for r in bars]
    assert heights[1] == 0
    assert heights[2] == pytest.approx(heights[0] * 7 / 3, rel=0.02)
    axis = [t for t in texts(root) if t in ("0", "2", "4", "6", "8")]
    assert axis[:5] == ["0", "2", "4", "6", "8"]


def test_labels_that_are_markup_stay_text():
    hostile = "<script>alert(1)</script>"
    markup = str(columns(labels=[hostile, "b&c", '"q"', "d"], title=hostile))
    assert "<script>" not in markup
    root = parse(markup)
    assert root.find(SVG + "title").text == hostile
    assert hostile + ": 3" in bar_titles(root)
    assert "b&c: 0" in bar_titles(root)


@pytest.mark.parametrize("values", [[0, 0, 0, 0], []])
def test_a_chart_of_nothing_says_so_in_the_callers_words(values):
    labels = MONTHS if values else []
    for markup in (
        columns(values=values, labels=labels),
        bar_chart(
            slug="areas", title="Areas", description="", labels=labels, values=values, empty="None"
        ),
        grouped_column_chart(
            slug="hours",
            title="Hours",
            description="",
            labels=labels,
            series=[Series("Industry", values), Series("Academic", values)],
            empty="None",
        ),
    ):
        root = parse(markup)
        assert root.get("role") == "img"
        empty = root.find(SVG + "desc").text
        assert empty in texts(root)
        assert not [r for r in root.iter(SVG + "rect") if "bar" in r.get("class", "")]


def test_values_and_labels_must_pair_up():
    with pytest.raises(ValueError):
        columns(values=[1, 2])


def test_a_grouped_chart_has_a_legend_and_one_bar_per_series_and_month():
    markup = grouped_column_chart(
        slug="mentoring",
        title="Mentoring hours",
        description="Hours by sector.",
        labels=MONTHS,
        series=[Series("Industry", [1.5, 0, 2, 4]), Series("Academic", [0.5, 3, 0, 1])],
        empty="No sessions.",
    )
    root = parse(markup)
    legend = [t.text for g in root.iter(SVG + "g") for t in g.iter(SVG + "text")]
    assert legend == ["Industry", "Academic"]
    titled = [r for r in root.iter(SVG + "rect") if r.find(SVG + "title") is not None]
    assert len(titled) == 8
    assert {r.get("class") for r in titled} == {"bar bar--0", "bar bar--1"}
    assert "Jan, Industry: 1.5" in bar_titles(root)
    assert "Jan: Industry 1.5, Academic 0.5" in root.find(SVG + "desc").text


def test_a_long_label_is_cut_on_the_chart_and_whole_in_its_title():
    long = "Taking the initiative and mobilising resources across several organisations and borders"
    root = parse(
        bar_chart(
            slug="areas",
            title="Competence areas",
            description="",
            labels=[long, "Short"],
            values=[12, 4],
            empty="None",
        )
    )
    shown = texts(root)
    assert long not in shown
    assert truncate(long, 48) in shown and truncate(long, 48).endswith("…")
    assert f"{long}: 12" in bar_titles(root)
    widths = [float(r.get("width")) for r in root.iter(SVG + "rect")]
    assert widths[1] == pytest.approx(widths[0] * 4 / 12, rel=0.02)


def test_large_numbers_are_grouped_on_the_axis_and_in_the_titles(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    root = parse(columns(values=[98_000, 100_000, 3, 0]))
    assert "100,000" in texts(root)
    assert "Feb: 100,000" in bar_titles(root)


def test_ids_are_safe_whatever_the_slug():
    root = parse(columns(slug='a "b" <c>'))
    assert root.get("aria-labelledby") == "chart-a-b-c-title chart-a-b-c-desc"


@pytest.mark.parametrize(
    ("peak", "whole", "ticks"),
    [
        (7, True, [0, 2, 4, 6, 8]),
        (3, True, [0, 1, 2, 3]),
        (1, True, [0, 1]),
        (1, False, [0, 0.25, 0.5, 0.75, 1]),
        (0.5, False, [0, 0.2, 0.4, 0.6]),
        (100_000, True, [0, 25_000, 50_000, 75_000, 100_000]),
        (98_765, True, [0, 25_000, 50_000, 75_000, 100_000]),
        (12.5, False, [0, 5, 10, 15]),
        (0, True, [0, 1]),
    ],
)
def test_ticks_are_round_steps_from_zero_past_the_peak(peak, whole, ticks):
    assert nice_ticks(peak, whole=whole) == ticks


def test_numbers_show_whole_or_with_one_decimal():
    assert plain_number(3.0) == "3"
    assert plain_number(2.25) in ("2.2", "2.3")
    assert truncate("  short  label ", 20) == "short label"


def test_short_labels_under_the_columns_and_full_ones_in_titles_and_description():
    root = parse(
        columns(
            labels=["Jan", "Feb", "Mar", "Apr"],
            full_labels=["January 2026", "February 2026", "March 2026", "April 2026"],
            sublabels=["2026", "", "", ""],
        )
    )
    assert {"Jan", "Feb", "2026"} <= set(texts(root))
    assert "January 2026" not in texts(root)
    assert "January 2026: 3" in bar_titles(root)
    assert "January 2026: 3" in root.find(SVG + "desc").text
