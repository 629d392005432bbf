"""The network picture's page: every role sees it, with the counts their access allows."""

from typing import Any, cast

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ema.accounts.models import User
from ema.dates import BoundedDateField
from ema.http import AuthenticatedHttpRequest
from ema.periods import END_BEFORE_START, last_twelve_months, range_problem
from partners.network import network_picture
from residents.models import Site


class NetworkPeriodForm(forms.Form):
    """The days and the site of the picture: a day left out is taken from the last twelve
    months.

    Its own parameters (date_from, date_to) and no session memory, unlike the dashboards'
    period form (reports.forms), but the same rules of periods (ema.periods)."""

    error_messages = {END_BEFORE_START: _("The end of the period comes before its start.")}

    date_from = BoundedDateField(label=_("From"), required=False)
    date_to = BoundedDateField(label=_("To"), required=False)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = cast(forms.ModelChoiceField, self.fields["site"])
        site.queryset = Site.objects.visible_to(user).order_by("name")
        self.fields["date_from"].widget.attrs["class"] = "form-control"
        self.fields["date_to"].widget.attrs["class"] = "form-control"
        self.fields["site"].widget.attrs["class"] = "form-select"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        default_from, default_to = last_twelve_months()
        cleaned["date_from"] = cleaned.get("date_from") or default_from
        cleaned["date_to"] = cleaned.get("date_to") or default_to
        problem = range_problem(cleaned["date_from"], cleaned["date_to"])
        if problem:
            self.add_error("date_to", self.error_messages[problem])
        return cleaned


@require_GET
def network(request: AuthenticatedHttpRequest) -> HttpResponse:
    date_from, date_to = last_twelve_months()
    form = NetworkPeriodForm(
        request.GET or None,
        user=request.user,
        initial={"date_from": date_from, "date_to": date_to},
    )
    # A period that does not hold together shows its error beside the default period.
    period = form.cleaned_data if form.is_valid() else {}
    picture = network_picture(
        user=request.user,
        date_from=period.get("date_from", date_from),
        date_to=period.get("date_to", date_to),
        site=period.get("site"),
    )
    return render(request, "partners/network.html", {"form": form, "picture": picture})
