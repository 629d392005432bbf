from typing import cast

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import VersionedFormMixin
from ema.forms import choice_field, label_choices
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput, SearchSelect
from residents.models import Household, Resident
from team.models import AgendaItem, Meeting, MeetingAction
from team.selectors import team_staff


class MeetingForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    """The day of a meeting and who attended (the staff of the team)."""

    class Meta:
        model = Meeting
        fields = ["held_on", "participants"]
        widgets = {"held_on": DateInput(), "participants": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        staff = team_staff()
        if self.instance.pk:
            # A former colleague who attended stays ticked and offered.
            staff = (staff | self.instance.participants.all()).distinct()
        choice_field(self, "participants").queryset = staff
        label_choices(self, "participants", str)
        self.fields["participants"].error_messages["invalid_choice"] = _(
            "Choose members of the team."
        )
        # Whoever records the meeting is one of them (the service adds them).
        self.fields["participants"].required = False
        self.fields["participants"].help_text = _("You are always one of them.")
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("participants", [user.pk])


class AgendaItemForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    """One item: its kind, what it was about and what was said and decided. A household or
    resident is chosen by typing, among those the author may open."""

    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "household", "resident", "said", "decisions"]
        widgets = {
            "kind": forms.RadioSelect,
            "household": SearchSelect(reverse_lazy("residents:household_lookup")),
            "resident": SearchSelect(
                reverse_lazy("residents:resident_lookup"),
                depends_on="id_household",
                prompt=_("Choose the household first"),
            ),
            "said": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = AgendaItem.Kind.choices
        households = Household.objects.visible_to(user).select_related("site")
        choice_field(self, "household").queryset = households
        label_choices(self, "household", lambda household: household.name_and_unit)
        self.fields["household"].error_messages["invalid_choice"] = _(
            "This household is not among those you can see."
        )
        residents = Resident.objects.visible_to(user).select_related("household")
        household = self.data.get("household") if self.is_bound else self.instance.household_id
        if household and str(household).isdigit():
            residents = residents.filter(household_id=household)
        choice_field(self, "resident").queryset = residents
        label_choices(self, "resident", lambda resident: resident.name_and_home)
        self.fields["resident"].error_messages["invalid_choice"] = _(
            "This person is not among the residents you can name."
        )
        self.fields["resident"].help_text = _("Optional: when the discussion is about one person.")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        missing = kind == AgendaItem.Kind.CASE and not cleaned.get("household")
        if missing and "household" not in self.errors:
            self.add_error("household", _("A case discussion is about a household or a resident."))
        return cleaned


class MeetingActionForm(OneTimeFormMixin, forms.ModelForm):
    """Who does what, by which day: one of the meeting's participants."""

    class Meta:
        model = MeetingAction
        fields = ["owner", "what", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").queryset = meeting.participants.order_by(
            "first_name", "last_name", "username"
        )
        label_choices(self, "owner", str)
        self.fields["owner"].error_messages["invalid_choice"] = _(
            "Choose one of the meeting’s participants."
        )
