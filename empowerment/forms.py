from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput
from empowerment.models import RoleRecord
from residents.models import Resident, Site


class RoleRecordForm(OneTimeFormMixin, forms.ModelForm):
    class Meta:
        model = RoleRecord
        fields = ["role", "since", "until", "note"]
        widgets = {"since": DateInput(), "until": DateInput()}

    def __init__(self, *args, resident: Resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.resident = resident
        self.fields["since"].initial = timezone.localdate


class LadderForm(forms.Form):
    """The fiscal year, the site and the quarter whose step-backs the ladder's page lists."""

    year = forms.TypedChoiceField(label=_("Fiscal year starting in"), coerce=int, required=False)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
    )

    def __init__(self, *args, user: User, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["quarter"].choices = [("", gettext("The latest one"))] + [
            (number, gettext("Quarter %(number)s") % {"number": number}) for number in range(1, 5)
        ]
        site = self.fields["site"]
        assert isinstance(site, forms.ModelChoiceField)
        site.queryset = Site.objects.visible_to(user).order_by("name")
