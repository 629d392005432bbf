"""What every figure starts from: the interventions of a period that a person may count, and
their minutes as hours."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import Intervention
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


def minutes_to_hours(minutes: int | None) -> float:
    """Minutes as hours to one decimal, halves rounded up (15 minutes is 0.3 h)."""
    tenths = Decimal(minutes or 0) / 6
    return float(tenths.quantize(Decimal(1), rounding=ROUND_HALF_UP) / 10)
