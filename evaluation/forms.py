from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import VersionedFormMixin
from ema.forms import choice_field
from ema.periods import FISCAL_YEAR
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput
from evaluation.figures import figure_choices
from evaluation.models import JournalEntry
from reports.forms import PeriodForm
from residents.models import Site


class JournalEntryForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    """An entry's text; a new entry also picks the dashboard figures it cites."""

    figures = forms.MultipleChoiceField(
        label=_("Figures that informed it"),
        required=False,
        choices=figure_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Their values for the period shown are kept with the entry, as they are today."
        ),
    )

    class Meta:
        model = JournalEntry
        fields = ["date", "kind", "title", "rationale"]
        widgets = {"date": DateInput(), "rationale": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The figures of a saved entry are those of its day: never picked again.
            del self.fields["figures"]
        else:
            self.fields["date"].initial = timezone.localdate


class ResearchExportForm(PeriodForm):
    """The export's filters: a period (a fiscal year by default) and sites, and whether each
    person's dates are shifted."""

    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every site."),
    )
    shift_dates = forms.BooleanField(
        label=_("Shift each person’s dates"),
        required=False,
        help_text=_(
            "Each person’s dates move by the same number of days (at most %(days)s, before or "
            "after), the same in every export: the intervals between them are kept."
        )
        % {"days": settings.RESEARCH_DATE_SHIFT_DAYS},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, default_kind=FISCAL_YEAR, **kwargs)
        del self.fields["site"]
        choice_field(self, "sites").queryset = Site.objects.order_by("name")
