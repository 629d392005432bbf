"""Reporting periods for dashboards and reports: calendar months, fiscal quarters, fiscal years
(April 1 to March 31 unless settings say otherwise) and custom date ranges; the arithmetic
only, that every page choosing a period shares (reports.forms, partners.network_views)."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

MONTH, QUARTER, FISCAL_YEAR, CUSTOM = "month", "quarter", "fiscal_year", "custom"
MAX_CUSTOM_MONTHS = 120  # ten years
# What can be wrong with a range of days that a person typed: the codes of range_problem(),
# that each form turns into its own message.
END_BEFORE_START, TOO_LONG = "end_before_start", "too_long"


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included, with a label in the active language."""

    kind: str
    start: date
    end: date
    label: str

    def previous(self) -> "Period":
        """The period of the same kind just before; a custom one keeps its length."""
        day_before = self.start - timedelta(days=1)
        if self.kind == CUSTOM:
            return custom_period(day_before - timedelta(days=self.days() - 1), day_before)
        return period_of(self.kind, day_before)

    def months(self) -> list[date]:
        """The first day of each calendar month that overlaps the period."""
        firsts, month = [], self.start.replace(day=1)
        while month <= self.end:
            firsts.append(month)
            month = _shift(month.year, month.month, 1, 1)
        return firsts

    def datetime_range(self) -> tuple[datetime, datetime]:
        """Aware local bounds: [start at midnight, the day after the end at midnight)."""
        zone = timezone.get_default_timezone()
        after = self.end + timedelta(days=1)
        return datetime.combine(self.start, time.min, zone), datetime.combine(after, time.min, zone)

    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_whole_months(self) -> bool:
        return are_whole_months(self.start, self.end)


def are_whole_months(start: date, end: date) -> bool:
    """Whether [start, end] starts on a first of the month and ends on a last: the monthly
    summaries hold its figures (a month, a quarter, a fiscal year)."""
    return start.day == 1 and (end + timedelta(days=1)).day == 1


def _shift(year: int, month: int, day: int, months: int) -> date:
    """`day` of the month `months` after (year, month), clamped to that month's last day."""
    year, index = divmod(year * 12 + month - 1 + months, 12)
    return date(year, index + 1, min(day, calendar.monthrange(year, index + 1)[1]))


def months_after(day: date, months: int) -> date:
    """The same day `months` months later (earlier when negative), or that month's last day."""
    return _shift(day.year, day.month, day.day, months)


def _fiscal_start(year: int) -> date:
    return _shift(year, settings.FISCAL_YEAR_START_MONTH, settings.FISCAL_YEAR_START_DAY, 0)


def _years_text(start: date, end: date) -> str:
    return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"


def fiscal_year_of(day: date) -> Period:
    """The fiscal year that contains `day`."""
    start = _fiscal_start(day.year)
    if day < start:
        start = _fiscal_start(day.year - 1)
    end = _fiscal_start(start.year + 1) - timedelta(days=1)
    label = gettext("Fiscal year %(years)s") % {"years": _years_text(start, end)}
    return Period(FISCAL_YEAR, start, end, label)


def month_of(day: date) -> Period:
    """The calendar month that contains `day`."""
    start = day.replace(day=1)
    end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return Period(MONTH, start, end, date_format(start, "YEAR_MONTH_FORMAT"))


def quarter_of(day: date) -> Period:
    """The fiscal quarter that contains `day`: Q1 is the first three months of the fiscal year."""
    year = fiscal_year_of(day)
    first_day = settings.FISCAL_YEAR_START_DAY
    for number in range(1, 5):
        start = _shift(year.start.year, year.start.month, first_day, 3 * (number - 1))
        end = _shift(year.start.year, year.start.month, first_day, 3 * number) - timedelta(days=1)
        if start <= day <= end:
            break
    # Translators: a fiscal quarter, e.g. "Q3 2026-2027" (French: "T3 2026-2027").
    label = gettext("Q%(number)s %(years)s") % {
        "number": number,
        "years": _years_text(year.start, year.end),
    }
    return Period(QUARTER, start, end, label)


def custom_period(start: date, end: date) -> Period:
    """The days from `start` to `end`, both included."""
    # Translators: a custom period between two ISO dates: "du 2026-01-01 au 2026-03-31".
    label = gettext("from %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return Period(CUSTOM, start, end, label)


def period_of(kind: str, day: date) -> Period:
    """The month, fiscal quarter or fiscal year that contains `day`."""
    return {MONTH: month_of, QUARTER: quarter_of, FISCAL_YEAR: fiscal_year_of}[kind](day)


def last_twelve_months(today: date | None = None) -> tuple[date, date]:
    """The twelve months that end today, today included."""
    today = today or timezone.localdate()
    try:
        year_before = today.replace(year=today.year - 1)
    except ValueError:  # February 29
        year_before = today.replace(year=today.year - 1, day=28)
    return year_before + timedelta(days=1), today


def range_problem(start: date, end: date, *, longest_months: int | None = None) -> str | None:
    """Why the days from `start` to `end` are not a period: END_BEFORE_START, TOO_LONG (as
    long as `longest_months` months or longer), or None when they are one."""
    if end < start:
        return END_BEFORE_START
    if longest_months is not None and end >= _shift(
        start.year, start.month, start.day, longest_months
    ):
        return TOO_LONG
    return None


def end_of_week(day: date) -> date:
    """The Saturday that ends the week of `day`: in Québec a week runs Sunday to Saturday."""
    return day + timedelta(days=(calendar.SATURDAY - day.weekday()) % 7)
