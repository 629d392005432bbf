from typing import cast

from django import forms

from ema.concurrency import VersionedFormMixin
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput
from incidents.models import Incident


def _text(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class IncidentForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    """Every field of the register, in the order the regulation lists them."""

    class Meta:
        model = Incident
        fields = [
            "title",
            "information",
            "circumstances",
            "started_on",
            "ended_on",
            "dates_approximate",
            "aware_on",
            "people_count",
            "people_count_approximate",
            "sensitivity",
            "consequences",
            "likelihood",
            "risk",
            "commission_notified_on",
            "persons_notified_on",
            "public_notice",
            "public_notice_reason",
            "measures",
        ]
        widgets = {
            "information": _text(3),
            "circumstances": _text(4),
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "aware_on": DateInput(),
            "people_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "sensitivity": _text(2),
            "consequences": _text(2),
            "likelihood": _text(2),
            "risk": forms.RadioSelect,
            "commission_notified_on": DateInput(),
            "persons_notified_on": DateInput(),
            "public_notice_reason": _text(2),
            "measures": _text(4),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A ModelForm offers an empty choice first; the assessment is a deliberate choice.
        cast(forms.ChoiceField, self.fields["risk"]).choices = Incident.Risk.choices
        self.fields["people_count"].widget.attrs["min"] = 1
