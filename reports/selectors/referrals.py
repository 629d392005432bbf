"""Referrals: the funnel of the referrals created in a period, by partner, and the overdue."""

from dataclasses import dataclass

from django.db.models import Count, Q

from ema.accounts.models import User
from ema.periods import Period
from partners.models import Referral, Status
from partners.selectors import steps_reached
from residents.models import Site


@dataclass(frozen=True)
class ReferralFigures:
    created: int
    sent: int
    accepted: int
    completed: int
    by_partner: list[tuple[str, int, int]]
    median_days_to_acceptance: float | None
    overdue: int


def referral_figures(*, user: User, period: Period, site: Site | None = None) -> ReferralFigures:
    """The funnel of the referrals created in the period (how many reached each step), by
    partner (the ten with the most), the median days from sending to acceptance, and how many
    are overdue today: three queries."""
    referrals = Referral.objects.visible_to(user)
    if site is not None:
        referrals = referrals.filter(site=site)
    start, end = period.datetime_range()
    created = referrals.filter(created_at__gte=start, created_at__lt=end)
    partners = list(
        created.values_list("organisation__name")
        .annotate(count=Count("pk"), completed=Count("pk", filter=Q(status=Status.COMPLETED)))
        .values_list("organisation__name", "count", "completed")
        .order_by("-count", "organisation__name")
    )
    steps = steps_reached(created)
    return ReferralFigures(
        created=sum(count for _, count, _ in partners),
        sent=steps.sent,
        accepted=steps.accepted,
        completed=steps.completed,
        by_partner=partners[:10],
        median_days_to_acceptance=steps.median_days_to_acceptance,
        overdue=referrals.overdue().count(),
    )
