"""Reporting periods: fiscal years, quarters, months and custom ranges."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from ema.periods import (
    END_BEFORE_START,
    TOO_LONG,
    Period,
    custom_period,
    fiscal_year_of,
    month_of,
    quarter_of,
    range_problem,
)


def span(period: Period) -> tuple[date, date]:
    return period.start, period.end


# Fiscal years


def test_march_31_belongs_to_the_fiscal_year_that_started_the_previous_april():
    year = fiscal_year_of(date(2027, 3, 31))
    assert span(year) == (date(2026, 4, 1), date(2027, 3, 31))
    assert year.kind == "fiscal_year"


def test_april_1_starts_a_new_fiscal_year():
    assert span(fiscal_year_of(date(2027, 4, 1))) == (date(2027, 4, 1), date(2028, 3, 31))


def test_fiscal_year_label():
    with translation.override("en"):
        assert fiscal_year_of(date(2026, 11, 15)).label == "Fiscal year 2026-2027"


def test_fiscal_year_start_comes_from_the_settings(settings):
    settings.FISCAL_YEAR_START_MONTH, settings.FISCAL_YEAR_START_DAY = 7, 1
    assert span(fiscal_year_of(date(2026, 6, 30))) == (date(2025, 7, 1), date(2026, 6, 30))
    assert span(fiscal_year_of(date(2026, 7, 1))) == (date(2026, 7, 1), date(2027, 6, 30))
    assert span(quarter_of(date(2026, 7, 1))) == (date(2026, 7, 1), date(2026, 9, 30))


def test_a_fiscal_year_on_the_calendar_year_is_labelled_with_one_year(settings):
    settings.FISCAL_YEAR_START_MONTH = 1
    with translation.override("en"):
        year = fiscal_year_of(date(2026, 5, 1))
    assert span(year) == (date(2026, 1, 1), date(2026, 12, 31))
    assert year.label == "Fiscal year 2026"


def test_months_of_a_fiscal_year_are_its_twelve_first_days():
    months = fiscal_year_of(date(2026, 11, 15)).months()
    assert len(months) == 12
    assert months[0] == date(2026, 4, 1)
    assert months[-1] == date(2027, 3, 1)
    assert all(month.day == 1 for month in months)


def test_previous_fiscal_year():
    assert span(fiscal_year_of(date(2026, 4, 1)).previous()) == (
        date(2025, 4, 1),
        date(2026, 3, 31),
    )


# Months and quarters


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 1), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2028, 2, 29), (date(2028, 2, 1), date(2028, 2, 29))),
        (date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_month_boundaries(day, expected):
    assert span(month_of(day)) == expected


def test_month_label_is_the_month_and_year_in_french():
    with translation.override("fr-ca"):
        assert month_of(date(2026, 11, 3)).label == "novembre 2026"


def test_previous_of_january_is_december_of_the_year_before():
    previous = month_of(date(2026, 1, 20)).previous()
    assert span(previous) == (date(2025, 12, 1), date(2025, 12, 31))
    assert previous.kind == "month"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 1), (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 6, 30), (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 7, 1), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 12, 31), (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2027, 1, 1), (date(2027, 1, 1), date(2027, 3, 31))),
        (date(2027, 3, 31), (date(2027, 1, 1), date(2027, 3, 31))),
    ],
)
def test_fiscal_quarter_boundaries(day, expected):
    assert span(quarter_of(day)) == expected


def test_quarter_label_names_the_fiscal_quarter_and_year():
    with translation.override("en"):
        assert quarter_of(date(2026, 11, 15)).label == "Q3 2026-2027"
        assert quarter_of(date(2027, 2, 1)).label == "Q4 2026-2027"


def test_previous_of_q1_is_q4_of_the_previous_fiscal_year():
    previous = quarter_of(date(2026, 5, 10)).previous()
    assert span(previous) == (date(2026, 1, 1), date(2026, 3, 31))
    assert previous.kind == "quarter"
    assert previous.months() == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]


# Custom periods


def test_previous_custom_period_has_the_same_length_and_ends_the_day_before():
    period = custom_period(date(2026, 3, 1), date(2026, 3, 10))
    previous = period.previous()
    assert span(previous) == (date(2026, 2, 19), date(2026, 2, 28))
    assert previous.days() == period.days() == 10
    assert previous.kind == "custom"


def test_custom_period_label_and_months():
    with translation.override("en"):
        period = custom_period(date(2026, 1, 15), date(2026, 3, 2))
    assert period.label == "from 2026-01-15 to 2026-03-02"
    assert period.months() == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]


# Datetime bounds


def test_datetime_range_is_in_montreal_time():
    start, end = month_of(date(2026, 4, 10)).datetime_range()
    assert str(start.tzinfo) == "America/Montreal"
    assert start == datetime(2026, 4, 1, 4, 0, tzinfo=UTC)  # EDT, UTC-4
    assert end == datetime(2026, 5, 1, 4, 0, tzinfo=UTC)


def test_a_utc_timestamp_still_on_march_31_in_montreal_is_not_in_april():
    moment = datetime(2026, 4, 1, 3, 30, tzinfo=UTC)  # 23:30 on March 31 in Montréal
    april_start, april_end = month_of(date(2026, 4, 1)).datetime_range()
    march_start, march_end = month_of(date(2026, 3, 1)).datetime_range()
    assert not april_start <= moment < april_end
    assert march_start <= moment < march_end


def test_datetime_range_covers_the_whole_last_day_in_winter():
    start, end = month_of(date(2026, 1, 5)).datetime_range()
    assert start == datetime(2026, 1, 1, 5, 0, tzinfo=UTC)  # EST, UTC-5
    assert end == datetime(2026, 2, 1, 5, 0, tzinfo=UTC)


# The rules of a range of days typed by a person


def test_a_range_is_no_period_when_it_ends_before_it_starts_or_lasts_too_long():
    assert range_problem(date(2026, 3, 31), date(2026, 3, 1)) == END_BEFORE_START
    assert range_problem(date(2026, 3, 1), date(2026, 3, 1)) is None
    assert range_problem(date(2016, 1, 1), date(2025, 12, 31), longest_months=120) is None
    assert range_problem(date(2016, 1, 1), date(2026, 1, 1), longest_months=120) == TOO_LONG
    assert range_problem(date(1990, 1, 1), date(2026, 1, 1)) is None
