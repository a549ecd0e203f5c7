"""Accessible SVG charts, drawn on the server: no JavaScript.

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` (referenced by
``aria-labelledby``); series are told apart by a pattern *and* a colour, values are
written on the bars, and the page puts the chart's data table right after it.
All text is escaped here; the functions return markup safe to insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LABEL_WIDTH = 260
VALUE_WIDTH = 110
BAR_HEIGHT = 26
GAP = 10
TOP = 10
LEGEND_ROW = 24
FONT = 'font-family="system-ui, sans-serif" font-size="13"'
TEXT = "#161616"

# (fill colour, pattern drawing): every series gets both, so colour is never alone.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("#000091", ""),  # plain
    ("#6a6af4", '<path d="M0,8 L8,0" stroke="#fff" stroke-width="2"/>'),  # diagonal
    ("#e1000f", '<circle cx="4" cy="4" r="1.6" fill="#fff"/>'),  # dots
    ("#18753c", '<path d="M0,4 H8" stroke="#fff" stroke-width="2"/>'),  # horizontal
    ("#b34000", '<path d="M4,0 V8" stroke="#fff" stroke-width="2"/>'),  # vertical
    ("#3a3a3a", '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#fff" stroke-width="1.5"/>'),  # cross
    ("#a558a0", '<rect x="0" y="0" width="4" height="4" fill="#fff"/>'),  # checks
)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | float | Decimal]


def _number(value: int | float | Decimal) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".")


def _clip(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _defs(chart_id: str, count: int) -> str:
    patterns = []
    for i in range(count):
        colour, drawing = _PATTERNS[i % len(_PATTERNS)]
        patterns.append(
            f'<pattern id="{chart_id}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{drawing}</pattern>'
        )
    return f"<defs>{''.join(patterns)}</defs>"


def _open(chart_id: str, title: str, desc: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def stacked_bar_chart(
    chart_id: str, title: str, desc: str, categories: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """One horizontal bar per category, one segment per series (count written inside when
    it fits), and a legend of the patterns."""
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    scale_max = max(totals, default=0) or 1
    plot = WIDTH - LABEL_WIDTH - 50
    legend_top = TOP + len(categories) * (BAR_HEIGHT + GAP) + GAP
    legend_rows = (len(series) + 2) // 3
    height = legend_top + legend_rows * LEGEND_ROW + GAP
    parts = [_open(chart_id, title, desc, height), _defs(chart_id, len(series))]
    for row, category in enumerate(categories):
        y = TOP + row * (BAR_HEIGHT + GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT / 2 + 4}" text-anchor="end" '
            f'fill="{TEXT}">{escape(_clip(category))}</text>'
        )
        x = float(LABEL_WIDTH)
        for index, s in enumerate(series):
            value = s.values[row]
            if not value:
                continue
            width = plot * float(value) / float(scale_max)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="url(#{chart_id}-p{index})" stroke="#fff" stroke-width="1">'
                f"<title>{escape(category)} — {escape(s.label)} : {_number(value)}</title></rect>"
            )
            if width >= 22:
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + BAR_HEIGHT / 2 + 4}" '
                    f'text-anchor="middle" fill="{TEXT}" paint-order="stroke" stroke="#fff" '
                    f'stroke-width="3">{_number(value)}</text>'
                )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + BAR_HEIGHT / 2 + 4}" fill="{TEXT}" '
            f'font-weight="600">{_number(totals[row])}</text>'
        )
    for index, s in enumerate(series):
        column, line = index % 3, index // 3
        x = 10 + column * (WIDTH // 3)
        y = legend_top + line * LEGEND_ROW
        parts.append(
            f'<rect x="{x}" y="{y}" width="18" height="18" fill="url(#{chart_id}-p{index})" '
            f'stroke="{TEXT}" stroke-width="1"/>'
            f'<text x="{x + 26}" y="{y + 14}" fill="{TEXT}">{escape(s.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text is escaped above


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[tuple[str, int | float | Decimal, str]],
) -> SafeString:
    """Horizontal bars: (label, value, value written at the end of the bar)."""
    scale_max = max((float(value) for _, value, _ in bars), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [_open(chart_id, title, desc, height), _defs(chart_id, 1)]
    for row, (label, value, value_label) in enumerate(bars):
        y = TOP + row * (BAR_HEIGHT + GAP)
        width = plot * float(value) / scale_max
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT / 2 + 4}" text-anchor="end" '
            f'fill="{TEXT}">{escape(_clip(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="url(#{chart_id}-p0)"><title>{escape(label)} : {escape(value_label)}</title>'
            "</rect>"
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR_HEIGHT / 2 + 4}" '
            f'fill="{TEXT}">{escape(value_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text is escaped above
