"""Counts, hours and durations on pages, written as ema.numbers writes them."""

from django import template

from ema.numbers import format_count, format_duration, format_hours

register = template.Library()

register.filter("count", format_count)
register.filter("hours", format_hours)
register.filter("duration", format_duration)
