"""The month on one screen, for the direction's home page: the same figures as the
dashboard (activity, reach), and the referrals open today."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from ema.accounts.models import User
from ema.periods import Period
from partners.models import Referral
from reports.selectors.activity import activity_figures
from reports.selectors.reach import reach_figures


@dataclass(frozen=True)
class MonthSummary:
    period: Period
    interventions: int
    hours: float
    residents_reached: int
    households_reached: int
    referrals_open: int
    referrals_overdue: int


def month_summary(*, user: User, period: Period) -> MonthSummary:
    """Interventions, hours and people reached in the period, with the referrals open and
    overdue today: the dashboard's own selectors, so that both pages agree."""
    activity = activity_figures(user=user, period=period)
    reach = reach_figures(user=user, period=period)
    referrals = (
        Referral.objects.visible_to(user)
        .open()
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate())),
        )
    )
    return MonthSummary(
        period=period,
        interventions=activity.total,
        hours=activity.total_hours,
        residents_reached=sum(reach.residents_by_age_group.values()),
        households_reached=sum(site.reached for site in reach.sites),
        referrals_open=referrals["open"],
        referrals_overdue=referrals["overdue"],
    )
