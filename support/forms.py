from django import forms

from ema.access import the_team
from ema.accounts.models import User
from ema.concurrency import VersionedFormMixin
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput
from support.models import SupervisionSession, SupervisionTheme, WorkloadThresholds, WorkPlan


def _team():
    return User.objects.filter(the_team()).order_by("first_name", "last_name")


class SessionForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    """A supervision session: the service checks who may record it and saves the people."""

    class Meta:
        model = SupervisionSession
        fields = [
            "kind",
            "date",
            "duration_minutes",
            "supervisor",
            "external_supervisor",
            "supervised",
            "themes",
            "notes",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "date": DateInput(),
            "duration_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "step": 15}),
            "supervised": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        team = _team()
        self.fields["kind"].choices = SupervisionSession.Kind.choices  # type: ignore[attr-defined]
        self.fields["supervisor"].queryset = team  # type: ignore[attr-defined]
        self.fields["supervised"].queryset = team  # type: ignore[attr-defined]
        self.fields["themes"].queryset = SupervisionTheme.objects.active()  # type: ignore[attr-defined]


class WorkPlanForm(forms.ModelForm):
    class Meta:
        model = WorkPlan
        fields = ["hours_per_week"]
        widgets = {"hours_per_week": forms.NumberInput(attrs={"inputmode": "decimal", "step": 0.5})}


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = WorkloadThresholds
        fields = [
            "over_planned_percent",
            "crisis_interventions",
            "evening_hours",
            "weekend_hours",
            "weeks_without_supervision",
        ]
