"""The figures of the dashboards, computed in the database for a period and, optionally, one
site. Each function runs a fixed number of aggregate queries, whatever the data size."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from ema.periods import Period
from interventions.models import Intervention, Level, Participation
from partners.models import CommitteeMembership, Referral, ReferralEvent, Status
from partners.selectors import median_days_to_acceptance
from residents.models import AgeGroup, Household, Resident, Site

CRISIS_TYPE = "Intervention de crise"


def _interventions(
    *, user, period: Period, site: Site | None, mine: bool = False
) -> QuerySet[Intervention]:
    if mine:
        # A person's own work counts wherever it took place, even on a site they left.
        joined = Intervention.co_intervenants.through.objects.filter(user=user)
        interventions = Intervention.objects.filter(
            Q(author=user) | Q(pk__in=joined.values("intervention"))
        )
    else:
        interventions = Intervention.objects.visible_to(user)
    interventions = interventions.filter(date__gte=period.start, date__lte=period.end)
    return interventions.filter(site=site) if site is not None else interventions


def _hours(minutes) -> float:
    """Minutes as hours to one decimal, halves rounded up (15 minutes is 0.3 h)."""
    tenths = Decimal(minutes or 0) / 6
    return float(tenths.quantize(Decimal(1), rounding=ROUND_HALF_UP) / 10)


@dataclass(frozen=True)
class Activity:
    months: list[date]
    hours_by_month_and_level: dict[str, list[float]]
    count_by_level: dict[str, int]
    hours_by_level: dict[str, float]
    by_type: list[tuple[str, int, float]]
    by_site: list[tuple[str, int, float]]
    total: int
    total_hours: float


def activity(*, user, period: Period, site: Site | None = None, mine: bool = False) -> Activity:
    """Interventions and hours by level, month by month, by type and by site (only the
    user's own work with mine=True)."""
    interventions = _interventions(user=user, period=period, site=site, mine=mine)
    months = period.months()
    monthly = {level: [0.0] * len(months) for level in Level.values}
    position = {month: index for index, month in enumerate(months)}
    counts, minutes = dict.fromkeys(Level.values, 0), dict.fromkeys(Level.values, 0)
    rows = (
        interventions.annotate(month=TruncMonth("date"))
        .values("month", "level")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
    )
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        monthly[row["level"]][position[month.replace(day=1)]] += _hours(row["minutes"])
        counts[row["level"]] += row["count"]
        minutes[row["level"]] += row["minutes"] or 0
    by_type = [
        (row["type__name"], row["count"], _hours(row["minutes"]))
        for row in interventions.values("type__name")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("-count")
    ]
    by_site = [
        (row["site__name"], row["count"], _hours(row["minutes"]))
        for row in interventions.values("site__name")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("site__name")
    ]
    return Activity(
        months=months,
        hours_by_month_and_level={level: [round(h, 1) for h in v] for level, v in monthly.items()},
        count_by_level=counts,
        hours_by_level={level: _hours(m) for level, m in minutes.items()},
        by_type=by_type,
        by_site=by_site,
        total=sum(counts.values()),
        total_hours=_hours(sum(minutes.values())),
    )


@dataclass(frozen=True)
class SiteReach:
    site: str
    reached: int
    living: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.reached / self.living) if self.living else None


@dataclass(frozen=True)
class Reach:
    sites: list[SiteReach]
    residents_by_age_group: dict[str, int]
    new_households: int
    known_households: int


def _living_during(period: Period) -> Q:
    """Households living on their site at some point of the period."""
    return (Q(moved_in_on__isnull=True) | Q(moved_in_on__lte=period.end)) & (
        Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=period.start)
    )


def _age_group_on(day: date) -> Case:
    """The age group of a resident on a day, from the birth year kept on every resident."""
    year = day.year
    whens = [
        When(birth_year__gt=year - 6, then=Value(AgeGroup.AGE_0_5.value)),
        When(birth_year__gt=year - 13, then=Value(AgeGroup.AGE_6_12.value)),
        When(birth_year__gt=year - 18, then=Value(AgeGroup.AGE_13_17.value)),
        When(birth_year__gt=year - 26, then=Value(AgeGroup.AGE_18_25.value)),
        When(birth_year__gt=year - 65, then=Value(AgeGroup.AGE_26_64.value)),
    ]
    return Case(*whens, default=Value(AgeGroup.AGE_65_PLUS.value))


def reach(*, user, period: Period, site: Site | None = None) -> Reach:
    """Households reached in the period over households living on each site; residents reached
    by age group; households reached for the first time in the period."""
    named = Participation.objects.filter(
        intervention__in=_interventions(user=user, period=period, site=site)
    )
    households = Household.objects.visible_to(user)
    if site is not None:
        households = households.filter(site=site)
    reached_here = Exists(named.filter(resident__household=OuterRef("pk")))
    per_site = (
        households.filter(_living_during(period))
        .values("site__name")
        .annotate(living=Count("pk"), reached=Count("pk", filter=Q(reached_here)))
        .order_by("site__name")
    )
    by_age = dict(
        Resident.objects.filter(Exists(named.filter(resident=OuterRef("pk"))))
        .annotate(group=_age_group_on(period.end))
        .values("group")
        .annotate(count=Count("pk"))
        .values_list("group", "count")
    )
    # Known: named at least once before the period. An EXISTS stops at the first earlier
    # entry, where a MIN would read each household's whole history.
    seen_before = Exists(
        Participation.objects.filter(
            resident__household=OuterRef("pk"), intervention__date__lt=period.start
        )
    )
    first_seen = households.filter(reached_here).aggregate(
        new=Count("pk", filter=~Q(seen_before)),
        known=Count("pk", filter=Q(seen_before)),
    )
    return Reach(
        sites=[SiteReach(r["site__name"], r["reached"], r["living"]) for r in per_site],
        residents_by_age_group={g: by_age.get(g, 0) for g in AgeGroup.values},
        new_households=first_seen["new"],
        known_households=first_seen["known"],
    )


def not_reached(*, user, months: int, site: Site | None = None) -> QuerySet[Household]:
    """Households living on a site that no intervention has named for `months` months."""
    since = timezone.localdate() - timedelta(days=round(months * 30.44))
    recent = Participation.objects.filter(
        resident__household=OuterRef("pk"), intervention__date__gte=since
    )
    households = Household.objects.visible_to(user).active().exclude(Exists(recent))
    if site is not None:
        households = households.filter(site=site)
    # The last contact of each household shown, read per row: counting the list needs none.
    last_seen = (
        Participation.objects.filter(resident__household=OuterRef("pk"))
        .order_by("-intervention__date")
        .values("intervention__date")[:1]
    )
    return (
        households.select_related("site")
        .annotate(last_seen=Subquery(last_seen))
        .order_by("site__name", "label")
    )


@dataclass(frozen=True)
class Balance:
    overall: dict[str, float]
    by_site: list[tuple[str, dict[str, float]]]
    by_intervenant: list[tuple[str, dict[str, float]]]


def _shares(rows, key: str) -> list[tuple[str, dict[str, float]]]:
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        totals.setdefault(row[key], dict.fromkeys(Level.values, 0))[row["level"]] = row["minutes"]
    return [(name, _percentages(minutes)) for name, minutes in totals.items()]


def _percentages(minutes: dict[str, int]) -> dict[str, float]:
    total = sum(minutes.values())
    return {level: round(100 * m / total, 1) if total else 0.0 for level, m in minutes.items()}


def balance(*, user, period: Period, site: Site | None = None) -> Balance:
    """The share of time at the individual, group and collective levels."""
    interventions = _interventions(user=user, period=period, site=site)
    overall = dict.fromkeys(Level.values, 0)
    for row in interventions.values("level").annotate(minutes=Sum("duration_minutes")):
        overall[row["level"]] = row["minutes"]
    by_site = (
        interventions.values("site__name", "level")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by("site__name")
    )
    by_author = (
        interventions.values("author__first_name", "author__last_name", "level")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by("author__first_name", "author__last_name")
    )
    return Balance(
        overall=_percentages(overall),
        by_site=_shares(by_site, "site__name"),
        by_intervenant=_shares(
            [
                {**row, "who": f"{row['author__first_name']} {row['author__last_name']}"}
                for row in by_author
            ],
            "who",
        ),
    )


@dataclass(frozen=True)
class ParticipationFigures:
    sessions: int
    average_attendance: float
    returning: int
    in_committees: int
    in_collective_actions: int


def participation(*, user, period: Period, site: Site | None = None) -> ParticipationFigures:
    """Group sessions and their attendance, people who came back, and residents involved in
    committees and collective actions."""
    interventions = _interventions(user=user, period=period, site=site)
    sessions = interventions.filter(activity__isnull=False)
    named = Participation.objects.filter(intervention__in=sessions)
    totals = sessions.aggregate(
        count=Count("pk"),
        heads=Coalesce(
            Sum(
                F("count_0_5")
                + F("count_6_12")
                + F("count_13_17")
                + F("count_18_25")
                + F("count_26_64")
                + F("count_65_plus"),
                output_field=IntegerField(),
            ),
            0,
        ),
    )
    named_count = named.count()
    returning = named.values("resident").annotate(times=Count("pk")).filter(times__gte=2).count()
    memberships = CommitteeMembership.objects.filter(
        resident__in=Resident.objects.visible_to(user),
        since__lte=period.end,
    ).filter(Q(until__isnull=True) | Q(until__gte=period.start))
    if site is not None:
        memberships = memberships.filter(committee__committee_site=site)
    collective = (
        Participation.objects.filter(intervention__in=interventions.filter(level=Level.COLLECTIVE))
        .values("resident")
        .distinct()
        .count()
    )
    held = totals["count"]
    return ParticipationFigures(
        sessions=held,
        average_attendance=round((named_count + totals["heads"]) / held, 1) if held else 0.0,
        returning=returning,
        in_committees=memberships.values("resident").distinct().count(),
        in_collective_actions=collective,
    )


@dataclass(frozen=True)
class ReferralFigures:
    created: int
    sent: int
    accepted: int
    completed: int
    by_partner: list[tuple[str, int, int]]
    median_days_to_acceptance: float | None
    overdue: int


def referral_figures(*, user, period: Period, site: Site | None = None) -> ReferralFigures:
    """The funnel of the referrals created in the period (how many reached each step), by
    partner, the median days from sending to acceptance, and how many are overdue today."""
    referrals = Referral.objects.visible_to(user)
    if site is not None:
        referrals = referrals.filter(site=site)
    start, end = period.datetime_range()
    created = referrals.filter(created_at__gte=start, created_at__lt=end)

    def reached(status: str) -> Exists:
        return Exists(ReferralEvent.objects.filter(referral=OuterRef("pk"), new_status=status))

    funnel = created.aggregate(
        created=Count("pk"),
        sent=Count("pk", filter=Q(reached(Status.SENT))),
        accepted=Count("pk", filter=Q(reached(Status.ACCEPTED))),
        completed=Count("pk", filter=Q(reached(Status.COMPLETED))),
    )
    by_partner = [
        (row["organisation__name"], row["count"], row["completed"])
        for row in created.values("organisation__name")
        .annotate(count=Count("pk"), completed=Count("pk", filter=Q(status=Status.COMPLETED)))
        .order_by("-count")[:10]
    ]
    return ReferralFigures(
        **funnel,
        by_partner=by_partner,
        median_days_to_acceptance=median_days_to_acceptance(created),
        overdue=referrals.overdue().count(),
    )


def _theme_counts(*, user, period: Period, site: Site | None) -> dict[str, int]:
    # Counted on the join table: one row per intervention and theme, in one grouped scan
    # (an exclude() on the many-to-many would test every intervention with a subquery).
    tagged = Intervention.themes.through.objects.filter(
        intervention__in=_interventions(user=user, period=period, site=site)
    )
    return dict(
        tagged.values_list("theme__name")
        .annotate(count=Count("intervention_id"))
        .values_list("theme__name", "count")
    )


def themes(*, user, period: Period, site: Site | None = None, limit: int = 10):
    """The most frequent themes of the period, with their count in the previous period."""
    current = _theme_counts(user=user, period=period, site=site)
    before = _theme_counts(user=user, period=period.previous(), site=site)
    ranked = sorted(current.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(name, count, before.get(name, 0)) for name, count in ranked]


@dataclass(frozen=True)
class Workload:
    name: str
    hours: float
    crisis_hours: float
    open_follow_ups: int
    overdue_follow_ups: int


def workload(*, user, period: Period, site: Site | None = None) -> list[Workload]:
    """Per intervenant: hours logged, hours of crisis interventions, open and overdue
    follow-ups."""
    today = timezone.localdate()
    hours = {
        row["author"]: row
        for row in _interventions(user=user, period=period, site=site)
        .values("author", "author__first_name", "author__last_name")
        .annotate(
            minutes=Sum("duration_minutes"),
            crisis=Coalesce(Sum("duration_minutes", filter=Q(type__name=CRISIS_TYPE)), 0),
        )
    }
    open_follow_ups = Intervention.objects.visible_to(user).filter(
        follow_up_due__isnull=False, follow_up_done_on__isnull=True
    )
    if site is not None:
        open_follow_ups = open_follow_ups.filter(site=site)
    follow_ups = {
        row["follow_up_by"]: row
        for row in open_follow_ups.values(
            "follow_up_by", "follow_up_by__first_name", "follow_up_by__last_name"
        ).annotate(open=Count("pk"), overdue=Count("pk", filter=Q(follow_up_due__lt=today)))
    }
    names = {
        pk: f"{row['author__first_name']} {row['author__last_name']}" for pk, row in hours.items()
    }
    for pk, row in follow_ups.items():
        # Someone with follow-ups but no hours in the period still carries them.
        names.setdefault(pk, f"{row['follow_up_by__first_name']} {row['follow_up_by__last_name']}")
    return sorted(
        (
            Workload(
                name=name,
                hours=_hours(hours.get(pk, {}).get("minutes")),
                crisis_hours=_hours(hours.get(pk, {}).get("crisis")),
                open_follow_ups=follow_ups.get(pk, {}).get("open", 0),
                overdue_follow_ups=follow_ups.get(pk, {}).get("overdue", 0),
            )
            for pk, name in names.items()
        ),
        key=lambda w: (-w.hours, w.name),
    )
