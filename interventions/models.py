from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ema.dates import first_day_of_records, planned_date, record_date
from residents.models import AgeGroup, Resident, Site, SiteScopedQuerySet

if TYPE_CHECKING:
    from datetime import date as Day

    from django_stubs_ext import StrOrPromise

MAX_DURATION_MINUTES = 12 * 60
# The most people one age group of a headcount may count.
MAX_HEADCOUNT = 2000


def living_elsewhere(residents: Sequence[Resident], *, site_id: int | None) -> list[Resident]:
    """The residents whose household lives on another site than `site_id` (one query, none
    when their households were read with them, as a form's choices are)."""
    if not residents or site_id is None:
        return []
    if all(Resident.household.is_cached(resident) for resident in residents):
        return [resident for resident in residents if resident.household.site_id != site_id]
    ids = set(
        Resident.objects.filter(pk__in=[resident.pk for resident in residents])
        .exclude(household__site_id=site_id)
        .values_list("pk", flat=True)
    )
    return [resident for resident in residents if resident.pk in ids]


class Level(models.TextChoices):
    """The three levels of the work, the frame every report uses."""

    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    COLLECTIVE = "collective", _("Collective")


class ReferenceQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)


class ReferenceItem(models.Model):
    """An entry of a reference list that the administrators edit."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class InterventionType(ReferenceItem):
    default_level = models.CharField(
        _("usual level"), max_length=20, choices=Level.choices, default=Level.INDIVIDUAL
    )
    # The dashboard's crisis hours read this flag, never the type's name, which the
    # administrators may change (a data migration set it on the seeded crisis type).
    is_crisis = models.BooleanField(
        _("crisis intervention"),
        default=False,
        help_text=_("The hours of this type count as crisis hours in the dashboard's workload."),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("intervention type")
        verbose_name_plural = _("intervention types")


class Place(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")


class Theme(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class GroupActivityQuerySet(SiteScopedQuerySet):
    def with_counts(self) -> Self:
        return self.annotate(
            session_count=models.Count("sessions", distinct=True),
            registered_count=models.Count("registered", distinct=True),
        )


class GroupActivity(models.Model):
    """A recurring group activity (e.g. homework help on Tuesdays) and its registrations."""

    name = models.CharField(_("name"), max_length=120)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="group_activities"
    )
    season = models.CharField(_("season"), max_length=40, help_text=_("For example: Fall 2026."))
    schedule = models.CharField(
        _("schedule"), max_length=80, blank=True, help_text=_("For example: Tuesdays, 4 p.m.")
    )
    type = models.ForeignKey(
        InterventionType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    usual_start_time = models.TimeField(
        _("usual start time"),
        null=True,
        blank=True,
        help_text=_("A new session starts at this time unless another one is typed."),
    )
    usual_duration = models.PositiveSmallIntegerField(
        _("usual duration (minutes)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    registered = models.ManyToManyField(
        Resident, verbose_name=_("registered participants"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GroupActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        ordering = ["-is_active", "site__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} — {self.site} ({self.season})"

    def get_absolute_url(self) -> str:
        return reverse("interventions:activity_detail", args=[self.pk])

    def check_registered(self, residents: Sequence[Resident]) -> None:
        """Registered participants live on the activity's site, like the people of its
        sessions (see Intervention.check_people)."""
        elsewhere = living_elsewhere(residents, site_id=self.site_id)
        if elsewhere:
            raise ValidationError(
                {
                    "registered": _(
                        "%(names)s live on another site: register only residents of this "
                        "activity’s site."
                    )
                    % {"names": ", ".join(resident.full_name for resident in elsewhere)}
                }
            )


class InterventionQuerySet(SiteScopedQuerySet):
    def with_headcount(self) -> Self:
        return self.annotate(
            headcount=F("count_0_5")
            + F("count_6_12")
            + F("count_13_17")
            + F("count_18_25")
            + F("count_26_64")
            + F("count_65_plus")
        )


HEADCOUNT_FIELDS = {
    AgeGroup.AGE_0_5: "count_0_5",
    AgeGroup.AGE_6_12: "count_6_12",
    AgeGroup.AGE_13_17: "count_13_17",
    AgeGroup.AGE_18_25: "count_18_25",
    AgeGroup.AGE_26_64: "count_26_64",
    AgeGroup.AGE_65_PLUS: "count_65_plus",
}


def _headcount_field(group: AgeGroup):
    return models.PositiveSmallIntegerField(
        group.label, default=0, validators=[MaxValueValidator(MAX_HEADCOUNT)]
    )


class Headcount(models.Model):
    """People counted without names, by age group: an intervention's, a running tally's."""

    count_0_5 = _headcount_field(AgeGroup.AGE_0_5)
    count_6_12 = _headcount_field(AgeGroup.AGE_6_12)
    count_13_17 = _headcount_field(AgeGroup.AGE_13_17)
    count_18_25 = _headcount_field(AgeGroup.AGE_18_25)
    count_26_64 = _headcount_field(AgeGroup.AGE_26_64)
    count_65_plus = _headcount_field(AgeGroup.AGE_65_PLUS)

    class Meta:
        abstract = True

    @property
    def total_headcount(self) -> int:
        return sum(getattr(self, field) for field in HEADCOUNT_FIELDS.values())

    @property
    def headcount_by_group(self) -> list[tuple[AgeGroup, int]]:
        return [(group, getattr(self, field)) for group, field in HEADCOUNT_FIELDS.items()]


# The order of the lists of interventions (ema.keyset.newest_first) as an index: newest day
# first, then the latest time of the day (PostgreSQL puts the entries without a time first in
# a descending index), then the newest id.
NEWEST_FIRST = (F("date").desc(), F("start_time").desc(), F("id").desc())


class Intervention(Headcount):
    """One piece of logged work: who, when, where, with whom, and what follows."""

    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    type = models.ForeignKey(
        InterventionType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    date = models.DateField(
        _("date"), validators=record_date(_("An intervention cannot be logged in the future."))
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="interventions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="interventions_authored",
    )
    co_intervenants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-intervenants"),
        blank=True,
        related_name="interventions_joined",
    )
    participants: "models.ManyToManyField[Resident, Participation]" = models.ManyToManyField(
        Resident,
        verbose_name=_("named participants"),
        through="Participation",
        blank=True,
        related_name="interventions",
    )
    activity = models.ForeignKey(
        GroupActivity,
        verbose_name=_("group activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    summary = models.TextField(
        _("summary"), max_length=2000, blank=True, help_text=_("What the team may read.")
    )
    decisions = models.TextField(
        _("decisions"),
        max_length=2000,
        blank=True,
        help_text=_(
            "For a meeting (a concertation, a committee): what was decided, and who does what."
        ),
    )
    restricted_note = models.TextField(
        _("restricted note"),
        max_length=4000,
        blank=True,
        help_text=_("Read only by you and the direction; every reading is recorded."),
    )
    follow_up_due = models.DateField(
        _("follow-up due on"),
        null=True,
        blank=True,
        validators=planned_date(earliest=first_day_of_records),
    )
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    follow_up_done_on = models.DateField(
        _("follow-up done on"), null=True, blank=True, validators=record_date()
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InterventionQuerySet.as_manager()
    # The site and day it had when read from the database (from_db), if it was.
    loaded_bucket: "tuple[int, Day] | None" = None

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_DURATION_MINUTES),
                name="intervention_duration_in_range",
                violation_error_message=_("A duration lasts from 1 minute to 12 hours."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=False) | Q(follow_up_by__isnull=True),
                name="intervention_follow_up_has_due_date",
                violation_error_message=_("A follow-up needs a due date."),
            ),
        ]
        indexes = [
            models.Index(fields=["site", "date"]),
            # A person's recent types and places (the quick log's buttons, their usual place)
            # read from the index alone, whatever the number of sites logging the same days.
            models.Index(
                fields=["author", "date", "type", "place"], name="intervention_author_recent"
            ),
            models.Index(fields=["date"]),
            # The lists' order (ema.keyset.newest_first): a page of the newest entries, or the
            # page after a cursor, reads its rows from the index in order, whatever the size of
            # the table; the second for an intervenant's site or a site chosen in the filters.
            models.Index(*NEWEST_FIRST, name="intervention_newest"),
            models.Index(F("site"), *NEWEST_FIRST, name="intervention_site_newest"),
            models.Index(
                fields=["follow_up_by", "follow_up_due"],
                condition=Q(follow_up_due__isnull=False, follow_up_done_on__isnull=True),
                name="intervention_open_follow_ups",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} — {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("interventions:intervention_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Where and when it counted as read: an edit that moves it refreshes that month too
        # (interventions.summaries).
        loaded = instance.__dict__
        if "site_id" in loaded and "date" in loaded:
            instance.loaded_bucket = (loaded["site_id"], loaded["date"])
        return instance

    def clean(self):
        errors = {}
        if self.follow_up_by_id and not self.follow_up_due:
            errors["follow_up_due"] = _("Give the follow-up a due date.")
        if self.site_id and self.activity is not None and self.activity.site_id != self.site_id:
            errors["activity"] = _("This activity takes place on another site.")
        if errors:
            raise ValidationError(errors)

    def check_people(self, named: Sequence[Resident]) -> None:
        """The rules on the people an intervention names and counts, whatever form logs it: a
        group or collective intervention names or counts someone, and the people it names
        live on its site (a resident of another site is counted, not named, so that nobody
        of this site reads the name of a person whose file they cannot open)."""
        errors: dict[str, StrOrPromise] = {}
        collective = self.level in (Level.GROUP, Level.COLLECTIVE)
        if collective and not named and not self.total_headcount:
            errors["participants"] = _(
                "A group or collective intervention names participants or counts them."
            )
        elsewhere = living_elsewhere(named, site_id=self.site_id)
        if elsewhere:
            errors["participants"] = _(
                "%(names)s live on another site: name only residents of this intervention’s "
                "site, and count the others in the headcount."
            ) % {"names": ", ".join(resident.full_name for resident in elsewhere)}
        if errors:
            raise ValidationError(errors)

    @property
    def end_time(self):
        if self.start_time is None:
            return None
        start = datetime.combine(self.date, self.start_time)
        return (start + timedelta(minutes=self.duration_minutes)).time()

    @property
    def follow_up_is_open(self) -> bool:
        return self.follow_up_due is not None and self.follow_up_done_on is None

    @property
    def follow_up_is_overdue(self) -> bool:
        return (
            self.follow_up_is_open
            and self.follow_up_due is not None
            and self.follow_up_due < timezone.localdate()
        )


class Participation(models.Model):
    """A named resident in an intervention: present at a session, or involved in an action."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        ORGANISER = "organiser", _("Organiser")
        VOLUNTEER = "volunteer", _("Volunteer")

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="participations"
    )
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "resident"], name="participation_once_per_intervention"
            )
        ]
        indexes = [models.Index(fields=["resident", "intervention"])]

    def __str__(self) -> str:
        return gettext("Participation no. %(number)s (%(role)s)") % {
            "number": self.pk,
            "role": self.get_role_display(),
        }

    def clean(self):
        if self.resident_id and self.intervention_id:
            self.intervention.check_people([self.resident])


class TallyQuerySet(models.QuerySet):
    def open(self) -> Self:
        return self.filter(logged_as__isnull=True)


class Tally(Headcount):
    """A presence being counted as people arrive: counts by age group that its author taps
    up and down through the evening, then closes into one intervention whose duration runs
    from the start to the close. Counts only: a tally names nobody."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="tallies",
    )
    type = models.ForeignKey(
        InterventionType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="tallies"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    summary = models.TextField(_("summary"), blank=True)
    logged_as = models.OneToOneField(
        Intervention,
        verbose_name=_("logged as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="tally",
    )

    objects = TallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["author", "logged_as"])]

    def __str__(self) -> str:
        return gettext("Tally no. %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("interventions:tally_detail", args=[self.pk])

    def counts_by_group(self) -> list[tuple[AgeGroup, str, int]]:
        """Each age group with its field's name and its count, in the order of the ages."""
        return [(group, name, getattr(self, name)) for group, name in HEADCOUNT_FIELDS.items()]


# Monthly summaries ------------------------------------------------------------------------------
# The figures of the dashboards and reports, by site and calendar month. They hold no fact of
# their own: interventions.summaries rebuilds a site's month from the interventions whenever a
# service writes one of them, in the same transaction, and `summaries rebuild` / `check`
# recompute or compare them all. Rows go with what they count (CASCADE): the interventions'
# own protections keep the facts.


class SummaryQuerySet(SiteScopedQuerySet):
    site_lookup = "site"


class MonthlySummary(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    # Computed, never entered: the first day of the calendar month.
    month = models.DateField(editable=False)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.month:%Y-%m}"


def _total_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=0)


class MonthlyWork(MonthlySummary):
    """The interventions of a site's month by level, type, author and whether they are
    sessions of a group activity: how many, their minutes and the people counted."""

    level = models.CharField(max_length=20, choices=Level.choices)
    type = models.ForeignKey(InterventionType, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    in_session = models.BooleanField()
    interventions = _total_field()
    minutes = _total_field()
    count_0_5 = _total_field()
    count_6_12 = _total_field()
    count_13_17 = _total_field()
    count_18_25 = _total_field()
    count_26_64 = _total_field()
    count_65_plus = _total_field()

    class Meta:
        verbose_name = "monthly work"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "month", "level", "type", "author", "in_session"],
                name="monthly_work_once",
            )
        ]
        indexes = [models.Index(fields=["month", "site"])]


class MonthlyContribution(MonthlySummary):
    """Each person's own work in a site's month, as author or as co-intervenant (never
    both for one intervention), by level and type: "Mon mois"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=20, choices=Level.choices)
    type = models.ForeignKey(InterventionType, on_delete=models.CASCADE, related_name="+")
    as_author = models.BooleanField()
    interventions = _total_field()
    minutes = _total_field()

    class Meta:
        verbose_name = "monthly contribution"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "month", "site", "level", "type", "as_author"],
                name="monthly_contribution_once",
            )
        ]


class MonthlyTheme(MonthlySummary):
    """The interventions of a site's month by level, type and theme (an intervention counts
    once under each of its themes; `theme` is empty for those without one)."""

    level = models.CharField(max_length=20, choices=Level.choices)
    type = models.ForeignKey(InterventionType, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, related_name="+")
    interventions = _total_field()
    minutes = _total_field()

    class Meta:
        verbose_name = "monthly theme"
        constraints = [
            models.UniqueConstraint(
                fields=["site", "month", "level", "type", "theme"],
                name="monthly_theme_once",
            )
        ]
        indexes = [models.Index(fields=["month", "site"])]


class MonthlyPresence(MonthlySummary):
    """How often a resident was named in the interventions of a site's month: in all, in
    group sessions, in collective actions."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    named = _total_field()
    in_sessions = _total_field()
    in_collective = _total_field()

    class Meta:
        verbose_name = "monthly presence"
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "month", "site"], name="monthly_presence_once"
            )
        ]
        indexes = [models.Index(fields=["month", "site"])]


class MonthlyAttendance(MonthlySummary):
    """A resident's attendances in a site's month, by the role they were named in: the
    sessions of group activities and the group and collective interventions naming them, the
    first and last day (the residents' path to power reads them, empowerment.selectors)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Participation.Role.choices)
    attendances = _total_field()
    # Computed from the interventions' dates, never entered.
    first = models.DateField(editable=False)
    last = models.DateField(editable=False)

    class Meta:
        verbose_name = "monthly attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "month", "site", "role"], name="monthly_attendance_once"
            ),
            models.CheckConstraint(
                condition=models.Q(first__lte=models.F("last")),
                name="monthly_attendance_first_before_last",
            ),
        ]
        indexes = [models.Index(fields=["month", "site"])]
