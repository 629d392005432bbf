"""What every figure starts from: the work of a period that a person may count, read from the
monthly summaries (interventions.summaries) when the period is made of whole months, and from
the interventions themselves otherwise (a custom period cut inside a month: at most
MAX_CUSTOM_MONTHS of rows). Both sources answer the same grouped rows under the same names,
so that a figure is computed once whatever it is read from; their minutes become hours
through ema.numbers.minutes_to_hours, the one rounding of hours."""

from collections.abc import Sequence

from django.db.models import Aggregate, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from ema.accounts.models import User
from ema.numbers import minutes_to_hours
from ema.periods import Period
from interventions.models import (
    HEADCOUNT_FIELDS,
    Intervention,
    MonthlyContribution,
    MonthlyPresence,
    MonthlySummary,
    MonthlyTheme,
    MonthlyWork,
    Participation,
)
from residents.models import Site


def interventions_in_period(
    *, user: User, period: Period, site: Site | None, mine: bool = False
) -> QuerySet[Intervention]:
    """The interventions of the period that `user` sees (only their own work with mine=True),
    on one site or all of them."""
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


def _summaries(
    model: type[MonthlySummary], *, user: User, period: Period, site: Site | None
) -> QuerySet:
    rows = model.objects.visible_to(user).filter(month__gte=period.start, month__lte=period.end)
    return rows.filter(site=site) if site is not None else rows


def _work(
    *, user: User, period: Period, site: Site | None, mine: bool, sessions: bool, sums: dict
) -> tuple[QuerySet, dict]:
    """The rows of the period's work, from either source, and the sums to take of them."""
    rows: QuerySet
    count: Aggregate
    if period.is_whole_months:
        if mine:
            rows = MonthlyContribution.objects.filter(
                user=user, month__gte=period.start, month__lte=period.end
            )
            rows = rows.filter(site=site) if site is not None else rows
        else:
            rows = _summaries(MonthlyWork, user=user, period=period, site=site)
        if sessions:
            rows = rows.filter(in_session=True)
        count, minutes = Sum("interventions"), "minutes"
    else:
        rows = interventions_in_period(user=user, period=period, site=site, mine=mine)
        rows = rows.annotate(month=TruncMonth("date"))
        if sessions:
            rows = rows.filter(activity__isnull=False)
        count, minutes = Count("pk"), "duration_minutes"
    heads = {name: Sum(name) for name in HEADCOUNT_FIELDS.values()} if sessions else {}
    extra = {name: Sum(minutes, filter=q) for name, q in sums.items()}
    # The extra sums first: on a summary, "minutes" names the field until the total is named so.
    return rows.order_by(), {**extra, **heads, "count": count, "minutes": Sum(minutes)}


def work_totals(
    *,
    user: User,
    period: Period,
    site: Site | None = None,
    by: Sequence[str],
    mine: bool = False,
    sessions: bool = False,
    **sums: Q,
) -> QuerySet:
    """The period's interventions grouped by `by` (lookups both sources share: month, level,
    site__name, type__name, author, author__first_name...), each row with `count`, `minutes`,
    with sessions=True only the sessions of group activities and the headcount fields summed,
    and one more sum of minutes per keyword, over the rows its Q keeps."""
    rows, totals = _work(
        user=user, period=period, site=site, mine=mine, sessions=sessions, sums=sums
    )
    return rows.values(*by).annotate(**totals)


def work_sum(
    *, user: User, period: Period, site: Site | None = None, sessions: bool = False
) -> dict:
    """work_totals of the whole period in one row (its values None when there is no work)."""
    rows, totals = _work(
        user=user, period=period, site=site, mine=False, sessions=sessions, sums={}
    )
    return rows.aggregate(**totals)


def theme_totals(*, user: User, period: Period, site: Site | None = None) -> dict[str, int]:
    """How many interventions of the period carry each theme, by the theme's name."""
    if period.is_whole_months:
        rows = _summaries(MonthlyTheme, user=user, period=period, site=site)
        rows = rows.filter(theme__isnull=False).values("theme__name")
        return dict(rows.annotate(count=Sum("interventions")).values_list("theme__name", "count"))
    # Counted on the join table: one row per intervention and theme, in one grouped scan
    # (an exclude() on the many-to-many would test every intervention with a subquery).
    tagged = Intervention.themes.through.objects.filter(
        intervention__in=interventions_in_period(user=user, period=period, site=site)
    )
    return dict(
        # The plugin does not see an annotation on a many-to-many's through model: a false
        # "Cannot resolve keyword 'count'" (django-stubs 5.2).
        tagged.values_list("theme__name")  # type: ignore[misc]
        .annotate(count=Count("intervention_id"))
        .values_list("theme__name", "count")
    )


def named_in_period(*, user: User, period: Period, site: Site | None = None) -> QuerySet:
    """The residents named in the period's interventions, as rows with a `resident`: monthly
    presences (`named`, `in_sessions`, `in_collective` times) or the participations."""
    if period.is_whole_months:
        return _summaries(MonthlyPresence, user=user, period=period, site=site)
    return Participation.objects.filter(
        intervention__in=interventions_in_period(user=user, period=period, site=site)
    )


def named_before(period: Period) -> QuerySet:
    """Rows with a `resident` for every naming before the period, on any site."""
    if period.is_whole_months:
        return MonthlyPresence.objects.filter(month__lt=period.start)
    return Participation.objects.filter(intervention__date__lt=period.start)


__all__ = [
    "interventions_in_period",
    "minutes_to_hours",
    "named_before",
    "named_in_period",
    "theme_totals",
    "work_sum",
    "work_totals",
]
