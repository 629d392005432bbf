from datetime import date, datetime, timedelta
from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import VersionedFormMixin
from ema.dates import BoundedDateField
from ema.forms import choice_field, label_choices
from ema.submissions import OneTimeFormMixin
from ema.widgets import DateInput, SearchSelectMultiple, TimeInput
from interventions import selectors
from interventions.models import (
    HEADCOUNT_FIELDS,
    MAX_HEADCOUNT,
    GroupActivity,
    Intervention,
    InterventionType,
    Level,
    Participation,
    Place,
    Tally,
    Theme,
)
from interventions.services import Participant, follow_up_date_problem
from residents.models import AgeGroup, Consent, Household, Resident, Site

HEADCOUNTS = list(HEADCOUNT_FIELDS.values())


def _filled(value: Any) -> bool:
    """Whether a form value says something: not empty, not a zero count."""
    if isinstance(value, list | tuple | set):
        return any(_filled(item) for item in value)
    return value not in (None, "", 0, "0", False)


def _number_input(attrs=None):
    return forms.NumberInput(attrs={"min": 0, "inputmode": "numeric", **(attrs or {})})


class ResidentsField(forms.ModelMultipleChoiceField):
    """Residents named with their household, so that two people of the same name differ."""

    def label_from_instance(self, obj):
        return obj.name_and_home


def _residents_field(label, user, help_text="", *, keep=()):
    """The residents a person may name: those of their sites who still live in their
    household, and whoever the record already names (`keep`)."""
    residents = Resident.objects.visible_to(user)
    return ResidentsField(
        label=label,
        queryset=residents.filter(Q(left_on__isnull=True) | Q(pk__in=list(keep)))
        .select_related("household")
        .order_by("search_key"),
        required=False,
        help_text=help_text,
        error_messages={
            "invalid_choice": _("This person is not among the residents you can name."),
            "invalid_pk_value": _("This person is not among the residents you can name."),
        },
        widget=SearchSelectMultiple(reverse_lazy("residents:resident_lookup")),
    )


class MemberCheckboxes(forms.CheckboxSelectMultiple):
    """A household's members to tick, those in `unavailable` shown but not to be ticked."""

    def __init__(self, *, unavailable: set[int], attrs=None):
        super().__init__(attrs=attrs)
        self.unavailable = unavailable

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(value, "value", value) in self.unavailable:
            option["attrs"]["disabled"] = True
            option["label"] = _("%(name)s (to count)") % {"name": label}
        return option


class CountField(forms.IntegerField):
    """People counted without names, in one age group: an empty box counts nobody."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", _number_input())
        super().__init__(required=False, min_value=0, max_value=MAX_HEADCOUNT, **kwargs)

    def to_python(self, value) -> int:
        return super().to_python(value) or 0


class HeadcountMixin(forms.Form):
    """The counts by age group that every form logging people without names shows."""

    count_0_5 = CountField(label=AgeGroup.AGE_0_5.label)
    count_6_12 = CountField(label=AgeGroup.AGE_6_12.label)
    count_13_17 = CountField(label=AgeGroup.AGE_13_17.label)
    count_18_25 = CountField(label=AgeGroup.AGE_18_25.label)
    count_26_64 = CountField(label=AgeGroup.AGE_26_64.label)
    count_65_plus = CountField(label=AgeGroup.AGE_65_PLUS.label)


def _from_model(name: str, **kwargs: Any) -> forms.Field:
    """The form field a model form would make of Intervention's field `name`, with the
    model field's validators (its bounds), so that the form says what is wrong next to it."""
    field = Intervention._meta.get_field(name)
    assert isinstance(field, models.Field)  # a field of the model's own, not a relation's
    form_field = field.formfield(validators=list(field.validators), **kwargs)
    assert form_field is not None  # an editable field
    return form_field


class QuickLogForm(OneTimeFormMixin, HeadcountMixin, forms.Form):
    """The 20-second log from a phone. It checks what was typed; the service makes the
    intervention (at the type's usual level). It names the person met (or ticks members of
    a household), counts the others, dates the work today or yesterday, and can plan a
    follow-up in the same save."""

    class Day(models.TextChoices):
        TODAY = "today", _("Today")
        YESTERDAY = "yesterday", _("Yesterday")

    type = _from_model("type", queryset=InterventionType.objects.active())
    place = _from_model("place", queryset=Place.objects.active())
    day = forms.ChoiceField(
        label=_("Day"),
        choices=Day.choices,
        initial=Day.TODAY,
        required=False,  # a form sent without it logs today
        widget=forms.RadioSelect,
    )
    start_time = _from_model("start_time", widget=TimeInput(attrs={"class": "form-control"}))
    duration_minutes = _from_model(
        "duration_minutes", initial=60, widget=_number_input({"min": 1, "step": 5})
    )
    summary = _from_model("summary", widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_due = _from_model(
        "follow_up_due",
        widget=DateInput(),
        help_text=_("Leave empty when nothing follows."),
    )
    site = _from_model("site", queryset=Site.objects.none(), empty_label=None)
    names_people = True  # the page offers to name someone (see prepare_for_display)

    def __init__(self, *args, user, sites, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The day the person logged it: an entry made without a network and sent later says
        # which day its "today" was (offline.services).
        self.today = today
        choice_field(self, "site").queryset = sites
        self.fields["participants"] = _residents_field(
            _("Person met"),
            user,
            _("A resident with a consent to keep a file; count the others without names."),
        )
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("start_time", now.time().replace(second=0, microsecond=0))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start_time = cleaned.get("start_time")
        if (
            cleaned.get("day") == self.Day.TODAY
            and start_time is not None
            and self.today in (None, timezone.localdate())
        ):
            now = timezone.localtime().replace(tzinfo=None)
            # A few minutes of slack for a phone whose clock runs ahead.
            if datetime.combine(now.date(), start_time) > now + timedelta(minutes=5):
                self.add_error("start_time", _("This time has not come yet today."))
        return cleaned

    @property
    def counts_someone(self) -> bool:
        """Whether what was sent counts someone, so that the page shows its counts open."""
        return self.is_bound and any(
            str(self[name].value() or "0").strip() not in ("", "0") for name in HEADCOUNTS
        )

    def entry(self) -> dict[str, Any]:
        """What the service logs, in its own words: a day made a date, the people named."""
        cleaned = dict(self.cleaned_data)
        now = timezone.localtime()
        today = self.today or now.date()
        if cleaned.pop("day") == self.Day.YESTERDAY:
            cleaned["date"] = today - timedelta(days=1)
        else:
            cleaned["date"] = today
            # No time given: now, as the quick log always did.
            cleaned["start_time"] = cleaned["start_time"] or now.time().replace(
                second=0, microsecond=0
            )
        named = cleaned.pop("participants", None)
        # Nobody named is the field's `.none()`: compiling its query to learn that it is empty
        # cost more than the rest of the form.
        if named is None or (isinstance(named, QuerySet) and named.query.is_empty()):
            named = []
        cleaned["participants"] = [Participant(resident=resident) for resident in named]
        return cleaned

    def prepare_for_display(
        self,
        *,
        place: Place | None,
        type_: InterventionType | None,
        resident: Resident | None = None,
        household: Household | None = None,
    ):
        """What only the page needs (a form being validated does not): my usual place, the
        type chosen on "My day", the person or household the log comes from (its site, its
        members to tick), and no site to choose for whoever works on one site."""
        # A group's or a collective's presence is counted; anything else may name someone.
        self.names_people = type_ is None or type_.default_level == Level.INDIVIDUAL
        if place is not None:
            self.fields["place"].initial = place.pk
        if type_ is not None:
            self.fields["type"].initial = type_.pk
            self.fields["type"].widget = forms.HiddenInput()
        sites = choice_field(self, "site").queryset
        first_sites = list(sites[:2]) if sites is not None else []
        if first_sites:
            self.fields["site"].initial = first_sites[0].pk
        if len(first_sites) == 1:
            self.fields["site"].widget = forms.HiddenInput()
        if resident is not None:
            self.fields["participants"].initial = [resident.pk]
            self.fields["site"].initial = resident.household.site_id
        if household is not None:
            self.fields["site"].initial = household.site_id
            self._tick_members_of(household)

    def _tick_members_of(self, household: Household) -> None:
        """The household's current members as boxes to tick; those who cannot be named (no
        consent to keep a file) are shown greyed, to be counted instead."""
        field = choice_field(self, "participants")
        residents = cast(models.QuerySet[Resident], field.queryset)
        members = list(
            residents.filter(household=household, left_on__isnull=True).order_by(
                "birth_year", "first_name"
            )
        )
        field.label = _("Members present")
        field.help_text = _("Members without a consent to keep a file are counted, not named.")
        may_be_named = set(
            Consent.objects.in_force()
            .filter(purpose=Consent.Purpose.KEEP_FILE, resident__in=members)
            .values_list("resident_id", flat=True)
        )
        field.widget = MemberCheckboxes(
            unavailable={member.pk for member in members} - may_be_named
        )
        # After the widget: setting the queryset hands the widget its choices.
        field.queryset = residents.filter(pk__in=[member.pk for member in members])
        label_choices(self, "participants", lambda resident: resident.first_name)


class TallyStartForm(OneTimeFormMixin, HeadcountMixin, forms.Form):
    """What a running tally needs to start: the quick log's type, place and site (the page
    may send the quick log's whole form: the rest is not read), and who is there already."""

    type = forms.ModelChoiceField(
        label=Tally._meta.get_field("type").verbose_name,
        queryset=InterventionType.objects.active(),
    )
    place = forms.ModelChoiceField(
        label=Tally._meta.get_field("place").verbose_name, queryset=Place.objects.active()
    )
    site = forms.ModelChoiceField(
        label=Tally._meta.get_field("site").verbose_name,
        queryset=Site.objects.none(),
        empty_label=None,
    )
    summary = forms.CharField(
        label=Tally._meta.get_field("summary").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "site").queryset = sites
        if len(sites) == 1:
            self.fields["site"].initial = sites[0].pk
            self.fields["site"].widget = forms.HiddenInput()


class TallyCountsForm(forms.Form):
    """New counts of a tally, each the absolute number now present in its age group: a
    count sent twice (a retry, a double tap) is the same count. Only the groups sent are
    changed."""

    count_0_5 = CountField(label=AgeGroup.AGE_0_5.label)
    count_6_12 = CountField(label=AgeGroup.AGE_6_12.label)
    count_13_17 = CountField(label=AgeGroup.AGE_13_17.label)
    count_18_25 = CountField(label=AgeGroup.AGE_18_25.label)
    count_26_64 = CountField(label=AgeGroup.AGE_26_64.label)
    count_65_plus = CountField(label=AgeGroup.AGE_65_PLUS.label)

    def counts(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in HEADCOUNTS if name in self.data}


class TallyCloseForm(OneTimeFormMixin, forms.Form):
    """The end of a tally: when it ended (now, unless said) and a word of what happened."""

    end_time = forms.TimeField(
        label=_("Ended at"),
        required=False,
        widget=TimeInput(attrs={"class": "form-control"}),
        help_text=_("Leave empty to close it now."),
    )
    summary = forms.CharField(
        label=Tally._meta.get_field("summary").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InterventionForm(OneTimeFormMixin, VersionedFormMixin, HeadcountMixin, forms.ModelForm):
    """The full form, for any level of intervention."""

    participants = None  # set per user in __init__
    organisers = None
    volunteers = None

    class Meta:
        model = Intervention
        fields = [
            "level",
            "type",
            "place",
            "themes",
            "date",
            "start_time",
            "duration_minutes",
            "site",
            "activity",
            "co_intervenants",
            *HEADCOUNTS,
            "summary",
            "decisions",
            "restricted_note",
            "follow_up_due",
            "follow_up_by",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "follow_up_due": DateInput(),
            "themes": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
            "restricted_note": forms.Textarea(attrs={"rows": 3}),
            "duration_minutes": _number_input({"min": 1, "step": 5}),
            "co_intervenants": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, user, sites, partner_choices, can_read_note: bool = True, **kwargs):
        """`partner_choices`: the partner organisations one may say were present (the
        directory is the partners app's, above this one: the page hands them over)."""
        super().__init__(*args, **kwargs)
        self.user = user
        choice_field(self, "type").queryset = InterventionType.objects.active()
        choice_field(self, "place").queryset = Place.objects.active()
        choice_field(self, "themes").queryset = Theme.objects.active()
        choice_field(self, "site").queryset = sites
        choice_field(self, "activity").queryset = (
            GroupActivity.objects.visible_to(user).filter(is_active=True).select_related("site")
        )
        staff = User.objects.filter(is_active=True).exclude(role="").order_by("first_name")
        choice_field(self, "co_intervenants").queryset = staff
        choice_field(self, "follow_up_by").queryset = staff
        participations = (
            list(self.instance.participations.values_list("resident_id", "role"))
            if self.instance.pk
            else []
        )
        named = [resident_id for resident_id, _role in participations]
        self.fields["participants"] = _residents_field(
            _("Named participants"),
            user,
            _(
                "Only residents of the intervention’s site with a consent to keep a file; "
                "count the others below."
            ),
            keep=named,
        )
        self.fields["partners"] = forms.ModelMultipleChoiceField(
            label=_("Partners present"),
            queryset=partner_choices,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4, "class": "form-select"}),
            help_text=_("For a concertation or a joint activity."),
        )
        self.fields["organisers"] = _residents_field(_("Organisers"), user, keep=named)
        self.fields["volunteers"] = _residents_field(_("Volunteers"), user, keep=named)
        if not self.instance.pk:
            if not self.is_bound:
                # A new entry (or a copy of an earlier one) is dated today, on my first site.
                self.initial["date"] = self.initial.get("date") or timezone.localdate()
                self.initial["site"] = self.initial.get("site") or getattr(
                    sites.first(), "pk", None
                )
        else:
            roles: dict[str, list[int]] = {
                Participation.Role.PARTICIPANT: [],
                Participation.Role.ORGANISER: [],
                Participation.Role.VOLUNTEER: [],
            }
            for resident_id, role in participations:
                roles[role].append(resident_id)
            self.initial.setdefault("participants", roles[Participation.Role.PARTICIPANT])
            self.initial.setdefault("organisers", roles[Participation.Role.ORGANISER])
            self.initial.setdefault("volunteers", roles[Participation.Role.VOLUNTEER])
            self.initial.setdefault(
                "partners", [partner.pk for partner in self.instance.partners_present.all()]
            )
        if not can_read_note:
            # A restricted note of someone else is never sent to the browser.
            del self.fields["restricted_note"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        named = [
            *cleaned.get("participants", []),
            *cleaned.get("organisers", []),
            *cleaned.get("volunteers", []),
        ]
        if len({r.pk for r in named}) != len(named):
            self.add_error("participants", _("Name each person once, with one role."))
        # Who must be named or counted is the model's rule (Intervention.check_people), which
        # the service applies to every form that logs an intervention.
        return cleaned

    # The folded parts of the page (templates/interventions/intervention_form.html): a
    # phone shows the essentials first; a part opens by itself when it holds something.
    SECTIONS = {
        "context": ["activity", "themes"],
        "others": ["co_intervenants", "partners", "organisers", "volunteers", *HEADCOUNTS],
        "notes": ["decisions", "restricted_note", "follow_up_due", "follow_up_by"],
    }

    @property
    def open_sections(self) -> dict[str, bool]:
        """Which folded parts open when the page shows: those with an error, or with a
        value (an edit, a copy, a form sent back)."""
        return {
            section: any(
                name in self.fields and (self[name].errors or _filled(self[name].value()))
                for name in names
            )
            for section, names in self.SECTIONS.items()
        }

    def named_participants(self) -> list[Participant]:
        roles = (
            ("participants", Participation.Role.PARTICIPANT),
            ("organisers", Participation.Role.ORGANISER),
            ("volunteers", Participation.Role.VOLUNTEER),
        )
        return [
            Participant(resident=resident, role=role)
            for field, role in roles
            for resident in self.cleaned_data.get(field, [])
        ]


# `?comme=...` on the session page starts the attendance from the last session, or with
# every registered participant ticked: the path without JavaScript of the page's buttons.
FILL = "comme"
FILL_LAST = "derniere"
FILL_ALL = "tous"

SAME_DAY = _(
    "A session of this activity is already logged on %(date)s. If this is another session, "
    "tick the box below before saving."
)


class SessionForm(OneTimeFormMixin, HeadcountMixin, forms.Form):
    """A session of a group activity, with its attendance. It checks what was typed; the
    service makes the session (the activity's site, type, place, at the group level).
    A second session of the activity on the same day is saved only once confirmed."""

    date = _from_model("date", widget=DateInput(), initial=timezone.localdate)
    start_time = _from_model("start_time", widget=TimeInput())
    duration_minutes = _from_model("duration_minutes", widget=_number_input({"min": 1, "step": 5}))
    summary = _from_model("summary", widget=forms.Textarea(attrs={"rows": 2}))
    same_day_ok = forms.BooleanField(
        label=_("Save anyway: this is another session on the same day"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, user, activity: GroupActivity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        # The day of a session of this activity already logged, when the form warns of it.
        self.same_day: date | None = None
        self.last_named: list[int] = []
        self.fields["start_time"].initial = activity.usual_start_time
        self.fields["duration_minutes"].initial = activity.usual_duration
        self.fields["present"] = forms.ModelMultipleChoiceField(
            label=_("Registered participants present"),
            # Registered residents are of the activity's site; the filter keeps it so for
            # older registrations, whose names only their site's team may read.
            queryset=activity.registered.visible_to(user).order_by("search_key"),
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )
        label_choices(self, "present", lambda resident: resident.full_name)
        self.fields["walk_ins"] = _residents_field(
            _("Walk-ins (not registered)"), user, _("Residents who came without registering.")
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # The confirmation is the form's own, like its token: the service never sees it.
        confirmed = cleaned.pop("same_day_ok", False)
        day = cleaned.get("date")
        if (
            day
            and not confirmed
            and selectors.activity_has_session_on(activity=self.activity, day=day)
        ):
            self.same_day = day
            self.add_error("same_day_ok", forms.ValidationError(self.same_day_warning))
        return cleaned

    @property
    def same_day_warning(self) -> str:
        if self.same_day is None:
            return ""
        return SAME_DAY % {"date": date_format(self.same_day, "DATE_FORMAT")}

    def prepare_for_display(self, *, last: selectors.LastSession | None, fill: str = "") -> None:
        """What only the page needs: who came to the last session (its button ticks them),
        the attendance started from it or from everyone when `fill` asks (no JavaScript),
        and, for a new form, the warning that a session of today is already logged."""
        present = choice_field(self, "present")
        if last is not None:
            self.last_named = sorted(last.named)
        if self.is_bound:
            return
        if fill == FILL_LAST:
            self.initial["present"] = self.last_named
        elif fill == FILL_ALL and present.queryset is not None:
            self.initial["present"] = list(present.queryset.values_list("pk", flat=True))
        today = timezone.localdate()
        if last is not None and last.date == today:
            self.same_day = today


class GroupActivityForm(OneTimeFormMixin, forms.ModelForm):
    class Meta:
        model = GroupActivity
        fields = [
            "name",
            "site",
            "season",
            "schedule",
            "usual_start_time",
            "type",
            "place",
            "usual_duration",
            "is_active",
        ]
        widgets = {"usual_start_time": TimeInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "site").queryset = Site.objects.visible_to(user)
        choice_field(self, "type").queryset = InterventionType.objects.active()
        choice_field(self, "place").queryset = Place.objects.active()
        registered = (
            list(self.instance.registered.values_list("pk", flat=True)) if self.instance.pk else []
        )
        self.fields["registered"] = _residents_field(
            _("Registered participants"), user, keep=registered
        )
        if self.instance.pk:
            self.initial.setdefault("registered", registered)


class InterventionFilterForm(forms.Form):
    date_from = BoundedDateField(label=_("From"), required=False)
    date_to = BoundedDateField(label=_("To"), required=False)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )
    level = forms.ChoiceField(label=_("Level"), required=False)
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=InterventionType.objects.all(), required=False
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    intervenant = forms.ModelChoiceField(
        label=_("Intervenant"), queryset=User.objects.none(), required=False
    )
    resident = forms.ModelChoiceField(
        label=_("Resident"),
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    activity = forms.ModelChoiceField(
        label=_("Group activity"),
        queryset=GroupActivity.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    # From a household's page: every intervention that names one of its members.
    household = forms.ModelChoiceField(
        label=_("Household"),
        queryset=Household.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "site").queryset = Site.objects.visible_to(user)
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            ("", _("All levels")),
            *Level.choices,
        ]
        choice_field(self, "intervenant").queryset = User.objects.exclude(role="").order_by(
            "first_name"
        )
        choice_field(self, "resident").queryset = Resident.objects.visible_to(user)
        choice_field(self, "activity").queryset = GroupActivity.objects.visible_to(user)
        choice_field(self, "household").queryset = Household.objects.visible_to(user)
        for name in ("site", "level", "type", "theme", "intervenant"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("date_from")
            and cleaned.get("date_to")
            and cleaned["date_from"] > cleaned["date_to"]
        ):
            self.add_error("date_to", _("The end of the period comes before its start."))
        return cleaned


class FollowUpPostponeForm(forms.Form):
    """A new due date for a follow-up, today or later."""

    due = BoundedDateField(
        label=_("New date"), widget=DateInput(attrs={"class": "form-control form-control-sm"})
    )

    def clean_due(self):
        due = self.cleaned_data["due"]
        problem = follow_up_date_problem(due)
        if problem:
            raise forms.ValidationError(problem, code="past")
        return due


class CountsEditForm(VersionedFormMixin, HeadcountMixin, forms.ModelForm):
    """A correction of how many were there and how long it lasted: what a phone without a
    network may change in an entry of the day (offline). It carries the version it was
    opened with, so that it never overwrites someone else's save unseen."""

    class Meta:
        model = Intervention
        fields = ["duration_minutes", *HEADCOUNTS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.visible_fields():
            field.field.widget.attrs.update({"class": "form-control", "inputmode": "numeric"})
