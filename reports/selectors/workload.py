"""Workload: per intervenant, the hours logged, the crisis hours and the follow-ups they carry;
and the workload signals against the direction's thresholds and each person's planned hours."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import (
    Coalesce,
    ExtractHour,
    ExtractMinute,
    Greatest,
    Least,
)
from django.utils import timezone

from ema.access import the_intervenants
from ema.accounts.models import User
from ema.periods import Period
from interventions.models import Intervention
from reports.selectors.scope import minutes_to_hours, work_totals
from residents.models import Site
from support.models import WorkloadThresholds
from support.selectors import last_supervision_by_person


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
        for row in work_totals(
            user=user,
            period=period,
            site=site,
            by=("author", "author__first_name", "author__last_name"),
            crisis=Q(type__is_crisis=True),
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


# Workload signals: each intervenant's recent figures against the thresholds the direction
# sets (support.WorkloadThresholds) and their planned hours (support.WorkPlan). Facts, not a
# diagnosis: the page says what was logged and what the threshold is.

SIGNAL_DAYS = 30  # crisis, evening and weekend figures: the last 30 days, today included
WEEK_DAYS = 7
FOUR_WEEKS_DAYS = 28
EVENING_STARTS = 18 * 60  # 18 h
NIGHT_ENDS = 6 * 60  # the night after an evening, until 6 h, counts as evening too
DAY = 24 * 60


@dataclass(frozen=True)
class Signal:
    """One figure of a person's workload against its threshold: `kind` names the figure (the
    template words it), `value` and `threshold` in its unit, `over` when it passes it."""

    kind: str
    value: float
    threshold: float | None
    over: bool
    planned: float | None = None


@dataclass(frozen=True)
class PersonSignals:
    user_id: int
    name: str
    planned_hours: float | None
    signals: list[Signal]

    @property
    def over(self) -> list[Signal]:
        return [signal for signal in self.signals if signal.over]


def _overlap(start: Combinable, end: Combinable, low: int, high: int) -> Combinable:
    """Minutes of [start, end] inside [low, high], in the database."""
    return Greatest(Value(0), Least(end, Value(high)) - Greatest(start, Value(low)))


def _minute_expressions() -> tuple[Combinable, Combinable]:
    """The evening and weekend minutes of one intervention, from its local date, start time and
    length (12 h at most, so it runs past midnight at most once)."""
    start = ExtractHour("start_time") * 60 + ExtractMinute("start_time")
    end = start + F("duration_minutes")
    evening = _overlap(start, end, 0, NIGHT_ENDS) + _overlap(
        start, end, EVENING_STARTS, DAY + NIGHT_ENDS
    )
    # Without a start time, the whole length falls on its day.
    day_start = Coalesce(start, Value(0))
    day_end = day_start + F("duration_minutes")
    on_the_day = Least(day_end, Value(DAY)) - day_start
    after_midnight = Greatest(Value(0), day_end - Value(DAY))
    # ISO weekdays: 5 Friday (its night runs into Saturday), 6 Saturday, 7 Sunday.
    weekend = Case(
        When(Q(date__iso_week_day__in=[6, 7]), then=on_the_day), default=Value(0)
    ) + Case(When(Q(date__iso_week_day__in=[5, 6]), then=after_midnight), default=Value(0))
    return evening, weekend


def workload_signals(*, user: User, only_self: bool = False) -> list[PersonSignals]:
    """For each intervenant (or only `user`): hours of the last 7 days and the weekly average
    of the last 4 weeks against the planned hours, crisis interventions, evening and weekend
    hours of the last 30 days, weeks since the last supervision session; over-threshold first.
    A bounded number of queries whatever the team or the history: only the last 30 days are
    read, summed by the database."""
    today = timezone.localdate()
    thresholds = WorkloadThresholds.current()
    people = User.objects.filter(the_intervenants()).select_related("work_plan")
    if only_self:
        people = people.filter(pk=user.pk)
    evening, weekend = _minute_expressions()
    window = Intervention.objects.filter(
        date__gte=today - timedelta(days=SIGNAL_DAYS - 1), date__lte=today, author__in=people
    )
    figures = {
        row["author"]: row
        for row in window.values("author").annotate(
            week=Sum("duration_minutes", filter=Q(date__gte=today - timedelta(days=WEEK_DAYS - 1))),
            four_weeks=Sum(
                "duration_minutes",
                filter=Q(date__gte=today - timedelta(days=FOUR_WEEKS_DAYS - 1)),
            ),
            crisis=Count("pk", filter=Q(type__is_crisis=True)),
            evening=Sum(evening, filter=Q(start_time__isnull=False)),
            weekend=Sum(weekend),
        )
    }
    last_sessions = last_supervision_by_person(today=today)
    rows = []
    for person in people:
        row = figures.get(person.pk, {})
        plan = getattr(person, "work_plan", None)
        planned = float(plan.hours_per_week) if plan else None
        last = last_sessions.get(person.pk)
        rows.append(
            PersonSignals(
                user_id=person.pk,
                name=person.get_full_name() or person.username,
                planned_hours=planned,
                signals=_signals(row, planned, last, today, thresholds),
            )
        )
    return sorted(rows, key=lambda r: (-len(r.over), r.name))


def _signals(
    row: dict,
    planned: float | None,
    last: date | None,
    today: date,
    thresholds: WorkloadThresholds,
) -> list[Signal]:
    week = minutes_to_hours(row.get("week"))
    average = minutes_to_hours(round((row.get("four_weeks") or 0) / 4))
    limit = planned * thresholds.over_planned_percent / 100 if planned else None
    percent = thresholds.over_planned_percent
    weeks = (today - last).days // 7 if last else None
    signals = [
        Signal("week", week, percent, bool(limit and week > limit), planned),
        Signal("four_weeks", average, percent, bool(limit and average > limit), planned),
        Signal(
            "crisis",
            row.get("crisis") or 0,
            thresholds.crisis_interventions,
            (row.get("crisis") or 0) > thresholds.crisis_interventions,
        ),
        Signal(
            "evening",
            minutes_to_hours(row.get("evening")),
            thresholds.evening_hours,
            minutes_to_hours(row.get("evening")) > thresholds.evening_hours,
        ),
        Signal(
            "weekend",
            minutes_to_hours(row.get("weekend")),
            thresholds.weekend_hours,
            minutes_to_hours(row.get("weekend")) > thresholds.weekend_hours,
        ),
        Signal(
            "supervision",
            -1 if weeks is None else weeks,
            thresholds.weeks_without_supervision,
            weeks is None or weeks > thresholds.weeks_without_supervision,
        ),
    ]
    return sorted(signals, key=lambda s: not s.over)
