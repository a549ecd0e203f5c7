"""Template helpers of the annual review: the chart as inline SVG, a dict lookup."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from copil.core.review import Chart
from copil.exporters.review_chart import chart_svg

register = template.Library()


@register.filter
def svg(chart: Chart | None, chart_id: str) -> SafeString:
    """The chart's accessible SVG; every text is escaped by chart_svg."""
    if chart is None:
        return mark_safe("")
    return mark_safe(chart_svg(chart, chart_id))  # noqa: S308 - escaped by chart_svg


@register.filter
def lookup(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None
