"""Participation: group sessions and their attendance, residents who came back, and residents
involved in committees and collective actions."""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.functions import Coalesce

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import Level, Participation
from partners.models import CommitteeMembership
from reports.selectors.scope import interventions_in_period
from residents.models import Resident, Site


@dataclass(frozen=True)
class ParticipationFigures:
    sessions: int
    average_attendance: float
    returning: int
    in_committees: int
    in_collective_actions: int


def participation_figures(
    *, user: User, period: Period, site: Site | None = None
) -> ParticipationFigures:
    """Group sessions and their attendance, people who came back, and residents involved in
    committees and collective actions."""
    interventions = interventions_in_period(user=user, period=period, site=site)
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
