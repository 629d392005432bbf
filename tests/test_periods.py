"""Reporting periods: fiscal years, quarters, months, custom ranges, and the dashboards' form."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import translation

from ema.periods import (
    Period,
    custom_period,
    fiscal_year_of,
    month_of,
    quarter_of,
    resolve_period,
)

TODAY = date(2026, 11, 15)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


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


# resolve_period


@pytest.fixture
def get(rf):
    """A GET request from `user`, with a session that survives between requests."""
    session = SessionStore()

    def build(user, **params):
        request = rf.get("/tableau-de-bord/", params)
        request.user = user
        request.session = session
        return request

    return build


def test_no_input_and_no_session_gives_the_current_month(get, direction, today):
    period, site, form = resolve_period(get(direction))
    assert span(period) == (date(2026, 11, 1), date(2026, 11, 30))
    assert period.kind == "month"
    assert site is None
    assert not form.is_bound


def test_no_input_gives_the_current_period_of_the_default_kind(get, direction, today):
    period, _site, _form = resolve_period(get(direction), default_kind="fiscal_year")
    assert span(period) == (date(2026, 4, 1), date(2027, 3, 31))


def test_valid_input_is_returned_and_kept_in_the_session(get, intervenant_ss, site_ss, today):
    request = get(intervenant_ss, kind="quarter", day="2026-05-20", site=site_ss.pk)
    period, site, form = resolve_period(request)
    assert form.is_valid()
    assert span(period) == (date(2026, 4, 1), date(2026, 6, 30))
    assert site == site_ss
    assert request.session["dashboard_period"] == {
        "kind": "quarter",
        "start": "2026-04-01",
        "end": "2026-06-30",
        "site": site_ss.pk,
    }
    # Next page, no parameters: the choice is remembered.
    period, site, form = resolve_period(get(intervenant_ss))
    assert span(period) == (date(2026, 4, 1), date(2026, 6, 30))
    assert site == site_ss
    assert form.initial["kind"] == "quarter"


def test_month_without_a_day_is_the_current_month(get, direction, today):
    period, _site, form = resolve_period(get(direction, kind="month"))
    assert form.is_valid()
    assert span(period) == (date(2026, 11, 1), date(2026, 11, 30))


def test_custom_period_is_valid(get, direction, site_ag):
    request = get(direction, kind="custom", start="2026-01-01", end="2026-03-31", site=site_ag.pk)
    period, site, _form = resolve_period(request)
    assert span(period) == (date(2026, 1, 1), date(2026, 3, 31))
    assert site == site_ag
    assert request.session["dashboard_period"]["kind"] == "custom"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "custom", "start": "2026-03-31", "end": "2026-01-01"}, "end"),
        ({"kind": "custom", "start": "2026-02-30", "end": "2026-03-31"}, "start"),
        ({"kind": "month", "day": "pas une date"}, "day"),
        ({"kind": "custom", "start": "2015-01-01", "end": "2025-12-31"}, "end"),
        ({"kind": "custom", "start": "2026-01-01"}, "end"),
        ({"kind": "month", "day": "0001-01-01"}, "day"),
        ({"kind": "semaine"}, "kind"),
    ],
)
def test_bad_input_shows_an_error_and_keeps_the_previous_valid_period(
    get, direction, today, params, field
):
    resolve_period(get(direction, kind="fiscal_year", day="2025-06-01"))
    request = get(direction, **params)
    period, site, form = resolve_period(request)
    assert field in form.errors
    assert span(period) == (date(2025, 4, 1), date(2026, 3, 31))
    assert period.kind == "fiscal_year"
    assert site is None
    assert request.session["dashboard_period"]["start"] == "2025-04-01"


def test_a_custom_period_of_exactly_ten_years_is_allowed(get, direction):
    period, _site, form = resolve_period(
        get(direction, kind="custom", start="2016-01-01", end="2025-12-31")
    )
    assert form.is_valid()
    assert period.days() == 3653


def test_an_intervenant_cannot_pick_another_site(get, intervenant_ss, site_ss, site_ag, today):
    resolve_period(get(intervenant_ss, kind="month", day="2026-09-10", site=site_ss.pk))
    period, site, form = resolve_period(get(intervenant_ss, kind="month", site=site_ag.pk))
    assert "site" in form.errors
    assert span(period) == (date(2026, 9, 1), date(2026, 9, 30))
    assert site == site_ss


def test_an_unknown_site_is_an_error(get, direction, today):
    period, site, form = resolve_period(get(direction, kind="month", site="999999"))
    assert "site" in form.errors
    assert span(period) == (date(2026, 11, 1), date(2026, 11, 30))
    assert site is None


def test_bad_input_without_a_session_gives_the_default(get, direction, today):
    period, _site, form = resolve_period(
        get(direction, kind="custom", start="2026-03-31", end="2026-01-01"), default_kind="quarter"
    )
    assert form.errors
    assert span(period) == (date(2026, 10, 1), date(2026, 12, 31))


def test_a_stored_site_the_user_no_longer_sees_is_dropped(get, intervenant_ss, site_ss, today):
    request = get(intervenant_ss, kind="month", day="2026-09-10", site=site_ss.pk)
    resolve_period(request)
    intervenant_ss.sites.clear()
    period, site, _form = resolve_period(get(intervenant_ss))
    assert site is None
    assert span(period) == (date(2026, 11, 1), date(2026, 11, 30))


def test_site_choices_are_the_users_sites(get, intervenant_ss, site_ss, site_ag):
    _period, _site, form = resolve_period(get(intervenant_ss))
    assert list(form.fields["site"].queryset) == [site_ss]
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["start"].widget.attrs["class"] == "form-control"
