"""Indicator values on other apps' pages (the action page), masked like everywhere."""

from __future__ import annotations

from django import template

from copil.monitoring.selectors import IndicatorRow, latest_readings

register = template.Library()


@register.simple_tag
def indicator_values(action) -> list[IndicatorRow]:
    """The action's indicators (prefetched) with their latest overall value: one query,
    none when the action has no indicator."""
    indicators = list(action.indicators.all())
    if not indicators:
        return []
    rows = latest_readings(indicators, action.plan.convention.secrecy_threshold)
    return [rows[indicator.pk] for indicator in indicators]
