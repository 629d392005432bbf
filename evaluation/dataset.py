"""The pseudonymised research data set: its tables, each described field by field.

No table holds a name or a text typed by someone (notes, summaries, decisions, reasons,
addresses, phone numbers): only codes, reference lists, dates and counts. A resident appears in
a row of their own (under a stable code, an HMAC of their number with a key kept on the server)
only with a research consent in force on the day of the export; everyone is counted in the
aggregates, where a count under 5 is suppressed (ema.exports.suppress).
"""

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ema.exports import Rows, suppress
from ema.numbers import minutes_to_hours
from ema.periods import are_whole_months
from empowerment.ladder import ROLE_LABELS, STEP_OF
from empowerment.selectors import PathStep, path_steps
from interventions.models import (
    HEADCOUNT_FIELDS,
    Intervention,
    InterventionType,
    Level,
    MonthlySummary,
    MonthlyTheme,
    MonthlyWork,
    Participation,
    Place,
    Theme,
)
from partners.models import Organisation, ReferralEvent, Status
from residents.models import AgeGroup, Consent, Resident, Site

# Every count column is suppressed under 5; the schema says how a suppressed cell reads.
MISSING_VALUES = ["", "< 5"]


@dataclass(frozen=True)
class Column:
    """One field of a table: its name, Frictionless type, description in both languages and,
    for a code, the values it may take."""

    name: str
    type: str
    description: Promise
    enum: Sequence[str] | None = None
    counts: bool = False  # a count, suppressed under 5


@dataclass(frozen=True)
class DataTable:
    name: str
    description: Promise
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    reference: bool = False  # a reference list, as it stands on the day of the export

    @property
    def path(self) -> str:
        return f"{'references/' if self.reference else ''}{self.name}.csv"

    def written_rows(self) -> Iterator[list[Any]]:
        """The rows as written: every count column suppressed under 5."""
        counted = [column.counts for column in self.columns]
        for row in self.rows:
            yield [suppress(v) if count else v for v, count in zip(row, counted, strict=True)]


@dataclass(frozen=True)
class Options:
    """What an export covers, and how it hides people."""

    start: date
    end: date
    sites: Sequence[Site] = ()
    shift_dates: bool = False
    key: str = ""  # RESEARCH_PSEUDONYM_KEY unless a test gives another
    today: date = field(default_factory=date.today)

    @property
    def secret(self) -> bytes:
        return (self.key or settings.RESEARCH_PSEUDONYM_KEY).encode()


# Pseudonyms and date shifts ------------------------------------------------------------------


def _digest(options: Options, message: str) -> str:
    return hmac.new(options.secret, message.encode(), hashlib.sha256).hexdigest()


def pseudonym(resident_id: int, options: Options) -> str:
    """A resident's code: the same in every export made with the same key."""
    return "P-" + _digest(options, f"resident:{resident_id}")[:16]


def referral_code(referral_id: int, options: Options) -> str:
    return "R-" + _digest(options, f"referral:{referral_id}")[:16]


def date_shift(subject: str, options: Options) -> timedelta:
    """A stable shift of -N to +N days for one person (or one referral without a person):
    the intervals between their own dates are kept."""
    most = settings.RESEARCH_DATE_SHIFT_DAYS
    if not options.shift_dates or most <= 0:
        return timedelta(0)
    value = int(_digest(options, f"shift:{subject}")[:8], 16)
    return timedelta(days=value % (2 * most + 1) - most)


def age_group_of(birth_year: int | None, on: date) -> str:
    """The age group from the birth year only (never the date of birth)."""
    group = AgeGroup.for_age(on.year - birth_year if birth_year else None)
    return group.value if group else ""


def research_consenting_ids(options: Options) -> set[int]:
    """The residents whose research consent is in force on the day of the export."""
    return set(
        Consent.objects.in_force(options.today)
        .filter(purpose=Consent.Purpose.RESEARCH)
        .values_list("resident_id", flat=True)
    )


# The roles of the path to power, in the order of the ladder.
ROLES = sorted(STEP_OF, key=lambda role: (STEP_OF[role], role))


# The tables ------------------------------------------------------------------------------------


def _interventions(options: Options) -> QuerySet[Intervention]:
    interventions = Intervention.objects.filter(date__gte=options.start, date__lte=options.end)
    if options.sites:
        interventions = interventions.filter(site__in=options.sites)
    return interventions


def _month(value: date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def _names(queryset: QuerySet) -> list[str]:
    return list(queryset.order_by("name").values_list("name", flat=True))


class Enums:
    """The values of the codes, read once per export."""

    def __init__(self) -> None:
        self.sites = _names(Site.objects.all())
        self.types = _names(InterventionType.objects.all())
        self.themes = _names(Theme.objects.all())
        self.levels = list(Level.values)
        self.age_groups = list(AgeGroup.values)
        self.statuses = list(Status.values)
        self.partner_kinds = list(Organisation.Kind.values)
        self.genders = list(Resident.Gender.values)


def _month_column() -> Column:
    return Column("month", "yearmonth", _("Month (YYYY-MM)"))


def _summaries(options: Options, model: type[MonthlySummary]) -> QuerySet | None:
    """The export's rows of a monthly summary, when it covers whole months."""
    if not are_whole_months(options.start, options.end):
        return None
    rows = model._default_manager.filter(month__gte=options.start, month__lte=options.end)
    return rows.filter(site__in=options.sites) if options.sites else rows


def interventions_table(options: Options, enums: Enums) -> DataTable:
    """Interventions and their hours by month, site, level, type and theme."""
    columns = ("month", "site__name", "level", "type__name")
    monthly = _summaries(options, MonthlyTheme)
    if monthly is not None:
        rows = monthly.values(*columns, theme_name=F("theme__name")).annotate(
            count=Sum("interventions"), minutes=Sum("minutes")
        )
    else:
        rows = (
            _interventions(options)
            .annotate(month=TruncMonth("date"))
            .values(*columns, theme_name=F("themes__name"))
            .annotate(count=Count("pk", distinct=True), minutes=Sum("duration_minutes"))
        )
    rows = rows.order_by(*columns, "theme_name")

    def make() -> Iterator[list[Any]]:
        for row in rows.iterator():
            hours = minutes_to_hours(row["minutes"]) if not 1 <= row["count"] <= 4 else ""
            yield [
                _month(row["month"]),
                row["site__name"],
                row["level"],
                row["type__name"],
                row["theme_name"] or "",
                row["count"],
                hours,
            ]

    return DataTable(
        "interventions",
        _(
            "Interventions by month, site, level, type and theme (an intervention with several "
            "themes counts once under each)."
        ),
        [
            _month_column(),
            Column("site", "string", _("Site"), enums.sites),
            Column("level", "string", _("Level of intervention"), enums.levels),
            Column("type", "string", _("Type of intervention"), enums.types),
            Column("theme", "string", _("Theme (empty: none recorded)"), ["", *enums.themes]),
            Column("interventions", "integer", _("Number of interventions"), counts=True),
            Column("hours", "number", _("Hours (hidden when the number of interventions is)")),
        ],
        Rows(make),
    )


def headcounts_table(options: Options, enums: Enums) -> DataTable:
    """The people counted without names in the interventions, by month, site and age group."""
    sums = {group: Sum(name) for group, name in HEADCOUNT_FIELDS.items()}
    monthly = _summaries(options, MonthlyWork)
    source = (
        monthly
        if monthly is not None
        else _interventions(options).annotate(month=TruncMonth("date"))
    )
    rows = (
        source.order_by()
        .values("month", "site__name")
        .annotate(**{f"g{number}": s for number, s in enumerate(sums.values())})
        .order_by("month", "site__name")
    )
    groups = list(sums)

    def make() -> Iterator[list[Any]]:
        for row in rows.iterator():
            for number, group in enumerate(groups):
                yield [_month(row["month"]), row["site__name"], group.value, row[f"g{number}"]]

    return DataTable(
        "headcounts",
        _("People counted without names in the interventions, by month, site and age group."),
        [
            _month_column(),
            Column("site", "string", _("Site"), enums.sites),
            Column("age_group", "string", _("Age group"), enums.age_groups),
            Column("people", "integer", _("People counted"), counts=True),
        ],
        Rows(make),
    )


def sessions_table(options: Options, enums: Enums) -> DataTable:
    """Each session of a group activity, with its attendance as counts."""
    sessions = (
        _interventions(options)
        .filter(activity__isnull=False)
        .annotate(named=Count("participations"))
        .values("pk", "activity_id", "date", "site__name", "type__name", "named", *_counted())
        .order_by("date", "pk")
    )

    def make() -> Iterator[list[Any]]:
        for row in sessions.iterator():
            counted = sum(row[name] for name in _counted())
            yield [
                row["pk"],
                row["activity_id"],
                row["date"].isoformat(),
                row["site__name"],
                row["type__name"],
                row["named"],
                counted,
                row["named"] + counted,
            ]

    return DataTable(
        "sessions",
        _("Sessions of the group activities and their attendance."),
        [
            Column("session", "integer", _("Number of the session")),
            Column("activity", "integer", _("Number of the group activity")),
            Column("date", "date", _("Date of the session")),
            Column("site", "string", _("Site"), enums.sites),
            Column("type", "string", _("Type of intervention"), enums.types),
            Column("named", "integer", _("Residents present, named in the file"), counts=True),
            Column("counted", "integer", _("People present, counted without names"), counts=True),
            Column("attendance", "integer", _("Attendance in all"), counts=True),
        ],
        Rows(make),
    )


def _counted() -> list[str]:
    return list(HEADCOUNT_FIELDS.values())


def attendance_table(options: Options, enums: Enums, consenting: set[int]) -> DataTable:
    """Who came to each session: a row per present resident with a research consent."""
    rows = (
        Participation.objects.filter(
            intervention__in=_interventions(options).filter(activity__isnull=False),
            resident_id__in=consenting,
        )
        .values("intervention_id", "resident_id", "role")
        .order_by("intervention_id", "resident_id")
    )

    def make() -> Iterator[list[Any]]:
        for row in rows.iterator():
            yield [row["intervention_id"], pseudonym(row["resident_id"], options), row["role"]]

    return DataTable(
        "attendance",
        _("Presence at the sessions of the residents who gave a research consent."),
        [
            Column("session", "integer", _("Number of the session")),
            Column(
                "person", "string", _("Code of the person (stable from one export to the next)")
            ),
            Column("role", "string", _("Role in the session"), list(Participation.Role.values)),
        ],
        Rows(make),
    )


def residents_table(options: Options, enums: Enums, consenting: set[int]) -> DataTable:
    """The residents who gave a research consent: code, age group, gender and site."""
    rows = (
        Resident.objects.filter(pk__in=consenting)
        .filter(**({"household__site__in": options.sites} if options.sites else {}))
        .values("pk", "birth_year", "gender", "household__site__name")
        .order_by("pk")
    )

    def make() -> Iterator[list[Any]]:
        records = [
            [
                pseudonym(row["pk"], options),
                age_group_of(row["birth_year"], options.end),
                row["gender"],
                row["household__site__name"],
            ]
            for row in rows
        ]
        # In the order of their codes: the order of the numbers would tell who came first.
        return iter(sorted(records))

    return DataTable(
        "residents",
        _("The residents who gave a research consent."),
        [
            Column(
                "person", "string", _("Code of the person (stable from one export to the next)")
            ),
            Column(
                "age_group", "string", _("Age group at the end of the period"), enums.age_groups
            ),
            Column("gender", "string", _("Gender (empty: not recorded)"), ["", *enums.genders]),
            Column("site", "string", _("Site"), enums.sites),
        ],
        Rows(make),
    )


def referral_steps_table(options: Options, enums: Enums, consenting: set[int]) -> DataTable:
    """Each step of each referral of the period, with its date; the person's code only with a
    research consent."""
    events = ReferralEvent.objects.filter(
        referral__created_at__date__gte=options.start, referral__created_at__date__lte=options.end
    )
    if options.sites:
        events = events.filter(referral__site__in=options.sites)
    rows = events.values(
        "referral_id",
        "referral__resident_id",
        "referral__site__name",
        "referral__direction",
        "referral__urgency",
        "referral__organisation_id",
        "referral__organisation__kind",
        "new_status",
        at_day=F("at"),
    ).order_by("referral_id", "at", "pk")

    def make() -> Iterator[list[Any]]:
        for row in rows.iterator():
            resident = row["referral__resident_id"]
            person = pseudonym(resident, options) if resident in consenting else ""
            code = referral_code(row["referral_id"], options)
            shift = date_shift(f"resident:{resident}" if person else code, options)
            yield [
                code,
                person,
                row["referral__site__name"],
                row["referral__direction"],
                row["referral__urgency"],
                row["referral__organisation_id"],
                row["referral__organisation__kind"],
                row["new_status"],
                (row["at_day"].date() + shift).isoformat(),
            ]

    return DataTable(
        "referral_steps",
        _("The steps of the referrals created in the period, with their dates."),
        [
            Column("referral", "string", _("Code of the referral")),
            Column(
                "person",
                "string",
                _("Code of the person referred (empty without a research consent)"),
            ),
            Column("site", "string", _("Site"), enums.sites),
            Column("direction", "string", _("Direction of the referral"), ["outgoing", "incoming"]),
            Column("urgency", "string", _("Urgency"), ["routine", "priority", "urgent"]),
            Column("partner", "integer", _("Number of the partner (see references/partners.csv)")),
            Column("partner_kind", "string", _("Type of partner"), enums.partner_kinds),
            Column("step", "string", _("Status reached"), enums.statuses),
            Column("date", "date", _("Date of the step (shifted when the export asks)")),
        ],
        Rows(make),
    )


def partner_links_table(options: Options, enums: Enums) -> DataTable:
    """The partners present at the interventions: partner × month × site × level × type."""
    # The through model of a many-to-many: its annotations escape the type checker's plugin.
    present: Any = Organisation.present_at.through
    rows = (
        present.objects.filter(intervention__in=_interventions(options))
        .annotate(month=TruncMonth("intervention__date"))
        .values(
            "organisation_id",
            "month",
            "intervention__site__name",
            "intervention__level",
            "intervention__type__name",
        )
        .annotate(count=Count("intervention_id", distinct=True))
        .order_by("organisation_id", "month", "intervention__site__name", "intervention__level")
    )

    def make() -> Iterator[list[Any]]:
        for row in rows.iterator():
            yield [
                row["organisation_id"],
                _month(row["month"]),
                row["intervention__site__name"],
                row["intervention__level"],
                row["intervention__type__name"],
                row["count"],
            ]

    return DataTable(
        "partner_activities",
        _("The partners present at the interventions, by month, site, level and type."),
        [
            Column("partner", "integer", _("Number of the partner (see references/partners.csv)")),
            _month_column(),
            Column("site", "string", _("Site"), enums.sites),
            Column("level", "string", _("Level of intervention"), enums.levels),
            Column("type", "string", _("Type of intervention"), enums.types),
            Column("interventions", "integer", _("Number of interventions"), counts=True),
        ],
        Rows(make),
    )


def _path_steps(options: Options) -> tuple[list[PathStep], dict[int, str]]:
    """The roles held in the period (empowerment.selectors.path_steps), of the sites asked,
    with each resident's site: one walk of the selector for both tables."""
    steps = list(path_steps(start=options.start, end=options.end))
    residents = Resident.objects.filter(pk__in={step.resident_id for step in steps})
    if options.sites:
        residents = residents.filter(household__site__in=options.sites)
    site_of = dict(residents.values_list("pk", "household__site__name"))
    return [step for step in steps if step.resident_id in site_of], site_of


def path_steps_table(
    options: Options, consenting: set[int], steps: list[PathStep], site_of: dict[int, str]
) -> DataTable:
    """The roles on the path to power of the residents who gave a research consent, one row
    per role held (its step, since, until), under their code."""

    def make() -> Iterator[list[Any]]:
        for step in steps:
            if step.resident_id not in consenting:
                continue
            shift = date_shift(f"resident:{step.resident_id}", options)
            until = (step.until + shift).isoformat() if step.until else ""
            yield [
                pseudonym(step.resident_id, options),
                site_of[step.resident_id],
                step.role,
                step.step,
                (step.since + shift).isoformat(),
                until,
            ]

    return DataTable(
        "path_steps",
        _("The roles on the path to power of the residents who gave a research consent."),
        [
            Column(
                "person", "string", _("Code of the person (stable from one export to the next)")
            ),
            Column("site", "string", _("Site"), _site_names(site_of)),
            Column("role", "string", _("Role held (see references/path_roles.csv)"), ROLES),
            Column("step", "integer", _("Step of the role on the ladder (1 to 6)")),
            Column("since", "date", _("Held since (shifted when the export asks)")),
            Column("until", "date", _("Held until; empty: still held at the end of the period")),
        ],
        Rows(make),
    )


def path_counts_table(steps: list[PathStep], site_of: dict[int, str]) -> DataTable:
    """For everyone, consenting or not: how many residents of each site held each role in
    the period."""
    holders: dict[tuple[str, str], set[int]] = {}
    for step in steps:
        holders.setdefault((site_of[step.resident_id], step.role), set()).add(step.resident_id)

    def make() -> Iterator[list[Any]]:
        for (site, role), residents in sorted(holders.items()):
            yield [site, role, STEP_OF[role], suppress(len(residents))]

    return DataTable(
        "path_counts",
        _("How many residents held each role on the path to power in the period, by site."),
        [
            Column("site", "string", _("Site"), _site_names(site_of)),
            Column("role", "string", _("Role held (see references/path_roles.csv)"), ROLES),
            Column("step", "integer", _("Step of the role on the ladder (1 to 6)")),
            Column("residents", "integer", _("Residents who held the role"), counts=True),
        ],
        Rows(make),
    )


def _site_names(site_of: dict[int, str]) -> list[str]:
    return sorted(set(site_of.values())) or list(Site.objects.values_list("name", flat=True))


# The reference lists ------------------------------------------------------------------------


def reference_tables(enums: Enums) -> list[DataTable]:
    """The reference lists as they stand on the day of the export."""
    name = Column("name", "string", _("Name"))
    active = Column("active", "boolean", _("In use"))
    return [
        DataTable(
            "sites",
            _("The sites"),
            [name, Column("units", "integer", _("Number of units"))],
            list(Site.objects.order_by("name").values_list("name", "unit_count")),
            reference=True,
        ),
        DataTable(
            "intervention_types",
            _("The types of intervention"),
            [
                name,
                Column("default_level", "string", _("Level by default"), enums.levels),
                Column("crisis", "boolean", _("A crisis intervention")),
                active,
            ],
            list(
                InterventionType.objects.order_by("name").values_list(
                    "name", "default_level", "is_crisis", "is_active"
                )
            ),
            reference=True,
        ),
        DataTable(
            "themes",
            _("The themes"),
            [name, active],
            list(Theme.objects.order_by("name").values_list("name", "is_active")),
            reference=True,
        ),
        DataTable(
            "places",
            _("The places"),
            [name, active],
            list(Place.objects.order_by("name").values_list("name", "is_active")),
            reference=True,
        ),
        DataTable(
            "partners",
            _("The partner organisations"),
            [
                Column("partner", "integer", _("Number of the partner")),
                name,
                Column("kind", "string", _("Type of partner"), enums.partner_kinds),
            ],
            list(Organisation.objects.order_by("pk").values_list("pk", "name", "kind")),
            reference=True,
        ),
        _choices_table("levels", _("The levels of intervention"), Level.choices),
        _choices_table("age_groups", _("The age groups"), AgeGroup.choices),
        _choices_table("referral_steps", _("The statuses of a referral"), Status.choices),
        _choices_table("genders", _("The genders"), Resident.Gender.choices),
        _choices_table(
            "path_roles",
            _("The roles on the path to power"),
            [(role, ROLE_LABELS[role]) for role in ROLES],
        ),
    ]


def _choices_table(name: str, description: Promise, choices) -> DataTable:
    return DataTable(
        name,
        description,
        [Column("code", "string", _("Code")), Column("label", "string", _("Label"))],
        Rows(lambda: ([code, str(label)] for code, label in choices)),
        reference=True,
    )


def dataset_tables(options: Options) -> list[DataTable]:
    """Every table of the export, the reference lists last."""
    enums = Enums()
    consenting = research_consenting_ids(options)
    steps, site_of = _path_steps(options)
    return [
        interventions_table(options, enums),
        headcounts_table(options, enums),
        sessions_table(options, enums),
        attendance_table(options, enums, consenting),
        residents_table(options, enums, consenting),
        referral_steps_table(options, enums, consenting),
        partner_links_table(options, enums),
        path_steps_table(options, consenting, steps, site_of),
        path_counts_table(steps, site_of),
        *reference_tables(enums),
    ]
