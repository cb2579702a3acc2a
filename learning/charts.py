"""Small charts drawn on the server as inline SVG: no JavaScript, no CDN, readable as text."""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 24, 40
BAND_LABELS = [f"{n}–{n + 9}" for n in range(0, 90, 10)] + ["90–100"]


def score_histogram(quiz) -> dict:
    """A bar chart of learners' best scores in ten bands, with the pass mark drawn across."""
    bins = quiz.bins
    step = max(math.ceil(max(bins) / 4), 1)
    peak = step * 4
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(bins)
    slug = f"quiz-{quiz.key[0]}-{quiz.key[1][:8]}"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{slug}-title {slug}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{slug}-title">'
        + escape(_("Best scores in “%(title)s”") % {"title": quiz.title})
        + "</title>",
        f'<desc id="{slug}-desc">{escape(describe_histogram(quiz))}</desc>',
    ]
    # gridlines and axis labels
    for tick in range(0, 5):
        value = tick * step
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{value}</text>'
        )
    for index, count in enumerate(bins):
        height = plot_h * count / peak
        x = LEFT + index * slot + slot * 0.12
        y = TOP + plot_h - height
        passing = index * 10 >= quiz.pass_mark
        css = "bar bar--pass" if passing else "bar"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.76:.1f}" height="{height:.1f}" '
            f'class="{css}"><title>{BAND_LABELS[index]}%: {count}</title></rect>'
        )
        if count:
            parts.append(
                f'<text x="{x + slot * 0.38:.1f}" y="{y - 4:.1f}" class="value" '
                f'text-anchor="middle">{count}</text>'
            )
        parts.append(
            f'<text x="{LEFT + index * slot + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'class="axis" text-anchor="middle">{BAND_LABELS[index]}</text>'
        )
    mark_x = LEFT + plot_w * quiz.pass_mark / 100
    parts.append(
        f'<line x1="{mark_x:.1f}" x2="{mark_x:.1f}" y1="{TOP - 8}" y2="{TOP + plot_h}" '
        f'class="pass-mark"/>'
        f'<text x="{LEFT}" y="{TOP - 10}" class="axis pass-label">'
        + escape(_("dashed line: pass mark %(mark)s%%") % {"mark": quiz.pass_mark})
        + "</text>"
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" class="axis" '
        f'text-anchor="middle">{escape(_("best score (%)"))}</text>'
    )
    parts.append("</svg>")
    return {
        "quiz": quiz,
        "svg": mark_safe("".join(parts)),  # noqa: S308 (every text part is escaped above)
        "bands": list(zip(BAND_LABELS, bins, strict=True)),
    }


def describe_histogram(quiz) -> str:
    if not quiz.learners:
        return _("No learner has taken this quiz yet.")
    took = ngettext(
        "%(learners)s learner took this quiz; %(passed)s reached the pass mark of %(mark)s%%.",
        "%(learners)s learners took this quiz; %(passed)s reached the pass mark of %(mark)s%%.",
        quiz.learners,
    ) % {"learners": quiz.learners, "passed": quiz.passed, "mark": quiz.pass_mark}
    return (
        took
        + " "
        + "; ".join(f"{label}%: {n}" for label, n in zip(BAND_LABELS, quiz.bins, strict=True) if n)
        + "."
    )


def funnel(stages) -> SafeString:
    """The progress funnel as horizontal bars (HTML, each bar's width its share of enrolled)."""
    rows = []
    for stage in stages:
        rows.append(
            '<li class="funnel-row">'
            f'<span class="funnel-label">{escape(stage.label)}</span>'
            # An SVG bar, not a style attribute: the Content-Security-Policy allows none.
            '<svg class="funnel-track" aria-hidden="true" viewBox="0 0 100 1" '
            f'preserveAspectRatio="none"><rect class="funnel-bar" width="{stage.percent}" '
            'height="1"/></svg>'
            f'<span class="funnel-value">{stage.count} <span class="muted">({stage.percent}%)'
            "</span></span></li>"
        )
    return mark_safe('<ol class="funnel">' + "".join(rows) + "</ol>")  # noqa: S308
