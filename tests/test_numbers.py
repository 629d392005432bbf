"""Numbers as Québec writes them: counts, hours and durations, and hours that agree wherever
they show (the sum of the minutes, rounded once)."""

from datetime import date, time

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import time_format

from ema.numbers import format_count, format_duration, format_hours, minutes_to_hours
from ema.periods import month_of
from interventions.models import Level
from reports.charts import activity_chart
from reports.selectors.activity import activity_figures
from tests.factories import InterventionFactory

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "count", "hours"),
    [("fr-ca", f"13{NBSP}405", f"1{NBSP}234,5"), ("en", "13,405", "1,234.5")],
)
def test_counts_and_hours_group_their_thousands(language, count, hours):
    with translation.override(language):
        assert format_count(13405) == count
        assert format_hours(1234.5) == hours
        assert format_count(0) == "0"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (290, f"4{NBSP}h{NBSP}50"),
        (65, f"1{NBSP}h{NBSP}05"),
        (120, f"2{NBSP}h"),
        (45, f"45{NBSP}min"),
        (0, f"0{NBSP}min"),
    ],
)
def test_a_duration_has_no_leading_zero_on_its_hours(minutes, text):
    with translation.override("fr-ca"):
        assert format_duration(minutes) == text


def test_the_template_filters_write_the_same():
    template = Template("{% load numbers %}{{ n|count }} · {{ m|duration }} · {{ h|hours }}")
    with translation.override("fr-ca"):
        text = template.render(Context({"n": 13405, "m": 290, "h": 4.8}))
    assert text == f"13{NBSP}405 · 4{NBSP}h{NBSP}50 · 4,8"


def test_minutes_to_hours_rounds_halves_up():
    assert (minutes_to_hours(15), minutes_to_hours(3), minutes_to_hours(None)) == (0.3, 0.1, 0.0)


@pytest.mark.django_db
def test_a_months_hours_come_from_its_minutes_in_the_figures_and_the_chart(direction, site_ss):
    # 10 minutes at each level: 0,2 h each once rounded, but the month has 30 minutes, 0,5 h.
    for level in Level.values:
        InterventionFactory(site=site_ss, date=date(2026, 3, 10), level=level, duration_minutes=10)
    activity = activity_figures(user=direction, period=month_of(date(2026, 3, 10)))

    chart = activity_chart(activity, title="Heures")

    assert activity.total_hours == 0.5
    assert activity.hours_by_month == [0.5]
    assert [float(row.total) for row in chart.rows] == [0.5]


def test_a_time_of_day_has_no_leading_zero_on_its_hour():
    with translation.override("fr-ca"):
        assert time_format(time(9, 5)) == f"9{NBSP}h{NBSP}05"
        assert time_format(time(15, 30)) == f"15{NBSP}h{NBSP}30"
