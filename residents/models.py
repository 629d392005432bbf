from datetime import date
from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ema.dates import past_date, planned_date
from ema.folding import folded, folded_terms

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from ema.accounts.models import User

AGE_OF_CONSENT = 14
# How many days ahead a consent's end is announced, to renew it (residents.selectors).
RENEWAL_NOTICE_DAYS = 30

phone_validator = RegexValidator(
    r"^[0-9 +().\-]{7,25}$",
    _("Enter a phone number, for example 514 555-0123."),
)


def consent_giver_errors(
    *, age: int | None, given_by: str, guardian_name: str
) -> dict[str, "StrOrPromise"]:
    """The rule on who gives a resident's consent, for the model, the forms and the import:
    the person from AGE_OF_CONSENT on, a named parent or guardian before (`age`: the
    resident's age on the day of the consent, when known). Field → message."""
    errors: dict[str, StrOrPromise] = {}
    if age is not None and age < AGE_OF_CONSENT and given_by != Consent.GivenBy.GUARDIAN:
        errors["given_by"] = _(
            "This resident was under %(age)s on the day of the consent: a parent or guardian "
            "must give it."
        ) % {"age": AGE_OF_CONSENT}
    if given_by == Consent.GivenBy.GUARDIAN and not guardian_name.strip():
        errors["guardian_name"] = _("Name the parent or guardian who gave the consent.")
    return errors


def age_on(*, date_of_birth: date | None, birth_year: int | None, on: date) -> int | None:
    """Age in whole years on a day; from the birth year alone when the date is unknown."""
    if date_of_birth:
        before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
        return on.year - date_of_birth.year - before_birthday
    if birth_year:
        return on.year - birth_year
    return None


def born_at_most_on(*, age: int, on: date) -> date:
    """The latest date of birth of a person `age` years old or older on `on` (age_on's rule:
    born on February 29, a person has their birthday on March 1 of other years)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # February 29 `on`, a year that has none
        return date(on.year - age, 2, 28)


class AgeGroup(models.TextChoices):
    """The age groups that every count and report uses."""

    AGE_0_5 = "0-5", _("0-5 years")
    AGE_6_12 = "6-12", _("6-12 years")
    AGE_13_17 = "13-17", _("13-17 years")
    AGE_18_25 = "18-25", _("18-25 years")
    AGE_26_64 = "26-64", _("26-64 years")
    AGE_65_PLUS = "65+", _("65 years and over")

    @classmethod
    def for_age(cls, age: int | None) -> "AgeGroup | None":
        if age is None:
            return None
        for group, upper in (
            (cls.AGE_0_5, 5),
            (cls.AGE_6_12, 12),
            (cls.AGE_13_17, 17),
            (cls.AGE_18_25, 25),
            (cls.AGE_26_64, 64),
        ):
            if age <= upper:
                return group
        return cls.AGE_65_PLUS


class SiteScopedQuerySet(models.QuerySet):
    """Rows that belong to a site: a user sees those of their sites, or of every site for
    coordination, direction and administrators; an account without a role sees none."""

    site_lookup = "site"

    def visible_to(self, user: "User") -> Self:
        if user.sees_all_sites:
            return self
        if user.has_role:
            return self.filter(**{f"{self.site_lookup}__in": user.sites.values("pk")})
        return self.none()


class SiteQuerySet(SiteScopedQuerySet):
    site_lookup = "pk"


class Site(models.Model):
    """One HLM complex where EMA works."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    unit_count = models.PositiveIntegerField(_("number of units"), default=0)
    community_room = models.CharField(
        _("community room"),
        max_length=255,
        blank=True,
        help_text=_("Where the community room is, for example: 1st floor, building B."),
    )

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


QS = TypeVar("QS", bound=models.QuerySet)


def _matching(queryset: QS, text: str) -> QS:
    for term in folded_terms(text):
        queryset = queryset.filter(search_key__contains=term)
    return queryset


class HouseholdQuerySet(SiteScopedQuerySet):
    def active(self) -> Self:
        return self.exclude(status=Household.Status.MOVED_OUT)

    def matching(self, text: str) -> Self:
        """Households whose name or unit holds every word of `text`, whatever the accents
        and case."""
        return _matching(self, text)


class Household(models.Model):
    """A household (ménage) living, or having lived, in a unit of a site."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("No contact")
        MOVED_OUT = "moved_out", _("Moved out")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="households"
    )
    unit = models.CharField(
        _("unit or address"), max_length=60, help_text=_("For example: 1250, apt. 4.")
    )
    label = models.CharField(
        _("household name"), max_length=120, help_text=_("Usually the family name.")
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    moved_in_on = models.DateField(
        _("moved in on"),
        null=True,
        blank=True,
        validators=past_date(_("The move-in date cannot be in the future.")),
    )
    moved_out_on = models.DateField(
        _("moved out on"),
        null=True,
        blank=True,
        validators=past_date(_("The move-out date cannot be in the future.")),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)
    # The name and unit folded (ema.folding), kept by save(): what search and sorting read.
    search_key = models.CharField(max_length=190, editable=False, db_index=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["search_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("unit"),
                "site",
                condition=~Q(status="moved_out"),
                name="household_one_active_per_unit",
                violation_error_message=_("Another active household already lives in this unit."),
            ),
            models.CheckConstraint(
                condition=Q(status="moved_out", moved_out_on__isnull=False)
                | (~Q(status="moved_out") & Q(moved_out_on__isnull=True)),
                name="household_moved_out_has_date",
                violation_error_message=_("A household that moved out needs a move-out date."),
            ),
        ]
        indexes = [models.Index(fields=["site", "status"])]

    def __str__(self) -> str:
        # Never the family's name: a representation can reach an error message or a log.
        return gettext("Household no. %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        self.search_key = self.key_of(label=self.label, unit=self.unit)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("residents:household_detail", args=[self.pk])

    @staticmethod
    def key_of(*, label: str, unit: str) -> str:
        """The search key of a household of this name and unit (also for bulk writes)."""
        return folded(f"{label} {unit}")

    def clean(self):
        errors = {}
        if self.moved_out_on and self.moved_in_on and self.moved_out_on < self.moved_in_on:
            errors["moved_out_on"] = _("The move-out date cannot be before the move-in date.")
        if self.pk and self.site_id and self.site_id != self.saved_site_id() and self.has_history():
            # Who may read a file follows its site: past work stays where it was done.
            errors["site"] = _(
                "This household already has a history on its site. If it moved to another "
                "site, record its move-out, then create it anew on the other site."
            )
        if self.unit and self.site_id and self.status != self.Status.MOVED_OUT:
            taken = (
                Household.objects.active()
                .filter(site_id=self.site_id, unit__iexact=self.unit.strip())
                .exclude(pk=self.pk)
                .exists()
            )
            if taken:
                errors["unit"] = _("Another active household already lives in this unit.")
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # clean() reports a taken unit next to the unit field; the database constraint stays
        # as the guard against races, without showing the same message twice.
        super().validate_constraints(exclude={*(exclude or ()), "unit"})

    @property
    def has_moved_out(self) -> bool:
        return self.status == self.Status.MOVED_OUT

    def saved_site_id(self) -> int | None:
        return Household.objects.filter(pk=self.pk).values_list("site_id", flat=True).first()

    def has_history(self) -> bool:
        """Whether interventions, committees or referrals name the household or its members
        (the relations are the upper apps'; the household only asks)."""
        named = Q(participations__isnull=False) | Q(memberships__isnull=False)
        return self.members.filter(named).exists() or self.referrals.exists()

    @property
    def display_name(self) -> str:
        """How the team names the household on its pages: family name and unit."""
        return f"{self.label} ({self.unit})"

    @property
    def name_and_unit(self) -> str:
        """The family name, the unit and the site (fetch it): what a type-ahead offers."""
        return f"{self.display_name} · {self.site.name}"


class ResidentQuerySet(SiteScopedQuerySet):
    site_lookup = "household__site"

    def current(self) -> Self:
        """Members who still live in their household."""
        return self.filter(left_on__isnull=True)

    def reachable(self) -> Self:
        """Members who still live in a household that has neither moved out nor been
        anonymised: those the team can still meet, to renew a consent."""
        return (
            self.current()
            .exclude(household__status=Household.Status.MOVED_OUT)
            .filter(household__anonymised_on__isnull=True)
        )

    def matching(self, text: str) -> Self:
        """People whose name holds every word of `text`, whatever the accents and case."""
        return _matching(self, text)


class Resident(models.Model):
    """A person living in a household, named with their consent to keep a file."""

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        OTHER = "other", _("Another identity")
        UNDISCLOSED = "undisclosed", _("Prefers not to say")

    # PROTECT, here and on every row that names a resident: a file is anonymised, never
    # deleted with the evidence of consent and the history that past figures count.
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    date_of_birth = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        validators=past_date(_("The date of birth cannot be in the future.")),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        null=True,
        blank=True,
        help_text=_("Enough when the date of birth is not known."),
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=25, blank=True, validators=[phone_validator])
    school = models.CharField(_("school"), max_length=120, blank=True)
    # "last first", folded (ema.folding), kept by save(): what search and sorting read.
    search_key = models.CharField(max_length=170, editable=False, db_index=True, default="")
    left_on = models.DateField(
        _("left the household on"),
        null=True,
        blank=True,
        validators=past_date(_("The departure date cannot be in the future.")),
        help_text=_(
            "Only if this person no longer lives here: their file, consents and past "
            "participations are kept."
        ),
    )
    # Set by the daily duties (residents.services.consents_to_renew_at_fourteen) when a person
    # who reached AGE_OF_CONSENT still rests on consents a parent or guardian gave; cleared
    # when the person's own consent is recorded.
    own_consent_due_since = models.DateField(
        _("own consent to be given since"), null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["search_key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=False),
                name="resident_has_birth_year",
                violation_error_message=_("Enter a date of birth or a birth year."),
            ),
        ]
        indexes = [models.Index(fields=["household", "search_key"])]

    def __str__(self) -> str:
        # Never the person's name: a representation can reach an error message or a log.
        return gettext("Resident no. %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        # The birth year is kept even when the date is known: reports and anonymisation
        # work from it.
        if self.date_of_birth:
            self.birth_year = self.date_of_birth.year
        self.search_key = self.key_of(first_name=self.first_name, last_name=self.last_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("residents:resident_detail", args=[self.pk])

    @staticmethod
    def key_of(*, first_name: str, last_name: str) -> str:
        """The search key of a person of this name (also for bulk writes): family name
        first, so that a list sorted by it reads as a directory."""
        return folded(f"{last_name} {first_name}")

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth:
            if 1900 <= self.date_of_birth.year <= today.year:
                self.birth_year = self.date_of_birth.year
        elif self.birth_year is None:
            errors["date_of_birth"] = _("Enter a date of birth or a birth year.")
        if self.birth_year and self.birth_year > today.year:
            errors["birth_year"] = _("The birth year cannot be in the future.")
        if self.left_on and self.date_of_birth and self.left_on < self.date_of_birth:
            errors["left_on"] = _("The departure date cannot be before the date of birth.")
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def name_and_home(self) -> str:
        """The name with the household (fetch it), so that two people of one name differ."""
        return f"{self.full_name} — {self.household.label}, {self.household.unit}"

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    def age_on(self, day: date) -> int | None:
        return age_on(date_of_birth=self.date_of_birth, birth_year=self.birth_year, on=day)

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def age_group(self) -> AgeGroup | None:
        return AgeGroup.for_age(self.age)

    def is_under_age_of_consent(self, day: date | None = None) -> bool:
        age = self.age_on(day or timezone.localdate())
        return age is not None and age < AGE_OF_CONSENT


class ConsentQuerySet(models.QuerySet):
    def in_force(self, on: date | None = None) -> Self:
        """Consents given on or before `on`, neither withdrawn nor ended by then: a consent
        withdrawn or ending on a day no longer holds on that day."""
        on = on or timezone.localdate()
        return self.filter(given_on__lte=on).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
            Q(expires_on__isnull=True) | Q(expires_on__gt=on),
        )

    def ending_by(self, *, on: date, last_day: date) -> Self:
        """Consents in force on `on` that end on `last_day` or earlier and are not renewed
        yet: no other consent of the same person, purpose and partner in force on `on`
        lasts longer."""
        renewed = Consent.objects.in_force(on).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")),
            # A consent to keep a file or to the research names no partner (NULL never equals
            # NULL).
            Q(partner=OuterRef("partner"))
            | Q(purpose__in=[Consent.Purpose.KEEP_FILE, Consent.Purpose.RESEARCH]),
            resident=OuterRef("resident"),
            purpose=OuterRef("purpose"),
        )
        return (
            self.in_force(on)
            .filter(expires_on__lte=last_day)
            .exclude(Exists(renewed.exclude(pk=OuterRef("pk"))))
        )


class Consent(models.Model):
    """A resident's consent for one purpose, who gave it, who obtained it and when."""

    class Purpose(models.TextChoices):
        KEEP_FILE = "keep_file", _("Keep a file")
        SHARE = "share", _("Share with a partner")
        # The developmental evaluation: the person's pseudonymised rows go in the research
        # data set (without it, the person is only counted in aggregates).
        RESEARCH = "research", _("Take part in the evaluation research")

    class GivenBy(models.TextChoices):
        PERSON = "person", _("The person")
        GUARDIAN = "guardian", _("A parent or guardian")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    # A consent to share names an organisation of the directory, never a typed string: the
    # referral checks it against its partner by identity. (A string reference: the partner
    # directory lives in the partners app, above this one; see STYLE.md.)
    partner = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sharing_consents",
        limit_choices_to={"is_active": True},
        help_text=_("The partner organisation this consent allows sharing with."),
    )
    partner_name = models.CharField(
        _("partner as typed before the directory"),
        max_length=160,
        blank=True,
        editable=False,
        help_text=_(
            "The text of an older consent that could not be matched with an organisation of "
            "the directory: choose the organisation, then this text is cleared."
        ),
    )
    given_by = models.CharField(
        _("given by"), max_length=20, choices=GivenBy.choices, default=GivenBy.PERSON
    )
    guardian_name = models.CharField(
        _("name of the parent or guardian"), max_length=160, blank=True
    )
    given_on = models.DateField(
        _("given on"), validators=past_date(_("The consent date cannot be in the future."))
    )
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("obtained by"),
        on_delete=models.PROTECT,
        related_name="consents_obtained",
    )
    withdrawn_on = models.DateField(
        _("withdrawn on"),
        null=True,
        blank=True,
        validators=past_date(_("A consent is withdrawn today or on an earlier day.")),
    )
    # The first day the consent no longer holds, like a withdrawal's: a consent to share
    # ends CONSENT_VALIDITY_MONTHS after it was given unless another day is typed; a consent
    # to keep a file has no end unless one is typed.
    expires_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        validators=planned_date(),
        help_text=_("From this day on, the consent no longer holds."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("A consent cannot be withdrawn before it was given."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("given_on")),
                name="consent_ends_after_given",
                violation_error_message=_("A consent ends after the day it was given."),
            ),
            models.CheckConstraint(
                condition=~Q(given_by="guardian") | ~Q(guardian_name=""),
                name="consent_guardian_named",
                violation_error_message=_("Name the parent or guardian who gave the consent."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Consent no. %(number)s (%(purpose)s)") % {
            "number": self.pk,
            "purpose": self.get_purpose_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("residents:resident_detail", args=[self.resident_id])

    def clean(self):
        errors: dict[str, StrOrPromise] = {}
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = _("A consent cannot be withdrawn before it was given.")
        if self.expires_on and self.given_on and self.expires_on <= self.given_on:
            errors["expires_on"] = _("A consent ends after the day it was given.")
        if self.purpose == self.Purpose.SHARE and not self.partner_id and not self.partner_name:
            errors["partner"] = _("Choose the partner this consent allows sharing with.")
        if self.purpose == self.Purpose.KEEP_FILE and (self.partner_id or self.partner_name):
            errors["partner"] = _("A consent to keep a file names no partner.")
        if self.purpose == self.Purpose.RESEARCH and (self.partner_id or self.partner_name):
            errors["partner"] = _("A consent to the research names no partner.")
        if self.partner_id:
            # The older text was only a stand-in for the organisation now chosen.
            self.partner_name = ""
        age = self.resident.age_on(self.given_on) if self.resident_id and self.given_on else None
        errors.update(
            consent_giver_errors(age=age, given_by=self.given_by, guardian_name=self.guardian_name)
        )
        if errors:
            raise ValidationError(errors)

    @property
    def partner_label(self) -> str:
        """The partner named: an organisation of the directory, or an older consent's text."""
        return self.partner.name if self.partner is not None else self.partner_name

    def is_in_force_on(self, day: date) -> bool:
        """The rule of ConsentQuerySet.in_force, for one consent already fetched."""
        return (
            self.given_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
            and (self.expires_on is None or self.expires_on > day)
        )

    @property
    def is_in_force(self) -> bool:
        return self.is_in_force_on(timezone.localdate())

    @property
    def has_expired(self) -> bool:
        """Whether the consent reached its end date (a withdrawal is told apart)."""
        return self.expires_on is not None and self.expires_on <= timezone.localdate()
