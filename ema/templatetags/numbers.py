"""Counts, hours and durations on pages, written as ema.numbers writes them."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from ema.numbers import format_count, format_duration, format_hours

register = template.Library()

register.filter("count", format_count)
register.filter("hours", format_hours)
register.filter("duration", format_duration)


@register.filter
def figure(value):
    """A cell of a table of figures: a count or a decimal with its thousands grouped, and
    anything else (a suppressed "< 5", a dash) as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, int):
        return format_count(value)
    return number_format(value, force_grouping=True)
