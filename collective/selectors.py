"""Reads of collective issues for their pages and for the dashboard, in a fixed number of
queries whatever the data size (database aggregates, subqueries, no per-row query)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from collective.models import CollectiveIssue, IssueResponse
from ema.accounts.models import User
from ema.numbers import minutes_to_hours
from ema.periods import Period
from interventions.models import Intervention, Level, MonthlyWork
from residents.access import can_open_household
from residents.models import Household, Site

# The interventions an issue's page lists (the totals by level count them all).
LINKED_SHOWN = 50
# What the type-ahead of interventions to link offers, and how far back it looks.
LOOKUP_LIMIT = 20
LOOKUP_DAYS = 400
# The open issues the dashboard lists.
DASHBOARD_ISSUES = 30


def _count_of(through: type[Model], column: str) -> Coalesce:
    rows = (
        through._default_manager.filter(collectiveissue=OuterRef("pk"))
        .order_by()
        .values("collectiveissue")
        .annotate(n=Count(column))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _latest_response(field: str) -> Subquery:
    return Subquery(
        IssueResponse.objects.filter(issue=OuterRef("pk"))
        .order_by("-received_on", "-pk")
        .values(field)[:1]
    )


def issue_list(
    *, user: User, site: Site | None = None, status: str = ""
) -> QuerySet[CollectiveIssue]:
    """The issues the user sees, newest first, with their counts of households affected and
    of interventions linked, and their latest response's date."""
    issues = CollectiveIssue.objects.visible_to(user).select_related("site")
    if site is not None:
        issues = issues.filter(site=site)
    if status:
        issues = issues.filter(status=status)
    return issues.annotate(
        household_count=_count_of(CollectiveIssue.households.through, "household"),
        intervention_count=_count_of(CollectiveIssue.interventions.through, "intervention"),
        last_response_on=_latest_response("received_on"),
    )


@dataclass(frozen=True)
class HouseholdsShown:
    """The households affected that the reader may open (named), and how many in all."""

    shown: list[Household]
    total: int

    @property
    def others(self) -> int:
        return self.total - len(self.shown)


@dataclass(frozen=True)
class LevelTotal:
    level: str
    label: str
    count: int
    hours: float


@dataclass(frozen=True)
class IssuePage:
    households: HouseholdsShown
    interventions: list[Intervention]
    intervention_count: int
    by_level: list[LevelTotal]
    partners: list
    responses: list[IssueResponse]
    status_changes: list


def issue_page(*, user: User, issue: CollectiveIssue) -> IssuePage:
    """Everything an issue's page shows, each household named only for a reader who may open
    it (residents.access), the others counted."""
    households = list(issue.households.select_related("site").order_by("label", "unit", "pk"))
    shown = [household for household in households if can_open_household(user, household)]
    linked = issue.interventions.visible_to(user)
    totals = {
        row["level"]: row
        for row in linked.order_by()
        .values("level")
        .annotate(count=Count("pk"), minutes=Sum("duration_minutes"))
    }
    by_level = [
        LevelTotal(
            level=level,
            label=str(label),
            count=totals.get(level, {}).get("count", 0),
            hours=minutes_to_hours(totals.get(level, {}).get("minutes", 0)),
        )
        for level, label in Level.choices
    ]
    return IssuePage(
        households=HouseholdsShown(shown=shown, total=len(households)),
        interventions=list(
            linked.select_related("type", "author").order_by("-date", "-pk")[:LINKED_SHOWN]
        ),
        intervention_count=sum(row.count for row in by_level),
        by_level=by_level,
        partners=list(issue.partners.order_by("name")),
        responses=list(issue.responses.select_related("organisation")),
        status_changes=list(issue.status_changes.select_related("by")),
    )


def households_to_add(*, user: User, issue: CollectiveIssue) -> QuerySet[Household]:
    """The households of the issue's site that the user sees: those the form accepts."""
    return Household.objects.visible_to(user).filter(site=issue.site_id).select_related("site")


def interventions_to_link(
    *, user: User, issue: CollectiveIssue, q: str = ""
) -> QuerySet[Intervention]:
    """The interventions of the issue's site, of the last months, that are not linked yet,
    found by type, level or date; at most LOOKUP_LIMIT."""
    since = timezone.localdate() - timedelta(days=LOOKUP_DAYS)
    candidates = (
        Intervention.objects.visible_to(user)
        .filter(site=issue.site_id, date__gte=since)
        .exclude(collective_issues=issue)
        .order_by("-date", "-pk")
    )
    for term in q.split():
        levels = [value for value, label in Level.choices if term.lower() in str(label).lower()]
        candidates = candidates.filter(
            Q(type__name__icontains=term) | Q(date__icontains=term) | Q(level__in=levels)
        )
    # The limit is a subquery, so that the queryset still filters (a form validates with it).
    ids = candidates.values("pk")[:LOOKUP_LIMIT]
    return Intervention.objects.filter(pk__in=ids).select_related("type").order_by("-date", "-pk")


def linkable_interventions(*, user: User, issue: CollectiveIssue) -> QuerySet[Intervention]:
    """What the link form accepts: any intervention of the issue's site that the user sees
    (the type-ahead offers the recent ones)."""
    return Intervention.objects.visible_to(user).filter(site=issue.site_id).select_related("type")


def intervention_label(intervention: Intervention) -> str:
    level = intervention.get_level_display()
    return f"{intervention.date:%Y-%m-%d} — {intervention.type} ({level})"


# The dashboard's panel ------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenIssue:
    pk: int
    title: str
    # The category's label stands for the title where free text may not be shown (research).
    category: str
    site: str
    status: str
    opened_on: date
    age_days: int
    last_response_on: date | None
    last_response_by: str | None


@dataclass(frozen=True)
class CollectiveShare:
    """Collective-level interventions of a period, and those of them linked to an issue."""

    total_count: int
    total_minutes: int
    linked_count: int
    linked_minutes: int

    @property
    def total_hours(self) -> float:
        return minutes_to_hours(self.total_minutes)

    @property
    def linked_hours(self) -> float:
        return minutes_to_hours(self.linked_minutes)

    @property
    def count_share(self) -> float | None:
        return round(100 * self.linked_count / self.total_count, 1) if self.total_count else None

    @property
    def hours_share(self) -> float | None:
        """From the minutes, never from hours already rounded."""
        if not self.total_minutes:
            return None
        return round(100 * self.linked_minutes / self.total_minutes, 1)


@dataclass(frozen=True)
class CollectivePanel:
    open_issues: list[OpenIssue]
    open_count: int
    share: CollectiveShare


def collective_work_share(*, user: User, period: Period, site: Site | None) -> CollectiveShare:
    """Of the collective-level interventions of the period that the user sees, how many and
    how many hours are linked to a collective issue: the linked ones read from the issues'
    links, the total from the monthly summaries (from the interventions for a period cut
    inside a month). Two queries."""
    interventions = Intervention.objects.visible_to(user).filter(
        level=Level.COLLECTIVE, date__gte=period.start, date__lte=period.end
    )
    totals = MonthlyWork.objects.visible_to(user).filter(
        level=Level.COLLECTIVE, month__gte=period.start, month__lte=period.end
    )
    if site is not None:
        interventions = interventions.filter(site=site)
        totals = totals.filter(site=site)
    links = CollectiveIssue.interventions.through.objects.values("intervention")
    linked = interventions.filter(pk__in=links).aggregate(
        count=Count("pk"), minutes=Sum("duration_minutes")
    )
    if period.is_whole_months:
        total = totals.aggregate(count=Sum("interventions"), minutes=Sum("minutes"))
    else:
        total = interventions.aggregate(count=Count("pk"), minutes=Sum("duration_minutes"))
    return CollectiveShare(
        total_count=total["count"] or 0,
        total_minutes=total["minutes"] or 0,
        linked_count=linked["count"],
        linked_minutes=linked["minutes"] or 0,
    )


def collective_panel(*, user: User, period: Period, site: Site | None) -> CollectivePanel:
    """The dashboard's panel: the issues still open (by site, the oldest first, with their age
    and latest response) and the share of collective work linked to an issue."""
    today = timezone.localdate()
    issues = CollectiveIssue.objects.visible_to(user).ongoing()
    if site is not None:
        issues = issues.filter(site=site)
    rows = issues.annotate(
        last_on=_latest_response("received_on"),
        last_by=_latest_response("organisation__name"),
    ).values("pk", "title", "category", "site__name", "status", "opened_on", "last_on", "last_by")
    rows = rows.order_by("site__name", "opened_on", "pk")[:DASHBOARD_ISSUES]
    labels = dict(CollectiveIssue._meta.get_field("status").choices or [])
    categories = dict(CollectiveIssue._meta.get_field("category").choices or [])
    return CollectivePanel(
        open_issues=[
            OpenIssue(
                pk=row["pk"],
                title=row["title"],
                category=str(categories.get(row["category"], row["category"])),
                site=row["site__name"],
                status=str(labels.get(row["status"], row["status"])),
                opened_on=row["opened_on"],
                age_days=(today - row["opened_on"]).days,
                last_response_on=row["last_on"],
                last_response_by=row["last_by"],
            )
            for row in rows
        ],
        open_count=issues.count(),
        share=collective_work_share(user=user, period=period, site=site),
    )
