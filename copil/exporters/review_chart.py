"""The trend chart of an indicator over the years, as SVG (PDF, web page) or PNG (DOCX,
ODT), both drawn from one ``copil.core.review.Chart`` with the same geometry.

Vertical bars, one per year, the year and its value written under each bar ("2019 : 20",
so colour never carries the information alone; the year under review in bold); a masked
value (statistical secrecy) or a missing one gets no bar, only its text ("2020 : < 5");
the year's target is a dotted tick across its slot.
PNG is drawn with Pillow (already installed as a WeasyPrint dependency), which keeps
matplotlib's import time and size out of the process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from copil.core.review import Chart

WIDTH, HEIGHT = 480, 120
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 18, 22
LABEL_SIZE = 12
BAR = "#000091"
BAR_PAST = "#6a6af4"
TEXT = "#161616"
TARGET = "#b34000"
LEGEND = "pointillés : cible de l'année"  # in the figure's caption for the SVG


@dataclass(frozen=True)
class _Bar:
    x: float  # left of the slot
    width: float
    top: float | None  # None: no bar
    target_y: float | None
    label: str  # "2019 : 20", under the axis: the year and its value in one text
    current: bool


def _layout(chart: Chart) -> list[_Bar]:
    points = chart.points
    if not points:
        return []
    numbers = [p.value for p in points if p.value is not None] + [
        p.target for p in points if p.target is not None
    ]
    top = max([Decimal(0), *numbers]) or Decimal(1)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(points)
    base = HEIGHT - BOTTOM

    def y(value: Decimal) -> float:
        return base - float(max(value, Decimal(0)) / top) * plot_h

    return [
        _Bar(
            x=LEFT + i * slot,
            width=slot,
            top=y(p.value) if p.value is not None else None,
            target_y=y(p.target) if p.target is not None else None,
            label=f"{p.label} : {p.text}",
            current=p.current,
        )
        for i, p in enumerate(points)
    ]


def chart_svg(chart: Chart, chart_id: str) -> str:
    """An accessible SVG (role img, title and desc), every text escaped.

    Kept light for WeasyPrint, which lays out every SVG text with Pango: one text per
    year ("2019 : 20", under the axis), no legend text (the figure's caption says what
    the dotted line is), no filter, gradient or axis graduation."""
    bars = _layout(chart)
    base = HEIGHT - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="DejaVu Sans, system-ui, sans-serif" font-size="{LABEL_SIZE}" '
        f'fill="{TEXT}" text-anchor="middle">'
        f'<title id="{chart_id}-title">{escape(chart.title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(chart.description)}</desc>',
        f'<path d="M{LEFT} {base}H{WIDTH - RIGHT}" stroke="{TEXT}"/>',
    ]
    for bar in bars:
        centre = bar.x + bar.width / 2
        bar_w = min(bar.width * 0.6, 70)
        if bar.top is not None and bar.top < base:
            colour = BAR if bar.current else BAR_PAST
            parts.append(
                f'<rect x="{centre - bar_w / 2:.1f}" y="{bar.top:.1f}" width="{bar_w:.1f}" '
                f'height="{base - bar.top:.1f}" fill="{colour}"/>'
            )
        if bar.target_y is not None:
            parts.append(
                f'<path d="M{centre - bar_w / 2 - 6:.1f} {bar.target_y:.1f}h{bar_w + 12:.1f}" '
                f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="5 3"/>'
            )
        weight = ' font-weight="bold"' if bar.current else ""
        parts.append(f'<text x="{centre:.1f}" y="{base + 16}"{weight}>{escape(bar.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _font(size: int):
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _bold_font(size: int):
    from PIL import ImageFont

    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return _font(size)


def chart_png(chart: Chart, scale: int = 2) -> bytes:
    """The same chart as a PNG, ``scale`` times the SVG's size for print; the legend of
    the target's dotted line is drawn in its top margin (a DOCX or ODT image has no
    figure caption of its own)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), "white")
    draw = ImageDraw.Draw(image)
    font, bold = _font(LABEL_SIZE * scale), _bold_font(LABEL_SIZE * scale)
    base = (HEIGHT - BOTTOM) * scale

    def s(v: float) -> float:
        return v * scale

    draw.line([(s(LEFT), base), (s(WIDTH - RIGHT), base)], fill=TEXT, width=scale)
    bars = _layout(chart)
    for bar in bars:
        centre = s(bar.x + bar.width / 2)
        bar_w = s(min(bar.width * 0.6, 70))
        if bar.top is not None and s(bar.top) < base:
            colour = BAR if bar.current else BAR_PAST
            draw.rectangle([(centre - bar_w / 2, s(bar.top)), (centre + bar_w / 2, base)], colour)
        if bar.target_y is not None:
            _dashed(draw, centre - bar_w / 2 - s(6), centre + bar_w / 2 + s(6), s(bar.target_y), s)
        face = bold if bar.current else font
        draw.text((centre, base + s(16)), bar.label, fill=TEXT, font=face, anchor="ms")
    if chart.has_targets:
        right = s(WIDTH - RIGHT)
        draw.text((right, s(TOP - 6)), LEGEND, fill=TEXT, font=font, anchor="rs")
        width = draw.textlength(LEGEND, font=font)
        _dashed(draw, right - width - s(30), right - width - s(6), s(TOP - 10), s)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _dashed(draw, x1: float, x2: float, y: float, s) -> None:
    x = x1
    while x < x2:
        draw.line([(x, y), (min(x + s(5), x2), y)], fill=TARGET, width=int(s(2)))
        x += s(8)
