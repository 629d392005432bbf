"""Forms of the concertation meetings: a meeting, a commitment, a follow-up step, the filter
of the commitments to follow."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import VersionedFormMixin
from ema.forms import choice_field
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput
from partners.concertation.models import Commitment, ConcertationMeeting
from partners.models import Organisation


def _organisations():
    return Organisation.objects.filter(is_active=True).order_by("name")


class MeetingForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    """A meeting's table, day, sites, who was there and what was decided."""

    class Meta:
        model = ConcertationMeeting
        fields = [
            "table",
            "table_name",
            "held_on",
            "sites",
            "partners_present",
            "staff_present",
            "decisions",
        ]
        widgets = {
            "held_on": DateInput(),
            "sites": forms.CheckboxSelectMultiple,
            "partners_present": forms.CheckboxSelectMultiple,
            "staff_present": forms.CheckboxSelectMultiple,
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "table").queryset = Organisation.objects.filter(
            kind=Organisation.Kind.CONCERTATION_TABLE
        ).order_by("name")
        choice_field(self, "partners_present").queryset = _organisations().exclude(
            kind=Organisation.Kind.CONCERTATION_TABLE
        )
        choice_field(self, "staff_present").queryset = (
            User.objects.filter(is_active=True).exclude(role="").order_by("first_name", "last_name")
        )


class CommitmentForm(OneTimeFormMixin, forms.ModelForm):
    """Which organisation undertook what, by when."""

    class Meta:
        model = Commitment
        fields = ["organisation", "what", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "organisation").queryset = _organisations()


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)


class CommitmentFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    late_only = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "organisation").queryset = (
            Organisation.objects.filter(commitments__isnull=False).distinct().order_by("name")
        )
        self.fields["organisation"].widget.attrs["class"] = "form-select"
