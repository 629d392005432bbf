"""Numbers as Québec writes them, in one place: counts with a space between thousands
("13 405 interventions"; "13,405" in English), hours to one decimal ("1 234,5 h") and
durations as "4 h 50". Templates use them through the `numbers` tags (ema.templatetags).

The thousands separator is asked for here, not turned on for the whole site
(USE_THOUSAND_SEPARATOR): templates print primary keys and years into links and attributes,
which must stay plain digits."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext


def minutes_to_hours(minutes: int | None) -> float:
    """Minutes as hours to one decimal, halves rounded up (15 minutes is 0.3 h). Hours shown
    for a span (a day, a month, a list) come from the sum of its minutes, never from a sum of
    rounded hours, so that they agree wherever they show."""
    tenths = Decimal(minutes or 0) / 6
    return float(tenths.quantize(Decimal(1), rounding=ROUND_HALF_UP) / 10)


def format_count(value: int | None) -> str:
    """A count with its thousands grouped as the active language does."""
    return number_format(value or 0, decimal_pos=0, force_grouping=True)


def format_hours(value: float | Decimal | None) -> str:
    """Hours to one decimal, thousands grouped: "1 234,5" (French), "1,234.5" (English)."""
    return number_format(value or 0, decimal_pos=1, force_grouping=True)


def format_duration(minutes: int | None) -> str:
    """A duration in minutes as "4 h 50", "2 h" or "45 min": no leading zero on the hours."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return (gettext("%(minutes)s min") % {"minutes": rest}).replace(" ", "\xa0")
    if not rest:
        return (gettext("%(hours)s h") % {"hours": format_count(hours)}).replace(" ", "\xa0")
    text = gettext("%(hours)s h %(minutes)s") % {
        "hours": format_count(hours),
        "minutes": f"{rest:02d}",
    }
    return text.replace(" ", "\xa0")  # "4 h 50" never cut at the end of a line
