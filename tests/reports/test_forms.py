"""The dashboards' period form: the period and site asked for, and the last valid one kept in
the session."""

from datetime import date

import pytest
from django.contrib.sessions.backends.db import SessionStore

from ema.periods import Period
from reports.forms import resolve_period

TODAY = date(2026, 11, 15)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def span(period: Period) -> tuple[date, date]:
    return period.start, period.end


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
