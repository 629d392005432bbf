"""Participation: group sessions and their attendance, residents who came back, and residents
involved in committees and collective actions."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from ema.accounts.models import User
from ema.periods import Period
from interventions.models import HEADCOUNT_FIELDS, Level
from partners.models import CommitteeMembership
from reports.selectors.scope import named_in_period, work_sum
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
    sessions = work_sum(user=user, period=period, site=site, sessions=True)
    heads = sum(sessions.get(name) or 0 for name in HEADCOUNT_FIELDS.values())
    named = named_in_period(user=user, period=period, site=site)
    if period.is_whole_months:
        in_sessions = named.filter(in_sessions__gt=0)
        named_count = in_sessions.aggregate(total=Sum("in_sessions"))["total"] or 0
        returning = (
            in_sessions.values("resident").annotate(times=Sum("in_sessions")).filter(times__gte=2)
        ).count()
        collective = named.filter(in_collective__gt=0).values("resident").distinct().count()
    else:
        in_sessions = named.filter(intervention__activity__isnull=False)
        named_count = in_sessions.count()
        returning = (
            in_sessions.values("resident").annotate(times=Count("pk")).filter(times__gte=2)
        ).count()
        collective = (
            named.filter(intervention__level=Level.COLLECTIVE).values("resident").distinct()
        ).count()
    memberships = CommitteeMembership.objects.filter(
        resident__in=Resident.objects.visible_to(user),
        since__lte=period.end,
    ).filter(Q(until__isnull=True) | Q(until__gte=period.start))
    if site is not None:
        memberships = memberships.filter(committee__committee_site=site)
    held = sessions.get("count") or 0
    return ParticipationFigures(
        sessions=held,
        average_attendance=round((named_count + heads) / held, 1) if held else 0.0,
        returning=returning,
        in_committees=memberships.values("resident").distinct().count(),
        in_collective_actions=collective,
    )
