"""Workload: per intervenant, the hours logged, the crisis hours and the follow-ups they carry."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import Intervention
from reports.selectors.scope import interventions_in_period, minutes_to_hours
from residents.models import Site


@dataclass(frozen=True)
class Workload:
    name: str
    hours: float
    crisis_hours: float
    open_follow_ups: int
    overdue_follow_ups: int


def workload_figures(*, user: User, period: Period, site: Site | None = None) -> list[Workload]:
    """Per intervenant: hours logged, hours of the types flagged as crisis interventions,
    open and overdue follow-ups."""
    today = timezone.localdate()
    hours = {
        row["author"]: row
        for row in interventions_in_period(user=user, period=period, site=site)
        .values("author", "author__first_name", "author__last_name")
        .annotate(
            minutes=Sum("duration_minutes"),
            crisis=Coalesce(Sum("duration_minutes", filter=Q(type__is_crisis=True)), 0),
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
                hours=minutes_to_hours(hours.get(pk, {}).get("minutes")),
                crisis_hours=minutes_to_hours(hours.get(pk, {}).get("crisis")),
                open_follow_ups=follow_ups.get(pk, {}).get("open", 0),
                overdue_follow_ups=follow_ups.get(pk, {}).get("overdue", 0),
            )
            for pk, name in names.items()
        ),
        key=lambda w: (-w.hours, w.name),
    )
