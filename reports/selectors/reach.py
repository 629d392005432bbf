"""Reach: the households reached over the households living on each site, the residents
reached by age group, and the households no intervention has named for months."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import MonthlyPresence, Participation
from reports.selectors.scope import named_before, named_in_period
from residents.models import AgeGroup, Household, Resident, Site


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


def reach_figures(*, user: User, period: Period, site: Site | None = None) -> Reach:
    """Households reached in the period over households living on each site; residents reached
    by age group; households reached for the first time in the period."""
    named = named_in_period(user=user, period=period, site=site)
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
    seen_before = Exists(named_before(period).filter(resident__household=OuterRef("pk")))
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


def households_not_reached(
    *, user: User, months: int, site: Site | None = None
) -> QuerySet[Household]:
    """Households living on a site that no intervention has named for `months` months: not
    since the first day of the month in which those months began."""
    # From the first day of the month `months` months back (the monthly summaries hold whole
    # months): every household listed has gone at least that long without being named.
    since = (timezone.localdate() - timedelta(days=round(months * 30.44))).replace(day=1)
    named_since = MonthlyPresence.objects.filter(
        resident__household=OuterRef("pk"), month__gte=since
    )
    households = Household.objects.visible_to(user).active().exclude(Exists(named_since))
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
