"""Referrals: the funnel of the referrals created in a period, by partner, and the overdue."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from ema.accounts.models import User
from ema.periods import Period
from partners.models import Referral, ReferralEvent, Status
from partners.selectors import median_days_to_acceptance
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
