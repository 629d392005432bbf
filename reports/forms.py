"""The dashboards' forms: the targets the direction sets, and the period and site a page shows,
remembered in the session."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.dates import BoundedDateField
from ema.forms import choice_field
from ema.http import AuthenticatedHttpRequest
from ema.periods import (
    CUSTOM,
    END_BEFORE_START,
    FISCAL_YEAR,
    MAX_CUSTOM_MONTHS,
    MONTH,
    QUARTER,
    TOO_LONG,
    Period,
    custom_period,
    period_of,
    range_problem,
)
from ema.widgets import DateInput
from reports.models import DashboardSettings
from residents.models import Site

KIND_CHOICES = [
    (MONTH, _("Month")),
    (QUARTER, _("Quarter")),
    (FISCAL_YEAR, _("Fiscal year")),
    (CUSTOM, _("Custom period")),
]


class DashboardSettingsForm(forms.ModelForm):
    """The targets the direction sets for the balance of the work and the reach."""

    class Meta:
        model = DashboardSettings
        fields = ["target_individual", "target_group", "target_collective", "not_reached_months"]


class PeriodForm(forms.Form):
    """The dashboards' GET form: a kind of period, its anchor day or its dates, and a site."""

    error_messages = {
        END_BEFORE_START: _("The end of the period cannot be before its start."),
        TOO_LONG: _("A custom period cannot be longer than ten years."),
    }

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

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        user: User,
        default_kind: str = MONTH,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.default_kind = default_kind
        choice_field(self, "site").queryset = Site.objects.visible_to(user)
        self.initial.setdefault("kind", default_kind)
        self.initial.setdefault("day", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        """Build `cleaned_data["period"]` from the kind and its dates."""
        super().clean()
        cleaned = self.cleaned_data
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
            problem = range_problem(start, end, longest_months=MAX_CUSTOM_MONTHS)
            if problem:
                self.add_error("end", self.error_messages[problem])
            else:
                cleaned["period"] = custom_period(start, end)
        return cleaned


def _remembered_period(
    request: AuthenticatedHttpRequest, session_key: str
) -> tuple[Period, Site | None] | None:
    """The last valid period and site kept in the session, if they still make sense."""
    # What the session holds, if anything: a value that does not fit is caught below.
    saved: Any = request.session.get(session_key)
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
    request: AuthenticatedHttpRequest,
    *,
    default_kind: str = MONTH,
    session_key: str = "dashboard_period",
) -> tuple[Period, Site | None, PeriodForm]:
    """The period and site asked for in request.GET; on bad input, the form carries the errors
    and the last valid choice (from the session) or the current period of `default_kind` holds."""
    fallback = _remembered_period(request, session_key) or (
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
