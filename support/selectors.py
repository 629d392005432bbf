"""Reads of clinical support: each person's sessions, and what the direction sees of them
(how often, how long, the last date: never notes nor themes)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from ema.access import the_intervenants, the_team
from ema.accounts.models import User
from support.access import sessions_visible_to
from support.models import SupervisionSession

# The direction's overview counts the sessions of the last year.
OVERVIEW_DAYS = 365


def my_sessions(*, user: User) -> QuerySet[SupervisionSession]:
    """The sessions a person led or was supervised in, newest first, with their people."""
    return (
        sessions_visible_to(user)
        .select_related("supervisor")
        .prefetch_related("supervised", "themes")
        .order_by("-date", "-pk")
    )


@dataclass(frozen=True)
class PersonSupport:
    user: User
    planned_hours: float | None
    sessions: int
    minutes: int
    last_date: date | None
    weeks_since: int | None


def team_support(*, today: date | None = None) -> QuerySet[User]:
    """The team with, for each person, the sessions they were supervised in over the last
    year (count, minutes) and the date of the last one ever: one query, no notes."""
    today = today or timezone.localdate()
    since = today - timedelta(days=OVERVIEW_DAYS)
    in_year = Q(supervision_sessions__date__gte=since, supervision_sessions__date__lte=today)
    return (
        User.objects.filter(the_team())
        .select_related("work_plan")
        .annotate(
            support_sessions=Count("supervision_sessions", filter=in_year),
            support_minutes=Sum("supervision_sessions__duration_minutes", filter=in_year),
            last_support=Max(
                "supervision_sessions__date", filter=Q(supervision_sessions__date__lte=today)
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )


def person_support(user: User, *, today: date | None = None) -> PersonSupport:
    """One row of team_support, as plain figures for the page."""
    today = today or timezone.localdate()
    plan = getattr(user, "work_plan", None)
    last = user.last_support  # type: ignore[attr-defined]
    return PersonSupport(
        user=user,
        planned_hours=float(plan.hours_per_week) if plan else None,
        sessions=user.support_sessions,  # type: ignore[attr-defined]
        minutes=user.support_minutes or 0,  # type: ignore[attr-defined]
        last_date=last,
        weeks_since=(today - last).days // 7 if last else None,
    )


def last_supervision_by_person(*, today: date) -> dict[int, date | None]:
    """For each intervenant, the day of the last session they were supervised in (None: never),
    one aggregate query."""
    return dict(
        User.objects.filter(the_intervenants())
        .annotate(
            last=Max("supervision_sessions__date", filter=Q(supervision_sessions__date__lte=today))
        )
        .values_list("pk", "last")
    )
