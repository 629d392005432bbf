"""Activity: how many interventions and how many hours, by level, month, type and site."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import Level
from reports.selectors.scope import minutes_to_hours, work_totals
from residents.models import Site


@dataclass(frozen=True)
class Activity:
    months: list[date]
    hours_by_month_and_level: dict[str, list[float]]
    hours_by_month: list[float]  # each month's hours, from the sum of its minutes
    count_by_level: dict[str, int]
    hours_by_level: dict[str, float]
    by_type: list[tuple[str, int, float]]
    by_site: list[tuple[str, int, float]]
    total: int
    total_hours: float


def activity_figures(
    *, user: User, period: Period, site: Site | None = None, mine: bool = False
) -> Activity:
    """Interventions and hours by level, month by month, by type and by site (only the
    user's own work with mine=True)."""
    months = period.months()
    # Minutes per level and month, turned into hours once: never a sum of rounded hours.
    monthly_minutes = {level: [0] * len(months) for level in Level.values}
    position = {month: index for index, month in enumerate(months)}
    counts, minutes = dict.fromkeys(Level.values, 0), dict.fromkeys(Level.values, 0)

    def totals(*by: str) -> QuerySet:
        return work_totals(user=user, period=period, site=site, mine=mine, by=by)

    for row in totals("month", "level"):
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        monthly_minutes[row["level"]][position[month.replace(day=1)]] += row["minutes"] or 0
        counts[row["level"]] += row["count"]
        minutes[row["level"]] += row["minutes"] or 0
    by_type = [
        (row["type__name"], row["count"], minutes_to_hours(row["minutes"]))
        for row in totals("type__name").order_by("-count", "type__name")
    ]
    by_site = [
        (row["site__name"], row["count"], minutes_to_hours(row["minutes"]))
        for row in totals("site__name").order_by("site__name")
    ]
    return Activity(
        months=months,
        hours_by_month_and_level={
            level: [minutes_to_hours(m) for m in values]
            for level, values in monthly_minutes.items()
        },
        hours_by_month=[
            minutes_to_hours(sum(monthly_minutes[level][index] for level in Level.values))
            for index in range(len(months))
        ],
        count_by_level=counts,
        hours_by_level={level: minutes_to_hours(m) for level, m in minutes.items()},
        by_type=by_type,
        by_site=by_site,
        total=sum(counts.values()),
        total_hours=minutes_to_hours(sum(minutes.values())),
    )
