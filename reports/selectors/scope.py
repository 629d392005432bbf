"""What every figure starts from: the interventions of a period that a person may count, and
their minutes as hours (ema.numbers.minutes_to_hours, the one rounding of hours)."""

from django.db.models import Q, QuerySet

from ema.accounts.models import User
from ema.numbers import minutes_to_hours
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


__all__ = ["interventions_in_period", "minutes_to_hours"]
