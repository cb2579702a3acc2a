"""Charts drawn on the server as inline SVG: lists of numbers in, markup out.

No JavaScript, no CDN, readable as text: each chart is an ``<svg role="img">`` named by its
``<title>`` and described by its ``<desc>`` (which lists every value), and each bar carries its
own ``<title>`` so a pointer shows its label and value. The look is in CSS (class names only:
the Content-Security-Policy forbids style attributes).

Every word a chart shows is handed in by the caller, already translated: this module holds no
sentence of its own. Numbers are written by ``number`` (the caller's, or Django's localised
formatting with thousands grouped).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = [
    "Series",
    "bar_chart",
    "column_chart",
    "grouped_column_chart",
    "nice_ticks",
    "plain_number",
    "truncate",
]

WIDTH = 560
TICKS = 4
ELLIPSIS = "…"

Number = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """One series of a chart with several: its name (for the legend) and values."""

    name: str
    values: Sequence[float]


def plain_number(value: float) -> str:
    """A number as the reader's locale writes it, thousands grouped; whole numbers without
    decimals, others with one."""
    if float(value).is_integer():
        return formats.number_format(int(value), force_grouping=True)
    return formats.number_format(round(value, 1), decimal_pos=1, force_grouping=True)


def nice_ticks(peak: float, count: int = TICKS, *, whole: bool = False) -> list[float]:
    """Axis ticks from 0 to at least ``peak`` in at most ``count`` equal, round steps (1, 2,
    2.5 or 5 times a power of ten; at least 1 when ``whole``)."""
    if not math.isfinite(peak) or peak <= 0:
        return [0, 1]
    raw = peak / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    if whole:
        step = max(1, math.ceil(step))
    steps = math.ceil(peak / step - 1e-9)
    decimals = max(0, -math.floor(math.log10(step)) + (1 if step / power == 2.5 else 0))
    return [round(i * step, decimals) for i in range(steps + 1)]


def truncate(label: str, limit: int) -> str:
    """``label`` cut to ``limit`` characters, an ellipsis marking the cut."""
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: max(1, limit - 1)].rstrip() + ELLIPSIS


def _id(slug: str) -> str:
    return "chart-" + (re.sub(r"[^a-z0-9-]+", "-", str(slug).lower()).strip("-") or "x")


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(kind: str, slug: str, title: str, desc: str, height: float) -> list[str]:
    ident = _id(slug)
    return [
        f'<svg class="chart svgchart svgchart--{kind}" viewBox="0 0 {WIDTH} {_f(height)}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text part is escaped)


def _empty(kind: str, slug: str, title: str, empty: str) -> SafeString:
    """The chart of nothing: its frame and the caller's words saying there is no data."""
    height = 120
    parts = _open(kind, slug, title, empty, height)
    parts.append(
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{height - 1}" class="empty-frame"/>'
        f'<text x="{WIDTH / 2}" y="{height / 2 + 5}" class="empty" text-anchor="middle">'
        f"{escape(empty)}</text>"
    )
    return _close(parts)


def _describe(description: str, pairs: Sequence[tuple[str, str]]) -> str:
    listed = "; ".join(f"{label}: {value}" for label, value in pairs)
    return f"{description} {listed}".strip() if listed else description


def _has_data(values: Sequence[float]) -> bool:
    return any(v and v > 0 for v in values)


def _label_every(room: float, *, chars: int = 6, char_width: float = 11) -> int:
    """Show every n-th category label so labels of ``chars`` characters never overlap, even
    in the larger type a phone gets (a 560-unit chart drawn some 350 px wide)."""
    return max(1, math.ceil(chars * char_width / max(room, 1)))


def _value_axis(
    parts: list[str], ticks: list[float], top: float, plot_h: float, left: float, number: Number
) -> None:
    peak = ticks[-1] or 1
    for tick in ticks:
        y = top + plot_h - plot_h * tick / peak
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - 8}" y1="{_f(y)}" y2="{_f(y)}" class="grid"/>'
            f'<text x="{left - 6}" y="{_f(y + 4)}" class="axis axis--value" text-anchor="end">'
            f"{escape(number(tick))}</text>"
        )


def _category_labels(
    parts: list[str],
    labels: Sequence[str],
    sublabels: Sequence[str] | None,
    left: float,
    slot: float,
    baseline: float,
) -> None:
    every = _label_every(slot, chars=max((len(str(lb)) for lb in labels), default=1))
    for index, label in enumerate(labels):
        if index % every:
            continue
        x = left + index * slot + slot / 2
        parts.append(
            f'<text x="{_f(x)}" y="{_f(baseline + 20)}" class="axis axis--category" '
            'text-anchor="middle">'
            f"{escape(truncate(label, 12))}</text>"
        )
        if sublabels and sublabels[index]:
            parts.append(
                f'<text x="{_f(x)}" y="{_f(baseline + 40)}" class="axis axis--sub" '
                f'text-anchor="middle">{escape(sublabels[index])}</text>'
            )


def column_chart(
    *,
    slug: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    empty: str,
    sublabels: Sequence[str] | None = None,
    full_labels: Sequence[str] | None = None,
    number: Number = plain_number,
    whole: bool = True,
    height: int = 240,
) -> SafeString:
    """Vertical columns, one per category (a month, say), one series.

    ``labels`` are written under the columns (short: "Mar"), ``full_labels`` (if given) in
    the description and each column's title ("March 2026"); ``sublabels``: a second line under
    some labels (the year under January); ``empty``: the words shown when every value is zero
    or there are none."""
    values = list(values)
    if len(values) != len(labels):
        raise ValueError("one value per label")
    named = list(full_labels or labels)
    if not _has_data(values):
        return _empty("columns", slug, title, empty)
    left, top, bottom = 64, 16, 48 if sublabels else 28
    plot_w, plot_h = WIDTH - left - 8, height - top - bottom
    ticks = nice_ticks(max(values), whole=whole)
    peak = ticks[-1]
    slot = plot_w / len(values)
    pairs = [(str(lb), number(v)) for lb, v in zip(named, values, strict=True)]
    desc = _describe(description, pairs)
    parts = _open("columns", slug, title, desc, height)
    _value_axis(parts, ticks, top, plot_h, left, number)
    show_values = slot >= 28
    for index, (label, value) in enumerate(zip(named, values, strict=True)):
        bar_h = plot_h * max(value, 0) / peak
        x = left + index * slot + slot * 0.15
        y = top + plot_h - bar_h
        parts.append(
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(slot * 0.7)}" height="{_f(bar_h)}" '
            f'class="bar bar--0"><title>{escape(label)}: {escape(number(value))}</title></rect>'
        )
        if show_values and value:
            parts.append(
                f'<text x="{_f(x + slot * 0.35)}" y="{_f(y - 4)}" class="value" '
                f'text-anchor="middle">{escape(number(value))}</text>'
            )
    _category_labels(parts, labels, sublabels, left, slot, top + plot_h)
    return _close(parts)


def grouped_column_chart(
    *,
    slug: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    empty: str,
    sublabels: Sequence[str] | None = None,
    full_labels: Sequence[str] | None = None,
    number: Number = plain_number,
    whole: bool = False,
    height: int = 260,
) -> SafeString:
    """Columns side by side per category, one colour per series (``bar--0``, ``bar--1``…),
    with a legend naming the series; labels as for :func:`column_chart`."""
    named = list(full_labels or labels)
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("one value per label in every series")
    if not series or not any(_has_data(s.values) for s in series):
        return _empty("grouped", slug, title, empty)
    left, top, bottom = 64, 16 + 26 * len(series), 48 if sublabels else 28
    plot_w, plot_h = WIDTH - left - 8, height - top - bottom
    ticks = nice_ticks(max(max(s.values) for s in series), whole=whole)
    peak = ticks[-1]
    slot = plot_w / len(labels)
    width = slot * 0.8 / len(series)
    pairs = [
        (str(label), ", ".join(f"{s.name} {number(s.values[i])}" for s in series))
        for i, label in enumerate(named)
    ]
    parts = _open("grouped", slug, title, _describe(description, pairs), height)
    # The legend, a line per series at the top: a swatch and the series' name.
    for number_of, one in enumerate(series):
        name = truncate(one.name, 32)
        parts.append(
            f'<g class="legend"><rect x="{left}" y="{4 + 26 * number_of}" width="14" height="14" '
            f'class="bar bar--{number_of}"/><text x="{left + 20}" y="{16 + 26 * number_of}" '
            'class="legend-text">'
            f"{escape(name)}</text></g>"
        )
    _value_axis(parts, ticks, top, plot_h, left, number)
    for index, label in enumerate(named):
        for number_of, one in enumerate(series):
            value = one.values[index]
            bar_h = plot_h * max(value, 0) / peak
            bx = left + index * slot + slot * 0.1 + number_of * width
            parts.append(
                f'<rect x="{_f(bx)}" y="{_f(top + plot_h - bar_h)}" width="{_f(width)}" '
                f'height="{_f(bar_h)}" class="bar bar--{number_of}"><title>'
                f"{escape(label)}, {escape(one.name)}: {escape(number(value))}</title></rect>"
            )
    _category_labels(parts, labels, sublabels, left, slot, top + plot_h)
    return _close(parts)


def bar_chart(
    *,
    slug: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    empty: str,
    number: Number = plain_number,
    label_chars: int = 48,
) -> SafeString:
    """Horizontal bars, one row per category (competence areas, a funnel's stages): the label
    above its bar (cut to ``label_chars``; the whole label in the row's ``<title>``), the value
    at the bar's end. Labels get the chart's whole width, so a phone can read them; the chart
    grows a row at a time."""
    values = list(values)
    if len(values) != len(labels):
        raise ValueError("one value per label")
    if not _has_data(values):
        return _empty("bars", slug, title, empty)
    row, top, left = 52, 4, 2
    room = WIDTH - left - 72  # the value is written after the longest bar
    height = top * 2 + row * len(values)
    peak = max(values)
    pairs = [(str(lb), number(v)) for lb, v in zip(labels, values, strict=True)]
    desc = _describe(description, pairs)
    parts = _open("bars", slug, title, desc, height)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        bar_w = room * max(value, 0) / peak
        parts.append(
            f'<g class="bar-row"><title>{escape(label)}: {escape(number(value))}</title>'
            f'<text x="{left}" y="{_f(y + 18)}" class="axis axis--label">'
            f"{escape(truncate(label, label_chars))}</text>"
            f'<rect x="{left}" y="{_f(y + 25)}" width="{_f(bar_w)}" height="20" '
            f'class="bar bar--0"/>'
            f'<text x="{_f(left + bar_w + 6)}" y="{_f(y + 40)}" class="value">'
            f"{escape(number(value))}</text></g>"
        )
    return _close(parts)
