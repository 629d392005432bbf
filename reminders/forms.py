from django import forms

from reminders.models import DigestChoice


class DigestChoiceForm(forms.ModelForm):
    class Meta:
        model = DigestChoice
        fields = ["daily", "weekly"]
        widgets = {
            "daily": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "weekly": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }

    def __init__(self, *args, offers_weekly: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not offers_weekly:
            del self.fields["weekly"]
