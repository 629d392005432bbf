from typing import Any, cast

from django import forms
from django.forms import inlineformset_factory
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import VersionedFormMixin
from ema.forms import KeepReferencedRowsFormSet, choice_field, label_choices
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput, SearchSelect, SearchSelectMultiple
from interventions.models import Intervention, Theme
from partners import selectors
from partners.models import (
    Agreement,
    CommitteeMembership,
    Contact,
    Organisation,
    Referral,
    Service,
    Status,
)
from residents.forms import ConsentForm
from residents.models import Consent, Household, Resident, Site


class OrganisationForm(OneTimeFormMixin, forms.ModelForm):
    # A web address typed without its scheme is https (Django 6's default, adopted now).
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "address",
            "phone",
            "email",
            "website",
            "sites",
            "committee_site",
            "is_active",
        ]
        widgets = {"sites": forms.CheckboxSelectMultiple}


# The factory makes a subclass of `formset`; django-stubs types it as a BaseInlineFormSet.
ServiceFormSet = cast(
    type[KeepReferencedRowsFormSet],
    inlineformset_factory(
        Organisation,
        Service,
        formset=KeepReferencedRowsFormSet,
        fields=["name", "description", "eligibility", "age_groups", "languages", "how_to_refer"],
        widgets={
            "description": forms.Textarea(attrs={"rows": 2}),
            "how_to_refer": forms.Textarea(attrs={"rows": 2}),
        },
        extra=1,
        can_delete=True,
    ),
)
ContactFormSet = cast(
    type[KeepReferencedRowsFormSet],
    inlineformset_factory(
        Organisation,
        Contact,
        formset=KeepReferencedRowsFormSet,
        fields=["name", "role", "phone", "email"],
        extra=1,
        can_delete=True,
    ),
)
AgreementFormSet = cast(
    type[KeepReferencedRowsFormSet],
    inlineformset_factory(
        Organisation,
        Agreement,
        formset=KeepReferencedRowsFormSet,
        fields=["kind", "starts_on", "ends_on", "notes"],
        widgets={
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        },
        extra=1,
        can_delete=True,
    ),
)


def intervention_label(intervention: Intervention) -> str:
    return f"{intervention.date:%Y-%m-%d} — {intervention.type}"


def consent_label(consent: Consent) -> str:
    return f"{consent.resident.full_name} → {consent.partner_label} ({consent.given_on:%Y-%m-%d})"


class ReferralForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    """A referral's details. It starts as a draft; sending it is a status change.

    Households and residents are picked by typing (the lists are long); the consents and the
    interventions offered are only those of the household concerned: listed when it is known
    as the form opens, otherwise fetched for the household chosen. A value of another
    household is refused."""

    class Meta:
        model = Referral
        fields = [
            "direction",
            "household",
            "resident",
            "organisation",
            "service",
            "themes",
            "reason",
            "urgency",
            "accompanied",
            "responsible",
            "consent",
            "consent_exception",
            "exception_justification",
            "information_shared",
            "interventions",
        ]
        widgets = {
            "household": SearchSelect(reverse_lazy("residents:household_lookup")),
            # A member of the household chosen: listed once it is chosen.
            "resident": SearchSelect(
                reverse_lazy("residents:resident_lookup"),
                depends_on="id_household",
                prompt=_("Choose the household first"),
            ),
            "organisation": SearchSelect(
                reverse_lazy("partners:organisation_lookup"),
                prompt=_("Type two letters of the partner’s name"),
                empty=_("No active partner of that name."),
            ),
            "service": SearchSelect(
                reverse_lazy("partners:service_lookup"),
                depends_on="id_organisation",
                prompt=_("Choose the partner first"),
                empty=_("This partner lists no service."),
            ),
            "themes": forms.CheckboxSelectMultiple,
            "reason": forms.Textarea(attrs={"rows": 3}),
            "exception_justification": forms.Textarea(attrs={"rows": 2}),
            "information_shared": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, household: Household | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if household is None and self.instance.pk:
            household = self.instance.household
        households = Household.objects.visible_to(user).select_related("site")
        choice_field(self, "household").queryset = households
        label_choices(self, "household", lambda household: household.name_and_unit)
        self.fields["household"].error_messages["invalid_choice"] = _(
            "This household is not among those you can see."
        )
        if household is not None:
            self.initial["household"] = self.initial.get("household") or household.pk
        # The household the resident, consents and interventions belong to: the one sent,
        # once sent (the person may have chosen another than the page's).
        concerned = household
        if self.is_bound:
            concerned = selectors.referral_household(user=user, pk=self.data.get("household"))
        residents = Resident.objects.visible_to(user).select_related("household")
        if concerned is not None:
            residents = residents.filter(household=concerned)
        choice_field(self, "resident").queryset = residents
        self.fields["resident"].error_messages["invalid_choice"] = _(
            "This person is not among the residents you can name."
        )
        label_choices(self, "resident", lambda resident: resident.name_and_home)
        self._related_choices(user=user, concerned=concerned, listed=household is not None)
        choice_field(self, "organisation").queryset = Organisation.objects.filter(is_active=True)
        services = Service.objects.select_related("organisation")
        if self.is_bound:
            # Only a service of the partner sent is accepted.
            services = selectors.services_of(organisation=self.data.get("organisation"))
        choice_field(self, "service").queryset = services
        label_choices(self, "service", lambda service: service.name)
        self.fields["service"].error_messages["invalid_choice"] = _(
            "This service belongs to another partner."
        )
        choice_field(self, "themes").queryset = Theme.objects.active()
        choice_field(self, "responsible").queryset = User.objects.filter(is_active=True).exclude(
            role=""
        )
        if not self.instance.pk:
            self.initial["responsible"] = self.initial.get("responsible") or user.pk
            # Privacy by default: nothing is shared until someone writes what and why.
            self.initial["information_shared"] = ""

    def _related_choices(self, *, user: User, concerned: Household | None, listed: bool) -> None:
        """The consents and interventions of the household concerned: a short list when it is
        known as the form opens, a picker that asks for those of the household chosen when
        it is not."""
        consents = selectors.referral_consents(user=user, household=concerned)
        interventions = selectors.referral_interventions(user=user, household=concerned)
        if self.instance.pk:
            # A link made before stays offered, even once it is older than the list.
            interventions = interventions | self.instance.interventions.select_related("type")
        choice_field(self, "consent").queryset = consents
        choice_field(self, "interventions").queryset = interventions.distinct()
        label_choices(self, "consent", consent_label)
        label_choices(self, "interventions", intervention_label)
        self.fields["interventions"].required = False
        message = _("This does not belong to the chosen household.")
        self.fields["consent"].error_messages["invalid_choice"] = message
        self.fields["interventions"].error_messages["invalid_choice"] = message
        if listed:
            self.fields["interventions"].widget = forms.SelectMultiple(
                attrs={"size": 6, "class": "form-select"}
            )
        else:
            household_id = self["household"].auto_id
            self.fields["consent"].widget = SearchSelect(
                reverse("partners:referral_consent_lookup"),
                depends_on=household_id,
                prompt=_("Choose the household first"),
                empty=_("No consent to share in force in this household."),
            )
            self.fields["interventions"].widget = SearchSelectMultiple(
                reverse("partners:referral_intervention_lookup"),
                depends_on=household_id,
                prompt=_("Choose the household first"),
                empty=_("No recent intervention names this household."),
            )
        # A widget set after the queryset draws its options from the field.
        for name in ("consent", "interventions"):
            self.fields[name].widget.choices = choice_field(self, name).choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        resident, household = cleaned.get("resident"), cleaned.get("household")
        if resident and household and resident.household_id != household.pk:
            self.add_error("resident", _("This resident is not a member of this household."))
        consent = cleaned.get("consent")
        if consent and resident and consent.resident_id != resident.pk:
            self.add_error("consent", _("This consent is another person’s."))
        elif consent and household and consent.resident.household_id != household.pk:
            self.add_error("consent", _("This consent is from someone outside the household."))
        if cleaned.get("consent_exception") and not cleaned.get("exception_justification", ""):
            self.add_error("exception_justification", _("Justify the exception to consent."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Referral.Outcome.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the next statuses of the workflow are offered; the service checks again
        # against the stored status, in case someone moved the referral meanwhile.
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s.value, s.label) for s in referral.next_statuses()
        ] or [("", "—")]
        self.fields["status"].error_messages["invalid_choice"] = _(
            "This referral cannot take that status now."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("status") == Status.COMPLETED and not cleaned.get("outcome"):
            self.add_error("outcome", _("A completed referral records its outcome."))
        return cleaned


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.email})"


class PartnerLinkForm(forms.Form):
    """Which contact of the referral's partner receives the link."""

    contact = ContactChoiceField(
        label=_("Send to"),
        queryset=Contact.objects.none(),
        empty_label=_("Choose a contact"),
        error_messages={
            "required": _("Choose the contact who receives the link."),
            "invalid_choice": _("Choose a contact of this partner who has an email address."),
        },
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["contact"])
        field.queryset = Contact.objects.filter(organisation_id=referral.organisation_id).exclude(
            email=""
        )


# What the partner answers, in its own words: the status each answer gives the referral.
PARTNER_ANSWER_LABELS = {
    Status.ACCEPTED: _("We accept this referral"),
    Status.REFUSED: _("We refuse this referral"),
    Status.IN_PROGRESS: _("The service has started"),
    Status.COMPLETED: _("The service is completed (give its outcome)"),
}


class PartnerAnswerForm(forms.Form):
    """A partner's answer through its link: one of the answers the workflow allows now."""

    status = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your answer."),
            "invalid_choice": _("This answer is no longer possible: the referral has moved on."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *Referral.Outcome.choices],
        required=False,
        help_text=_("When the service is completed."),
    )
    note = forms.CharField(
        label=_("Note for EMA (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("No personal information is needed here."),
    )

    def __init__(self, *args, answers: list[Status], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (status.value, PARTNER_ANSWER_LABELS[status]) for status in answers
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("status") == Status.COMPLETED and not cleaned.get("outcome"):
            self.add_error("outcome", _("Give the outcome of the completed service."))
        return cleaned


class ReferralFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("All partners"),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "site").queryset = Site.objects.visible_to(user)
        choice_field(self, "responsible").queryset = User.objects.exclude(role="").order_by(
            "first_name"
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or service"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *Organisation.Kind.choices], required=False
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("All sites")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["class"] = "form-control"
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["site"].widget.attrs["class"] = "form-select"


class MembershipForm(OneTimeFormMixin, forms.ModelForm):
    class Meta:
        model = CommitteeMembership
        fields = ["resident", "role", "since", "until"]
        # The search address names the committee: set for each form.
        widgets = {"resident": SearchSelect(""), "since": DateInput(), "until": DateInput()}

    def __init__(self, *args, user, committee: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.committee = committee
        # The committee's members are tenants of its site, still living there.
        choice_field(self, "resident").queryset = selectors.committee_candidates(
            user=user, committee=committee
        )
        label_choices(self, "resident", lambda resident: resident.name_and_home)
        self.fields["resident"].widget.search_url = reverse(
            "partners:committee_member_lookup", args=[committee.pk]
        )
        self.fields["since"].initial = timezone.localdate


class ReferralConsentForm(ConsentForm):
    """A consent to share with the partner of a referral, recorded from the referral's page:
    its purpose and its partner are the referral's."""

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, partner=referral.organisation, **kwargs)
        self.instance.purpose = Consent.Purpose.SHARE
        self.instance.partner = referral.organisation
        for name in ("purpose", "partner"):
            self.fields[name].disabled = True
        self.fields["purpose"].initial = Consent.Purpose.SHARE
        self.fields["partner"].initial = referral.organisation.pk
