from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.concurrency import VersionedFormMixin
from ema.dates import BoundedDateField, today
from ema.forms import choice_field
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput
from residents.models import Consent, Household, Resident, Site, age_on, consent_giver_errors
from residents.selectors import Person
from residents.services import ConsentGiven, consent_default_end


class HouseholdForm(OneTimeFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = ["site", "unit", "label", "languages", "moved_in_on", "status"]
        widgets = {"moved_in_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        sites = Site.objects.visible_to(user)
        choice_field(self, "site").queryset = sites
        self.fields["site"].error_messages["required"] = _("Choose the household's site.")
        if not self.instance.pk and not self.initial.get("site"):
            # An intervenant of a single site never has to pick it.
            only_sites = list(sites[:2])
            if len(only_sites) == 1:
                self.initial["site"] = only_sites[0].pk
        # Moving out has its own page, which asks for the date.
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            choice
            for choice in Household.Status.choices
            if choice[0] != Household.Status.MOVED_OUT or self.instance.has_moved_out
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class MemberForm(VersionedFormMixin, forms.ModelForm):
    """A member of a household; a new member comes with the consent to keep a file."""

    consent_confirmed = forms.BooleanField(
        label=_("Consent to keep a file was obtained"), required=False
    )
    consent_given_on = BoundedDateField(
        label=_("Consent given on"),
        required=False,
        latest=today,
        latest_message=_("The consent date cannot be in the future."),
    )
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=Consent.GivenBy.choices,
        initial=Consent.GivenBy.PERSON,
        required=False,
    )
    guardian_name = forms.CharField(
        label=_("Name of the parent or guardian"), max_length=160, required=False
    )
    # Shown only once the check found files of a similar name: creating anyway is a choice.
    not_a_duplicate = forms.BooleanField(label=_("This is not the same person"), required=False)

    class Meta:
        model = Resident
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "birth_year",
            "gender",
            "languages",
            "phone",
            "school",
            "left_on",
        ]
        widgets = {"date_of_birth": DateInput(), "left_on": DateInput()}

    CONSENT_FIELDS = ("consent_confirmed", "consent_given_on", "consent_given_by", "guardian_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Residents who may already be this new member (BaseMemberFormSet.show_duplicates).
        self.duplicates: list[Resident] = []
        if self.instance.pk:
            for name in (*self.CONSENT_FIELDS, "not_a_duplicate"):
                del self.fields[name]
        else:
            # A member is new: only one who already lives here can leave (a departure date,
            # never a deletion).
            del self.fields["left_on"]
            self.fields["consent_given_on"].initial = timezone.localdate
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @property
    def is_new_member(self) -> bool:
        return self.instance.pk is None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.is_new_member:
            return cleaned
        if not cleaned.get("consent_confirmed"):
            self.add_error(
                "consent_confirmed",
                _("A resident can be named only with their consent to keep a file."),
            )
        given_on = cleaned.get("consent_given_on")
        if not given_on and "consent_given_on" not in self.errors:
            self.add_error("consent_given_on", _("Enter the date the consent was given."))
        age = age_on(
            date_of_birth=cleaned.get("date_of_birth"),
            birth_year=cleaned.get("birth_year"),
            on=given_on or timezone.localdate(),
        )
        problems = consent_giver_errors(
            age=age,
            given_by=cleaned.get("consent_given_by") or Consent.GivenBy.PERSON,
            guardian_name=cleaned.get("guardian_name", ""),
        )
        for field, message in problems.items():
            self.add_error({"given_by": "consent_given_by"}.get(field, field), message)
        return cleaned


class BaseMemberFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        living = [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk) and not form.cleaned_data.get("left_on")
        ]
        if not living:
            raise forms.ValidationError(
                _(
                    "A household has at least one member living in it. If everyone left, "
                    "record the household's move-out instead."
                )
            )

    def members_to_save(self) -> list[tuple[Resident, ConsentGiven | None]]:
        """The members to save, new ones with their consent to keep a file."""
        members = []
        for form in self.forms:
            if not (form.has_changed() or form.instance.pk):
                continue
            consent = None
            if form.is_new_member:
                consent = ConsentGiven(
                    given_on=form.cleaned_data["consent_given_on"],
                    given_by=form.cleaned_data["consent_given_by"],
                    guardian_name=form.cleaned_data["guardian_name"].strip(),
                )
            members.append((form.instance, consent))
        return members

    def _unconfirmed_new_members(self) -> list[MemberForm]:
        return [
            form
            for form in self.forms
            if form.is_new_member
            and form.has_changed()
            and not form.cleaned_data.get("not_a_duplicate")
        ]

    def people_to_check(self) -> list[Person]:
        """The new members not yet confirmed as distinct from the files like theirs."""
        people = []
        for form in self._unconfirmed_new_members():
            born = form.cleaned_data.get("date_of_birth")
            people.append(
                Person(
                    first_name=form.cleaned_data.get("first_name", ""),
                    last_name=form.cleaned_data.get("last_name", ""),
                    birth_year=born.year if born else form.cleaned_data.get("birth_year"),
                )
            )
        return people

    def show_duplicates(self, duplicates: list[list[Resident]]) -> bool:
        """Attach to each new member (in the order of people_to_check) the files that may be
        theirs; True when there is one to look at before saving."""
        for form, found in zip(self._unconfirmed_new_members(), duplicates, strict=True):
            form.duplicates = found
        return any(duplicates)

    def expected_versions(self) -> dict[int, int | None]:
        """The version each existing member was shown at, by resident id."""
        return {form.instance.pk: form.expected_version for form in self.forms if form.instance.pk}

    def show_stale(self) -> None:
        """Carry the versions saved now in every member form (see VersionedFormMixin)."""
        for form in self.forms:
            if form.instance.pk:
                form.show_stale(None)


# The factory makes a subclass of `formset`; django-stubs types it as a BaseInlineFormSet.
MemberFormSet = cast(
    type[BaseMemberFormSet],
    inlineformset_factory(
        Household,
        Resident,
        form=MemberForm,
        formset=BaseMemberFormSet,
        extra=1,
        can_delete=False,
        max_num=30,
        validate_max=True,
    ),
)


class MoveOutForm(forms.Form):
    moved_out_on = BoundedDateField(
        label=_("Moved out on"),
        latest=today,
        latest_message=_("The move-out date cannot be in the future."),
    )

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["moved_out_on"].initial = timezone.localdate

    def clean_moved_out_on(self):
        moved_out_on = self.cleaned_data["moved_out_on"]
        if self.household.moved_in_on and moved_out_on < self.household.moved_in_on:
            raise forms.ValidationError(_("The move-out date cannot be before the move-in date."))
        return moved_out_on


class ConsentForm(OneTimeFormMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "partner", "given_by", "guardian_name", "given_on", "expires_on"]
        widgets = {"given_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args, resident: Resident, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.resident = resident
        self.fields["given_on"].initial = timezone.localdate
        self.fields["partner"].help_text = _("For a consent to share: the partner it names.")
        self.fields["expires_on"].help_text = _(
            "From this day on, the consent no longer holds. For a consent to share, left "
            "empty: %(months)s months after the day it was given; for a consent to keep a "
            "file, left empty: no end."
        ) % {"months": settings.CONSENT_VALIDITY_MONTHS}
        if resident.is_under_age_of_consent():
            self.fields["given_by"].initial = Consent.GivenBy.GUARDIAN
        if partner is not None:
            # Recorded from a referral's page: a consent to share with its partner.
            self.initial.setdefault("purpose", Consent.Purpose.SHARE)
            self.initial.setdefault("partner", partner.pk)
            self.initial.setdefault(
                "expires_on", consent_default_end(given_on=timezone.localdate())
            )

    def clean(self):
        cleaned = super().clean()
        if "expires_on" not in self.changed_data:
            # The end shown by default follows the day given, even if that day was changed.
            cleaned["expires_on"] = None
        return cleaned


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("All sites"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Household.Status.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "site").queryset = Site.objects.visible_to(user)
