"""The monthly summaries kept exact: a site's month is computed again from its interventions
each time a service writes one of them, in the same transaction, so that the dashboards and
reports read a few rows per site and month instead of the year's interventions.

A refresh locks the sites touched, deletes the summary rows of their months and inserts them
again with one INSERT ... SELECT per table: a fixed number of queries whatever the month
holds, and no row that could drift by a missed increment. `summaries_rebuild` does the same
for every month, `summaries_differences` compares every table with what the interventions say.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Model, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth

from ema.periods import months_after
from interventions.models import (
    HEADCOUNT_FIELDS,
    Intervention,
    Level,
    MonthlyAttendance,
    MonthlyContribution,
    MonthlyPresence,
    MonthlyTheme,
    MonthlyWork,
    Participation,
)
from residents.models import Site

SUMMARIES: tuple[type[Model], ...] = (
    MonthlyWork,
    MonthlyContribution,
    MonthlyTheme,
    MonthlyPresence,
    MonthlyAttendance,
)
Joined = Intervention.co_intervenants.through
# A participation that counts as attending: in a session of a group activity, or in a group
# or collective intervention.
ATTENDED = Q(intervention__activity__isnull=False) | Q(
    intervention__level__in=[Level.GROUP, Level.COLLECTIVE]
)


@dataclass(frozen=True, order=True)
class Bucket:
    """A site's calendar month: what one refresh computes again."""

    site_id: int
    month: date

    @classmethod
    def of(cls, site_id: int, day: date) -> "Bucket":
        return cls(site_id, day.replace(day=1))


def buckets_of(interventions: Iterable[Intervention]) -> set[Bucket]:
    """The months an intervention counts in now, and the one it counted in when it was read
    from the database (an edit that moves it to another site or month changes both)."""
    buckets = set()
    for intervention in interventions:
        buckets.add(Bucket.of(intervention.site_id, intervention.date))
        loaded = getattr(intervention, "loaded_bucket", None)
        if loaded is not None:
            buckets.add(Bucket.of(*loaded))
    return buckets


def _interventions_in(buckets: Iterable[Bucket] | None, prefix: str = "") -> Q:
    """Interventions of those site-months (every one with None), through `prefix`."""
    if buckets is None:
        return Q()
    return reduce(
        or_,
        (
            Q(
                **{
                    f"{prefix}site_id": bucket.site_id,
                    f"{prefix}date__gte": bucket.month,
                    f"{prefix}date__lt": months_after(bucket.month, 1),
                }
            )
            for bucket in buckets
        ),
        Q(pk__in=[]),
    )


def _summaries_in(buckets: Iterable[Bucket] | None) -> Q:
    if buckets is None:
        return Q()
    return reduce(
        or_,
        (Q(site_id=bucket.site_id, month=bucket.month) for bucket in buckets),
        Q(pk__in=[]),
    )


# What each summary holds: a grouped query over the raw rows, whose columns are named after
# the summary's fields (a name with "__" is the field after its last "__").


def work_rows(where: Q) -> QuerySet:
    return (
        Intervention.objects.filter(where)
        .order_by()
        .values(
            "site",
            "level",
            "type",
            "author",
            month=TruncMonth("date"),
            in_session=Q(activity__isnull=False),
        )
        .annotate(
            interventions=Count("pk"),
            minutes=Sum("duration_minutes"),
            **{f"{name}_sum": Sum(name) for name in HEADCOUNT_FIELDS.values()},
        )
    )


def authored_rows(where: Q) -> QuerySet:
    return (
        Intervention.objects.filter(where)
        .order_by()
        .values("site", "level", "type", month=TruncMonth("date"), user=F("author"))
        .annotate(
            interventions=Count("pk"),
            minutes=Sum("duration_minutes"),
            as_author=Value(True),
        )
    )


def joined_rows(where: Q) -> QuerySet:
    """The co-intervenants' share; one who is also the author counts once, as the author."""
    return (
        Joined.objects.filter(where)
        .exclude(user=F("intervention__author"))
        .order_by()
        .values(
            "intervention__site",
            "intervention__level",
            "intervention__type",
            "user",
            month=TruncMonth("intervention__date"),
        )
        .annotate(
            interventions=Count("intervention"),
            minutes=Sum("intervention__duration_minutes"),
            as_author=Value(False),
        )
    )


def theme_rows(where: Q) -> QuerySet:
    return (
        Intervention.objects.filter(where)
        .order_by()
        .values("site", "level", "type", month=TruncMonth("date"), theme=F("themes"))
        .annotate(interventions=Count("pk"), minutes=Sum("duration_minutes"))
    )


def presence_rows(where: Q) -> QuerySet:
    return (
        Participation.objects.filter(where)
        .order_by()
        .values("intervention__site", "resident", month=TruncMonth("intervention__date"))
        .annotate(
            named=Count("pk"),
            in_sessions=Count("pk", filter=Q(intervention__activity__isnull=False)),
            in_collective=Count("pk", filter=Q(intervention__level=Level.COLLECTIVE)),
        )
    )


def attendance_rows(where: Q) -> QuerySet:
    """The residents named in group sessions (of an activity or not) and collective actions."""
    return (
        Participation.objects.filter(where)
        .filter(ATTENDED)
        .order_by()
        .values("intervention__site", "resident", "role", month=TruncMonth("intervention__date"))
        .annotate(
            attendances=Count("pk"),
            first=Min("intervention__date"),
            last=Max("intervention__date"),
        )
    )


def _sources(buckets: Iterable[Bucket] | None) -> list[tuple[type[Model], QuerySet]]:
    """Each summary with the query that computes its rows for `buckets` (all with None)."""
    own, through = _interventions_in(buckets), _interventions_in(buckets, "intervention__")
    return [
        (MonthlyWork, work_rows(own)),
        (MonthlyContribution, authored_rows(own)),
        (MonthlyContribution, joined_rows(through)),
        (MonthlyTheme, theme_rows(own)),
        (MonthlyPresence, presence_rows(through)),
        (MonthlyAttendance, attendance_rows(through)),
    ]


def _field_of(alias: str) -> str:
    return alias.rsplit("__", 1)[-1].removesuffix("_sum")


def _insert_from(model: type[Model], rows: QuerySet) -> None:
    """INSERT INTO the summary SELECT the grouped rows, in the database, in one statement."""
    compiler = rows.query.get_compiler(using=connection.alias)
    select, params = compiler.as_sql()
    quote = connection.ops.quote_name
    column_of = {field.name: field.column for field in model._meta.concrete_fields}
    columns = ", ".join(quote(column_of[_field_of(alias)]) for _, _, alias in compiler.select)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) {select}", params)


@transaction.atomic
def summaries_refresh(*, buckets: Iterable[Bucket]) -> None:
    """Compute the summaries of these site-months again from their interventions."""
    buckets = sorted(set(buckets))
    if not buckets:
        return
    # Two transactions writing on one site wait for each other here, so that each computes
    # its months from rows that include the other's: a DELETE does not see summary rows that
    # another transaction inserted after it began, and the INSERT would then clash with them.
    sites = Site.objects.select_for_update().filter(pk__in={b.site_id for b in buckets})
    list(sites.order_by("pk").values_list("pk", flat=True))
    where = _summaries_in(buckets)
    for model in SUMMARIES:
        model._default_manager.filter(where).delete()
    for model, rows in _sources(buckets):
        _insert_from(model, rows)


@transaction.atomic
def summaries_rebuild() -> dict[str, int]:
    """Every summary computed again from scratch; the number of rows of each."""
    for model in SUMMARIES:
        model._default_manager.all().delete()
    for model, rows in _sources(None):
        _insert_from(model, rows)
    return {_name(model): model._default_manager.count() for model in SUMMARIES}


def _name(model: type[Model]) -> str:
    return model.__name__.lower()


def _content(model: type[Model], rows: Iterable[dict]) -> Counter:
    """A multiset of the rows, keyed on the field names, to compare two tables."""
    return Counter(
        tuple(sorted((_field_of(key), _plain(value)) for key, value in row.items())) for row in rows
    )


def _plain(value):
    # TruncMonth gives a date on PostgreSQL, a string on SQLite; a sum may be None for no row.
    return value.isoformat()[:10] if isinstance(value, date) else value


def summaries_differences() -> dict[str, int]:
    """For each summary, how many rows differ from what the interventions say (0: exact)."""
    expected: dict[type[Model], Counter] = {model: Counter() for model in SUMMARIES}
    for model, rows in _sources(None):
        expected[model] += _content(model, rows)
    differences = {}
    for model in SUMMARIES:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        stored = _content(
            model,
            (
                {name.removesuffix("_id"): value for name, value in row.items()}
                for row in model._default_manager.values(*fields)
            ),
        )
        missing, extra = expected[model] - stored, stored - expected[model]
        differences[_name(model)] = sum(missing.values()) + sum(extra.values())
    return differences
