from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collective import selectors
from collective.models import CollectiveIssue, IssueResponse, IssueStatus
from ema.accounts.models import User
from ema.concurrency import VersionedFormMixin
from ema.dates import BoundedDateField
from ema.forms import choice_field, label_choices
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput, SearchSelectMultiple
from partners.models import Organisation
from residents.models import Site


def _text(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class IssueFilterForm(forms.Form):
    """The list's filters: a site, a status (the address holds no name)."""

    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status")), *IssueStatus.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "site").queryset = Site.objects.visible_to(user).order_by("name")


class IssueForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    """An issue's description and the partners mobilised; its status moves on its page."""

    class Meta:
        model = CollectiveIssue
        fields = ["site", "title", "category", "opened_on", "description", "partners"]
        widgets = {
            "opened_on": DateInput(),
            "description": _text(4),
            "partners": forms.SelectMultiple(attrs={"size": 6, "class": "form-select"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "site").queryset = Site.objects.visible_to(user).order_by("name")
        partners = Organisation.objects.filter(is_active=True)
        if self.instance.pk:
            # A partner mobilised before stays offered, even once it is no longer active.
            partners = partners | Organisation.objects.filter(collective_issues=self.instance)
        choice_field(self, "partners").queryset = partners.distinct().order_by("name")
        self.fields["partners"].required = False
        self.fields["partners"].help_text = _(
            "Hold Ctrl (or ⌘) to choose several; a partner that answers is added anyway."
        )
        if self.instance.pk:
            # The households and interventions linked belong to the site: it stays.
            self.fields["site"].disabled = True


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=IssueStatus.choices)
    on = BoundedDateField(label=_("Since"), required=False, help_text=_("Today if left empty."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HouseholdsForm(forms.Form):
    """Households of the issue's site to count among those affected, chosen by typing."""

    households = forms.ModelMultipleChoiceField(
        label=_("Households affected"),
        queryset=None,
        widget=SearchSelectMultiple(""),
        error_messages={
            "required": _("Choose at least one household."),
            "invalid_choice": _("This household does not live on the issue’s site."),
        },
    )

    def __init__(self, *args: Any, user: User, issue: CollectiveIssue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = choice_field(self, "households")
        field.queryset = selectors.households_to_add(user=user, issue=issue)
        field.widget = SearchSelectMultiple(
            reverse("residents:household_lookup"),
            prompt=_("Type two letters of the name or the unit"),
            empty=_("No household of that name among those you may see."),
        )
        label_choices(self, "households", lambda household: household.name_and_unit)
        field.widget.choices = field.choices


class InterventionsForm(forms.Form):
    """Interventions of the issue's site, at any level, chosen by typing."""

    interventions = forms.ModelMultipleChoiceField(
        label=_("Interventions to link"),
        queryset=None,
        widget=SearchSelectMultiple(""),
        error_messages={
            "required": _("Choose at least one intervention."),
            "invalid_choice": _("This intervention did not take place on the issue’s site."),
        },
    )

    def __init__(self, *args: Any, user: User, issue: CollectiveIssue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = choice_field(self, "interventions")
        field.queryset = selectors.linkable_interventions(user=user, issue=issue)
        field.widget = SearchSelectMultiple(
            reverse("collective:issue_intervention_lookup", args=[issue.pk]),
            prompt=_("Type a type, a level or a date (2026-03)"),
            empty=_("No intervention of the site matches."),
        )
        label_choices(self, "interventions", selectors.intervention_label)
        field.widget.choices = field.choices


class UnlinkForm(forms.Form):
    """One row to take off the issue: a household or an intervention, by its number."""

    pk = forms.IntegerField(min_value=1)


class ResponseForm(OneTimeFormMixin, forms.ModelForm):
    class Meta:
        model = IssueResponse
        fields = ["organisation", "received_on", "answer"]
        widgets = {"received_on": DateInput(), "answer": _text(3)}

    def __init__(self, *args: Any, issue: CollectiveIssue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mobilised = Organisation.objects.filter(collective_issues=issue)
        field = choice_field(self, "organisation")
        field.queryset = (
            (Organisation.objects.filter(is_active=True) | mobilised).distinct().order_by("name")
        )
        # The issue of a new response is the page's: set for the model's own checks.
        cast(IssueResponse, self.instance).issue = issue
