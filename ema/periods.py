"""Reporting periods for dashboards and reports: calendar months, fiscal quarters, fiscal years
(April 1 to March 31 unless settings say otherwise) and custom date ranges."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ema.dates import BoundedDateField
from ema.widgets import DateInput
from residents.models import Site

MONTH, QUARTER, FISCAL_YEAR, CUSTOM = "month", "quarter", "fiscal_year", "custom"
KIND_CHOICES = [
    (MONTH, _("Month")),
    (QUARTER, _("Quarter")),
    (FISCAL_YEAR, _("Fiscal year")),
    (CUSTOM, _("Custom period")),
]
MAX_CUSTOM_MONTHS = 120  # ten years


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


def _shift(year: int, month: int, day: int, months: int) -> date:
    """`day` of the month `months` after (year, month), clamped to that month's last day."""
    year, index = divmod(year * 12 + month - 1 + months, 12)
    return date(year, index + 1, min(day, calendar.monthrange(year, index + 1)[1]))


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


class PeriodForm(forms.Form):
    """The dashboards' GET form: a kind of period, its anchor day or its dates, and a site."""

    kind = forms.ChoiceField(
        label=_("Period"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    day = BoundedDateField(
        label=_("Date"), required=False, widget=DateInput(attrs={"class": "form-control"})
    )
    start = BoundedDateField(
        label=_("From"), required=False, widget=DateInput(attrs={"class": "form-control"})
    )
    end = BoundedDateField(
        label=_("To"), required=False, widget=DateInput(attrs={"class": "form-control"})
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("All sites"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose one of your sites.")},
    )

    def __init__(self, data=None, *, user, default_kind: str = MONTH, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.default_kind = default_kind
        self.fields["site"].queryset = Site.objects.visible_to(user)
        self.initial.setdefault("kind", default_kind)
        self.initial.setdefault("day", timezone.localdate())

    def clean(self) -> dict:
        """Build `cleaned_data["period"]` from the kind and its dates."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        kind = cleaned.get("kind") or self.default_kind
        if kind != CUSTOM:
            cleaned["period"] = period_of(kind, cleaned.get("day") or timezone.localdate())
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if not start:
            self.add_error("start", _("Enter the first day of the period."))
        if not end:
            self.add_error("end", _("Enter the last day of the period."))
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period cannot be before its start."))
            elif end >= _shift(start.year, start.month, start.day, MAX_CUSTOM_MONTHS):
                self.add_error("end", _("A custom period cannot be longer than ten years."))
            else:
                cleaned["period"] = custom_period(start, end)
        return cleaned


def _stored(request: HttpRequest, session_key: str) -> tuple[Period, Site | None] | None:
    """The last valid period and site kept in the session, if they still make sense."""
    saved = request.session.get(session_key)
    try:
        kind, start = saved["kind"], date.fromisoformat(saved["start"])
        end = date.fromisoformat(saved["end"])
        period = custom_period(start, end) if kind == CUSTOM else period_of(kind, start)
    except (TypeError, KeyError, ValueError):
        return None
    site = None
    if saved.get("site") is not None:
        site = Site.objects.visible_to(request.user).filter(pk=saved["site"]).first()
        if site is None:
            return None
    return period, site


def resolve_period(
    request: HttpRequest, *, default_kind: str = MONTH, session_key: str = "dashboard_period"
) -> tuple[Period, Site | None, PeriodForm]:
    """The period and site asked for in request.GET; on bad input, the form carries the errors
    and the last valid choice (from the session) or the current period of `default_kind` holds."""
    fallback = _stored(request, session_key) or (
        period_of(default_kind, timezone.localdate()),
        None,
    )
    if not any(name in request.GET for name in PeriodForm.base_fields):
        period, site = fallback
        initial = {"kind": period.kind, "day": period.start, "start": period.start}
        initial |= {"end": period.end, "site": site}
        form = PeriodForm(user=request.user, default_kind=default_kind, initial=initial)
        return period, site, form
    form = PeriodForm(request.GET, user=request.user, default_kind=default_kind)
    if not form.is_valid():
        return *fallback, form
    period, site = form.cleaned_data["period"], form.cleaned_data["site"]
    request.session[session_key] = {
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "site": site.pk if site else None,
    }
    return period, site, form
