from django import forms

from ema.models import DashboardSettings


class DashboardSettingsForm(forms.ModelForm):
    """The targets the direction sets for the balance of the work and the reach."""

    class Meta:
        model = DashboardSettings
        fields = ["target_individual", "target_group", "target_collective", "not_reached_months"]
